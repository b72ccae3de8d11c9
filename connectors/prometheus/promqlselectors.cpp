#include "connectors/prometheus/promqlselectors.h"

#include <QList>
#include <QSet>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

struct Token
{
    enum class Kind { Identifier, Matchers, Range, Open, Close, Other };
    Kind kind = Kind::Other;
    QStringView text;
};

bool isIdentifierStart(QChar c)
{
    return c.isLetter() || c == u'_' || c == u':';
}
bool isIdentifierChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u':';
}

// Index just past a quoted string starting at `i` (which holds the quote).
qsizetype skipString(QStringView s, qsizetype i)
{
    const QChar quote = s[i];
    for (++i; i < s.size(); ++i) {
        if (s[i] == u'\\' && quote != u'`')
            ++i;
        else if (s[i] == quote)
            return i + 1;
    }
    return s.size();
}

// Index just past the bracket closing the one at `i`, strings respected.
qsizetype skipBracket(QStringView s, qsizetype i, QChar open, QChar close)
{
    int depth = 0;
    while (i < s.size()) {
        const QChar c = s[i];
        if (c == u'"' || c == u'\'' || c == u'`') {
            i = skipString(s, i);
            continue;
        }
        if (c == open)
            ++depth;
        else if (c == close && --depth == 0)
            return i + 1;
        ++i;
    }
    return s.size();
}

QList<Token> tokenize(QStringView s)
{
    QList<Token> out;
    qsizetype i = 0;
    while (i < s.size()) {
        const QChar c = s[i];
        if (c.isSpace()) {
            ++i;
        } else if (c == u'#') {
            while (i < s.size() && s[i] != u'\n')
                ++i;
        } else if (c == u'"' || c == u'\'' || c == u'`') {
            const qsizetype end = skipString(s, i);
            out.append({ Token::Kind::Other, s.mid(i, end - i) });
            i = end;
        } else if (c.isDigit() || (c == u'.' && i + 1 < s.size() && s[i + 1].isDigit())) {
            // Numbers, hex, exponents and durations (5m, 1h30m) alike.
            const qsizetype start = i;
            while (i < s.size() && (s[i].isLetterOrNumber() || s[i] == u'.' || s[i] == u'_'))
                ++i;
            out.append({ Token::Kind::Other, s.mid(start, i - start) });
        } else if (isIdentifierStart(c)) {
            const qsizetype start = i;
            while (i < s.size() && isIdentifierChar(s[i]))
                ++i;
            out.append({ Token::Kind::Identifier, s.mid(start, i - start) });
        } else if (c == u'{') {
            const qsizetype end = skipBracket(s, i, u'{', u'}');
            out.append({ Token::Kind::Matchers, s.mid(i, end - i) });
            i = end;
        } else if (c == u'[') {
            const qsizetype end = skipBracket(s, i, u'[', u']');
            out.append({ Token::Kind::Range, s.mid(i, end - i) });
            i = end;
        } else if (c == u'(') {
            out.append({ Token::Kind::Open, s.mid(i, 1) });
            ++i;
        } else if (c == u')') {
            out.append({ Token::Kind::Close, s.mid(i, 1) });
            ++i;
        } else {
            out.append({ Token::Kind::Other, s.mid(i, 1) });
            ++i;
        }
    }
    return out;
}

const QSet<QString> &keywords()
{
    static const QSet<QString> k { u"by"_s, u"without"_s, u"on"_s, u"ignoring"_s, u"group_left"_s, u"group_right"_s,
        u"bool"_s, u"and"_s, u"or"_s, u"unless"_s, u"offset"_s, u"atan2"_s, u"inf"_s, u"nan"_s };
    return k;
}

// Keywords followed by a parenthesized list of label names, not of expressions.
bool takesLabelList(QStringView keyword)
{
    return keyword == u"by" || keyword == u"without" || keyword == u"on" || keyword == u"ignoring"
        || keyword == u"group_left" || keyword == u"group_right";
}

const QSet<QString> &aggregations()
{
    static const QSet<QString> a { u"sum"_s, u"min"_s, u"max"_s, u"avg"_s, u"group"_s, u"stddev"_s, u"stdvar"_s,
        u"count"_s, u"count_values"_s, u"bottomk"_s, u"topk"_s, u"quantile"_s, u"limitk"_s, u"limit_ratio"_s };
    return a;
}

QString compact(QStringView selector)
{
    QString out;
    out.reserve(selector.size());
    qsizetype i = 0;
    while (i < selector.size()) {
        const QChar c = selector[i];
        if (c == u'"' || c == u'\'' || c == u'`') {
            const qsizetype end = skipString(selector, i);
            out += selector.mid(i, end - i);
            i = end;
        } else {
            if (!c.isSpace())
                out += c;
            ++i;
        }
    }
    return out;
}

struct Found
{
    QStringList selectors;
    int tokens = 0; // tokens in the expression
    int covered = 0; // tokens that belong to a selector
};

Found scan(QStringView expression)
{
    const QList<Token> tokens = tokenize(expression);
    Found found;
    found.tokens = static_cast<int>(tokens.size());
    QSet<QString> seen;
    auto add = [&](const QString &selector, int tokenCount) {
        found.covered += tokenCount;
        if (!seen.contains(selector)) {
            seen.insert(selector);
            found.selectors << selector;
        }
    };
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const Token &t = tokens[i];
        const Token *next = i + 1 < tokens.size() ? &tokens[i + 1] : nullptr;
        if (t.kind == Token::Kind::Matchers) {
            add(compact(t.text), 1);
            continue;
        }
        if (t.kind != Token::Kind::Identifier)
            continue;
        const QString word = t.text.toString();
        const QString lower = word.toLower();
        if (keywords().contains(lower)) {
            if (takesLabelList(lower) && next && next->kind == Token::Kind::Open) {
                // Skip the label names up to the closing parenthesis.
                while (i + 1 < tokens.size() && tokens[i + 1].kind != Token::Kind::Close)
                    ++i;
                ++i;
            }
            continue;
        }
        if (next && next->kind == Token::Kind::Open)
            continue; // a function call or an aggregation
        if (aggregations().contains(lower) && next && next->kind == Token::Kind::Identifier
            && (next->text == u"by" || next->text == u"without"))
            continue; // `sum by (x) (...)`
        if (next && next->kind == Token::Kind::Matchers) {
            add(compact(t.text) + compact(next->text), 2);
            ++i;
        } else {
            add(word, 1);
        }
    }
    return found;
}

} // namespace

QStringList vectorSelectors(QStringView expression)
{
    return scan(expression).selectors;
}

bool isPlainSelector(QStringView expression)
{
    const Found found = scan(expression);
    return found.selectors.size() == 1 && found.covered == found.tokens;
}

QString selectorName(QStringView selector)
{
    const qsizetype brace = selector.indexOf(u'{');
    return (brace < 0 ? selector : selector.left(brace)).trimmed().toString();
}

} // namespace antibody

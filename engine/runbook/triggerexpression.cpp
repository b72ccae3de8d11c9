#include "engine/runbook/triggerexpression.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

bool isNameStart(QChar c)
{
    return c.isLetter() || c == u'_' || c == u':';
}
bool isNameChar(QChar c)
{
    return isNameStart(c) || c.isDigit();
}

class Reader
{
public:
    explicit Reader(QStringView text)
        : m_text(text)
    {
    }
    void skipSpace()
    {
        while (m_pos < m_text.size() && m_text[m_pos].isSpace())
            ++m_pos;
    }
    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek() const { return atEnd() ? QChar() : m_text[m_pos]; }
    qsizetype pos() const { return m_pos; }
    void advance(qsizetype n = 1) { m_pos += n; }
    QStringView rest() const { return m_text.mid(m_pos); }
    QString readName(bool labelName)
    {
        const qsizetype start = m_pos;
        while (!atEnd()
            && (labelName ? (m_text[m_pos].isLetterOrNumber() || m_text[m_pos] == u'_') : isNameChar(m_text[m_pos])))
            ++m_pos;
        return m_text.mid(start, m_pos - start).toString();
    }

private:
    QStringView m_text;
    qsizetype m_pos = 0;
};

} // namespace

QString TriggerExpression::selectorText() const
{
    QString out = name;
    if (!matchers.isEmpty()) {
        QStringList parts;
        for (const LabelMatcher &m : matchers)
            parts << m.toString();
        out += u'{' + parts.join(u',') + u'}';
    }
    return out;
}

bool TriggerExpression::matchesAlert(const QString &alertName, const Labels &labels) const
{
    if (!name.isEmpty() && name != alertName)
        return false;
    return matchesAll(matchers, labels);
}

std::optional<TriggerExpression> TriggerExpression::parse(QStringView text, ParseError *error)
{
    auto fail = [&](const QString &message, qsizetype column) -> std::optional<TriggerExpression> {
        if (error)
            *error = ParseError { message, static_cast<int>(column) };
        return std::nullopt;
    };
    if (text.size() > 4096)
        return fail(u"expression is longer than 4096 characters"_s, 0);

    TriggerExpression expr;
    expr.text = text.trimmed().toString();
    Reader r(text);
    r.skipSpace();
    if (r.atEnd())
        return fail(u"empty expression: give an alert name or a metric comparison such as `cpu > 90%`"_s, 0);
    if (isNameStart(r.peek()) && r.peek() != u':') {
        expr.name = r.readName(false);
    } else if (r.peek() != u'{') {
        return fail(u"expected an alert or metric name, or `{` to start label matchers"_s, r.pos());
    }
    r.skipSpace();
    if (r.peek() == u'{') {
        r.advance();
        r.skipSpace();
        while (r.peek() != u'}') {
            if (r.atEnd())
                return fail(u"label matchers are not closed: add `}`"_s, r.pos());
            if (!(r.peek().isLetter() || r.peek() == u'_'))
                return fail(u"expected a label name"_s, r.pos());
            LabelMatcher m;
            m.name = r.readName(true);
            r.skipSpace();
            const QStringView rest = r.rest();
            if (rest.startsWith(u"=~"_s)) {
                m.op = LabelMatcher::Op::Regex;
                r.advance(2);
            } else if (rest.startsWith(u"!~"_s)) {
                m.op = LabelMatcher::Op::NotRegex;
                r.advance(2);
            } else if (rest.startsWith(u"!="_s)) {
                m.op = LabelMatcher::Op::NotEqual;
                r.advance(2);
            } else if (rest.startsWith(u'=')) {
                m.op = LabelMatcher::Op::Equal;
                r.advance(1);
            } else {
                return fail(u"expected =, !=, =~ or !~ after label `%1`"_s.arg(m.name), r.pos());
            }
            r.skipSpace();
            const QChar quote = r.peek();
            if (quote != u'"' && quote != u'\'')
                return fail(
                    u"label values are quoted: %1%2\"value\""_s.arg(m.name, LabelMatcher::opText(m.op)), r.pos());
            r.advance();
            QString value;
            while (true) {
                if (r.atEnd())
                    return fail(u"label value is not closed: add %1"_s.arg(quote), r.pos());
                QChar c = r.peek();
                r.advance();
                if (c == quote)
                    break;
                if (c == u'\\' && !r.atEnd()) {
                    c = r.peek();
                    r.advance();
                }
                value += c;
            }
            if (m.op == LabelMatcher::Op::Regex || m.op == LabelMatcher::Op::NotRegex) {
                const QRegularExpression re(value);
                if (!re.isValid())
                    return fail(
                        u"invalid regular expression for `%1`: %2"_s.arg(m.name, re.errorString()), r.pos() - 1);
            }
            m.value = value;
            expr.matchers << m;
            r.skipSpace();
            if (r.atEnd())
                return fail(u"label matchers are not closed: add `}`"_s, r.pos());
            if (r.peek() == u',') {
                r.advance();
                r.skipSpace();
            } else if (r.peek() != u'}') {
                return fail(u"expected `,` or `}` after a label matcher"_s, r.pos());
            }
        }
        r.advance();
        r.skipSpace();
    }
    if (r.atEnd()) {
        if (expr.name.isEmpty() && expr.matchers.isEmpty())
            return fail(u"empty selector `{}` matches every alert: add a label matcher"_s, 0);
        return expr;
    }
    const qsizetype opStart = r.pos();
    QString op;
    while (!r.atEnd() && QStringView(u"<>=!").contains(r.peek())) {
        op += r.peek();
        r.advance();
    }
    const auto cmp = parseComparator(op);
    if (!cmp)
        return fail(op.isEmpty() ? u"unexpected text after the selector: expected a comparison such as `> 90%`"_s
                                 : u"unknown comparator `%1`: use >, >=, <, <=, == or !="_s.arg(op),
            opStart);
    if (expr.name.isEmpty())
        return fail(u"a metric comparison needs a metric name before the comparator"_s, opStart);
    r.skipSpace();
    const qsizetype valueStart = r.pos();
    const auto threshold = Measure::parse(r.rest());
    if (!threshold)
        return fail(u"expected a number after `%1`, such as 90%, 0.9, 4.2s or 800ms"_s.arg(op), valueStart);
    expr.comparator = cmp;
    expr.threshold = *threshold;
    return expr;
}

} // namespace antibody

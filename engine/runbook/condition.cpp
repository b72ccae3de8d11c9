#include "engine/runbook/condition.h"

#include "engine/runbook/measure.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

constexpr int maxDepth = 32;
constexpr qsizetype maxLength = 2048;

struct Token
{
    enum class Type { Name, Path, Number, Text, Op, Open, Close, End };
    Type type = Type::End;
    QString text;
    QVariant value;
    int column = 0;
};

class Lexer
{
public:
    explicit Lexer(QStringView text)
        : m_text(text)
    {
    }

    bool next(Token *token, Condition::ParseError *error)
    {
        while (m_pos < m_text.size() && m_text[m_pos].isSpace())
            ++m_pos;
        token->column = static_cast<int>(m_pos);
        token->text.clear();
        token->value.clear();
        if (m_pos >= m_text.size()) {
            token->type = Token::Type::End;
            return true;
        }
        const QChar c = m_text[m_pos];
        if (c == u'(' || c == u')') {
            token->type = c == u'(' ? Token::Type::Open : Token::Type::Close;
            ++m_pos;
            return true;
        }
        if (QStringView(u"<>=!").contains(c)) {
            const qsizetype start = m_pos;
            while (m_pos < m_text.size() && QStringView(u"<>=!").contains(m_text[m_pos]))
                ++m_pos;
            token->type = Token::Type::Op;
            token->text = m_text.mid(start, m_pos - start).toString();
            return true;
        }
        if (c == u'\'' || c == u'"') {
            const qsizetype start = m_pos++;
            QString value;
            while (m_pos < m_text.size() && m_text[m_pos] != c)
                value += m_text[m_pos++];
            if (m_pos >= m_text.size()) {
                *error = { u"text is not closed: add %1"_s.arg(c), static_cast<int>(start) };
                return false;
            }
            ++m_pos;
            token->type = Token::Type::Text;
            token->value = value;
            token->text = value;
            return true;
        }
        if (c.isDigit() || ((c == u'-' || c == u'.') && m_pos + 1 < m_text.size() && m_text[m_pos + 1].isDigit())) {
            const qsizetype start = m_pos++;
            while (m_pos < m_text.size()
                && (m_text[m_pos].isLetterOrNumber() || m_text[m_pos] == u'.' || m_text[m_pos] == u'%'))
                ++m_pos;
            const QStringView raw = m_text.mid(start, m_pos - start);
            const auto measure = Measure::parse(raw);
            if (!measure) {
                *error = { u"`%1` is not a number: write 0.5, 50%, 4.2s or 800ms"_s.arg(raw), static_cast<int>(start) };
                return false;
            }
            token->type = Token::Type::Number;
            token->value = measure->value;
            token->text = raw.toString();
            return true;
        }
        if (c.isLetter() || c == u'_') {
            const qsizetype start = m_pos;
            bool dotted = false;
            while (m_pos < m_text.size()
                && (m_text[m_pos].isLetterOrNumber() || m_text[m_pos] == u'_' || m_text[m_pos] == u'.'
                    || m_text[m_pos] == u'-')) {
                dotted = dotted || m_text[m_pos] == u'.';
                ++m_pos;
            }
            token->text = m_text.mid(start, m_pos - start).toString();
            token->type = dotted ? Token::Type::Path : Token::Type::Name;
            if (token->text.endsWith(u'.') || token->text.contains(u".."_s)) {
                *error = { u"`%1` is not a valid reference: write step.outcome or step.fact"_s.arg(token->text),
                    static_cast<int>(start) };
                return false;
            }
            return true;
        }
        *error = { u"unexpected character `%1`"_s.arg(c), static_cast<int>(m_pos) };
        return false;
    }

private:
    QStringView m_text;
    qsizetype m_pos = 0;
};

class Parser
{
public:
    Parser(QStringView text, Condition::ParseError *error)
        : m_lexer(text)
        , m_error(error)
    {
    }

    std::shared_ptr<Condition> parseAll()
    {
        if (!advance())
            return nullptr;
        auto node = parseOr(0);
        if (!node)
            return nullptr;
        if (m_token.type != Token::Type::End)
            return fail(m_token.type == Token::Type::Close
                    ? u"unbalanced `)`"_s
                    : u"unexpected `%1`: join conditions with `and` or `or`"_s.arg(m_token.text));
        return node;
    }

private:
    std::shared_ptr<Condition> fail(const QString &message)
    {
        *m_error = { message, m_token.column };
        return nullptr;
    }
    bool advance() { return m_lexer.next(&m_token, m_error); }
    bool isWord(QStringView w) const { return m_token.type == Token::Type::Name && m_token.text == w; }

    std::shared_ptr<Condition> parseOr(int depth)
    {
        return parseChain(depth, u"or", Condition::Kind::Or, [this](int d) { return parseAnd(d); });
    }
    std::shared_ptr<Condition> parseAnd(int depth)
    {
        return parseChain(depth, u"and", Condition::Kind::And, [this](int d) { return parseNot(d); });
    }
    template <typename Next>
    std::shared_ptr<Condition> parseChain(int depth, QStringView word, Condition::Kind kind, Next next)
    {
        auto first = next(depth);
        if (!first)
            return nullptr;
        if (!isWord(word))
            return first;
        auto chain = std::make_shared<Condition>();
        chain->kind = kind;
        chain->column = first->column;
        chain->children.push_back(first);
        while (isWord(word)) {
            if (!advance())
                return nullptr;
            auto more = next(depth);
            if (!more)
                return nullptr;
            chain->children.push_back(more);
        }
        return chain;
    }
    std::shared_ptr<Condition> parseNot(int depth)
    {
        if (depth > maxDepth)
            return fail(u"condition is nested more than %1 levels deep"_s.arg(maxDepth));
        if (isWord(u"not")) {
            auto node = std::make_shared<Condition>();
            node->kind = Condition::Kind::Not;
            node->column = m_token.column;
            if (!advance())
                return nullptr;
            auto child = parseNot(depth + 1);
            if (!child)
                return nullptr;
            node->children.push_back(child);
            return node;
        }
        return parsePrimary(depth);
    }
    std::shared_ptr<Condition> parsePrimary(int depth)
    {
        if (m_token.type == Token::Type::Open) {
            if (!advance())
                return nullptr;
            auto inner = parseOr(depth + 1);
            if (!inner)
                return nullptr;
            if (m_token.type != Token::Type::Close)
                return fail(u"expected `)`"_s);
            if (!advance())
                return nullptr;
            return inner;
        }
        if (m_token.type == Token::Type::End)
            return fail(u"expected a condition such as `verify.failed` or `diagnose.cause == leak`"_s);
        if (m_token.type != Token::Type::Path && m_token.type != Token::Type::Name)
            return fail(u"expected a step reference such as `verify.failed`, found `%1`"_s.arg(m_token.text));
        if (m_token.type == Token::Type::Name && (m_token.text == u"and" || m_token.text == u"or"))
            return fail(u"`%1` needs a condition on its left"_s.arg(m_token.text));
        auto node = std::make_shared<Condition>();
        node->column = m_token.column;
        node->path = m_token.text.split(u'.');
        node->kind = Condition::Kind::Truthy;
        if (!advance())
            return nullptr;
        if (m_token.type != Token::Type::Op)
            return node;
        const auto op = parseComparator(m_token.text);
        if (!op)
            return fail(u"unknown comparator `%1`: use ==, !=, >, >=, < or <="_s.arg(m_token.text));
        node->kind = Condition::Kind::Compare;
        node->op = *op;
        if (!advance())
            return nullptr;
        switch (m_token.type) {
        case Token::Type::Number:
        case Token::Type::Text:
            node->literal = m_token.value;
            break;
        case Token::Type::Name:
            if (m_token.text == u"true" || m_token.text == u"false")
                node->literal = m_token.text == u"true";
            else
                node->literal = m_token.text; // a bare word is text: cause == leak
            break;
        default:
            return fail(u"expected a value after `%1`"_s.arg(comparatorText(*op)));
        }
        node->literalText = m_token.text;
        if (!advance())
            return nullptr;
        return node;
    }

    Lexer m_lexer;
    Condition::ParseError *m_error;
    Token m_token;
};

QString valueText(const QVariant &v)
{
    if (v.typeId() == QMetaType::Bool)
        return v.toBool() ? u"true"_s : u"false"_s;
    if (v.typeId() == QMetaType::Double)
        return QString::number(v.toDouble(), 'g', 6);
    return v.toString();
}

} // namespace

std::shared_ptr<const Condition> Condition::parse(QStringView text, ParseError *error)
{
    ParseError local;
    ParseError *err = error ? error : &local;
    if (text.size() > maxLength) {
        *err = { u"condition is longer than %1 characters"_s.arg(maxLength), 0 };
        return nullptr;
    }
    Parser parser(text, err);
    return parser.parseAll();
}

QList<QStringList> Condition::references() const
{
    QList<QStringList> out;
    if (kind == Kind::Truthy || kind == Kind::Compare)
        out << path;
    for (const auto &child : children)
        out << child->references();
    return out;
}

QString Condition::toString() const
{
    switch (kind) {
    case Kind::And:
    case Kind::Or: {
        QStringList parts;
        for (const auto &child : children) {
            const bool wrap = child->kind == Kind::And || child->kind == Kind::Or;
            parts << (wrap ? u'(' + child->toString() + u')' : child->toString());
        }
        return parts.join(kind == Kind::And ? u" and "_s : u" or "_s);
    }
    case Kind::Not:
        return u"not "_s + children.front()->toString();
    case Kind::Truthy:
        return path.join(u'.');
    case Kind::Compare:
        return path.join(u'.') + u' ' + comparatorText(op) + u' '
            + (literalText.isEmpty() ? valueText(literal) : literalText);
    }
    return {};
}

Condition::Verdict Condition::evaluate(const Facts &facts) const
{
    switch (kind) {
    case Kind::And:
    case Kind::Or: {
        const bool isAnd = kind == Kind::And;
        QStringList reasons;
        for (const auto &child : children) {
            const Verdict v = child->evaluate(facts);
            if (!v.known)
                return { false, false, v.explanation };
            if (v.value != isAnd) // first false in an and, first true in an or decides
                return { v.value, true, v.explanation };
            reasons << v.explanation;
        }
        return { isAnd, true, reasons.join(isAnd ? u" and "_s : u" or "_s) };
    }
    case Kind::Not: {
        const Verdict v = children.front()->evaluate(facts);
        return { v.known && !v.value, v.known, v.explanation };
    }
    case Kind::Truthy:
    case Kind::Compare:
        break;
    }
    const QString name = path.join(u'.');
    const auto fact = facts(path);
    if (!fact || !fact->isValid())
        return { false, false, u"%1 is not known"_s.arg(name) };
    if (kind == Kind::Truthy) {
        const bool value = fact->typeId() == QMetaType::Bool ? fact->toBool()
            : fact->typeId() == QMetaType::QString           ? !fact->toString().isEmpty()
                                                             : fact->toDouble() != 0.0;
        return { value, true, u"%1 is %2"_s.arg(name, value ? u"true"_s : u"false"_s) };
    }
    bool value = false;
    bool lhsNumeric = false;
    const double lhs = fact->toDouble(&lhsNumeric);
    bool rhsNumeric = false;
    const double rhs = literal.toDouble(&rhsNumeric);
    const bool numeric
        = lhsNumeric && rhsNumeric && fact->typeId() != QMetaType::Bool && literal.typeId() != QMetaType::QString;
    if (numeric) {
        value = compare(lhs, op, rhs);
    } else if (op == Comparator::Equal || op == Comparator::NotEqual) {
        const bool equal = valueText(*fact) == valueText(literal);
        value = op == Comparator::Equal ? equal : !equal;
    } else {
        return { false, false,
            u"%1 is %2, which cannot be compared with %3"_s.arg(name, valueText(*fact), literalText) };
    }
    return { value, true,
        u"%1 is %2 (%3 %4 %5)"_s.arg(
            name, valueText(*fact), value ? u"meets"_s : u"fails"_s, comparatorText(op), literalText) };
}

} // namespace antibody

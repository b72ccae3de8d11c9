#include "engine/runbook/nodereader.h"

#include "engine/runbook/didyoumean.h"

using namespace Qt::StringLiterals;

namespace antibody {

const QString NodeReader::durationHint = u"write a whole number and a unit, largest first: 300s, 5m, 1h30m, 250ms, 14d"_s;

NodeReader::NodeReader(DiagnosticReport &report)
    : m_report(report)
{
}

void NodeReader::wrongType(const YamlNode &node, const QString &what, const QString &expected, const QString &hint)
{
    m_report.add(DiagnosticCode::WrongType, node.location, u"%1 must be %2, found %3"_s.arg(what, expected, node.describe()), hint);
}

bool NodeReader::expectMap(const YamlNode &node, const QString &what, const QString &hint)
{
    if (node.isMap())
        return true;
    wrongType(node, what, u"a mapping"_s, hint);
    return false;
}

bool NodeReader::expectList(const YamlNode &node, const QString &what, const QString &hint)
{
    if (node.isSequence())
        return true;
    wrongType(node, what, u"a list"_s, hint);
    return false;
}

bool NodeReader::checkKeys(const YamlNode &node, const FormatSection &section, const QString &what)
{
    if (!expectMap(node, what, u"write it as `key: value` lines indented under it, or `{ key: value }`"_s))
        return false;
    const QStringList known = section.keyNames();
    QSet<QString> seen;
    for (const YamlNode::Entry &e : node.entries) {
        if (section.key(e.key) || seen.contains(e.key))
            continue;
        seen.insert(e.key);
        m_report.add(DiagnosticCode::UnknownKey, e.keyLocation, u"unknown key `%1` in %2"_s.arg(e.key, what),
            didYouMeanHint(e.key, known, u"the keys here are: %1"_s.arg(known.join(u", "_s))));
    }
    for (const FormatKey &k : section.keys) {
        if (k.required && !node.has(k.name))
            m_report.add(DiagnosticCode::MissingKey, node.location, u"%1 has no `%2`"_s.arg(what, k.name),
                u"add `%1:`. %2"_s.arg(k.name, k.description));
    }
    return true;
}

std::optional<QString> NodeReader::text(const YamlNode &node, const QString &what)
{
    if (node.isScalar())
        return node.scalar;
    wrongType(node, what, u"text"_s, node.isNull() ? u"give it a value, or remove the key"_s : u"quote it if it is meant as text"_s);
    return std::nullopt;
}

bool NodeReader::isName(QStringView text)
{
    if (text.isEmpty() || text.size() > 100 || !(text.front().isLetter() && text.front().unicode() < 128))
        return false;
    for (QChar c : text) {
        const bool ascii = c.unicode() < 128;
        if (!(ascii && (c.isLetterOrNumber() || c == u'_' || c == u'-')))
            return false;
    }
    return true;
}

std::optional<QString> NodeReader::name(const YamlNode &node, const QString &what)
{
    const auto value = text(node, what);
    if (!value)
        return std::nullopt;
    if (isName(*value))
        return value;
    QString suggestion;
    for (QChar c : value->trimmed().toLower())
        suggestion += (c.unicode() < 128 && (c.isLetterOrNumber() || c == u'-')) ? c : u'_';
    m_report.add(DiagnosticCode::InvalidName, node.location, u"%1 `%2` is not a valid name"_s.arg(what, *value),
        u"use ASCII letters, digits, `_` and `-`, starting with a letter%1"_s.arg(
            isName(suggestion) ? u" (e.g. `%1`)"_s.arg(suggestion) : QString()));
    return std::nullopt;
}

std::optional<int> NodeReader::integer(const YamlNode &node, int minimum, int maximum, const QString &what)
{
    const auto value = text(node, what);
    if (!value)
        return std::nullopt;
    bool ok = false;
    const qlonglong number = value->toLongLong(&ok);
    if (!ok) {
        wrongType(node, what, u"a whole number"_s, u"write digits only, e.g. %1"_s.arg(minimum));
        return std::nullopt;
    }
    if (number < minimum || number > maximum) {
        m_report.add(DiagnosticCode::OutOfRange, node.location, u"%1 must be between %2 and %3, found %4"_s.arg(what).arg(minimum).arg(maximum).arg(number),
            u"pick a value from %1 to %2"_s.arg(minimum).arg(maximum));
        return std::nullopt;
    }
    return static_cast<int>(number);
}

std::optional<Duration> NodeReader::duration(const YamlNode &node, const QString &what)
{
    const auto value = text(node, what);
    if (!value)
        return std::nullopt;
    if (const auto d = parseDuration(*value))
        return d;
    m_report.add(DiagnosticCode::InvalidDuration, node.location, u"%1 is not a duration: `%2`"_s.arg(what, *value), durationHint);
    return std::nullopt;
}

std::optional<QString> NodeReader::choice(const YamlNode &node, const QStringList &values, const QString &what)
{
    const auto value = text(node, what);
    if (!value)
        return std::nullopt;
    if (values.contains(*value))
        return value;
    m_report.add(DiagnosticCode::InvalidChoice, node.location, u"%1 cannot be `%2`"_s.arg(what, *value),
        didYouMeanHint(*value, values, u"write one of: %1"_s.arg(values.join(u", "_s))));
    return std::nullopt;
}

std::optional<QStringList> NodeReader::textList(const YamlNode &node, const QString &what)
{
    if (!expectList(node, what, u"write a list: `[a, b]`, or one `- item` per line"_s))
        return std::nullopt;
    QStringList out;
    bool ok = true;
    for (const auto &item : node.items) {
        if (item->isScalar())
            out << item->scalar;
        else {
            wrongType(*item, u"each item of "_s + what, u"text"_s, u"lists here hold plain values only"_s);
            ok = false;
        }
    }
    return ok ? std::optional<QStringList>(out) : std::nullopt;
}

} // namespace antibody

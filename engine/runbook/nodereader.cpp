#include "engine/runbook/nodereader.h"

#include "engine/runbook/didyoumean.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// A value as a message shows it: on one line, and short.
QString shown(const QString &value)
{
    QString out;
    for (QChar c : QStringView(value).left(60))
        out += c.unicode() < 0x20 ? u"\\x%1"_s.arg(int(c.unicode()), 2, 16, QChar(u'0')) : QString(c);
    return value.size() > 60 ? out + u"..."_s : out;
}

// What to write instead of `value`, which is not a service name.
QString serviceNameHint(const QString &value)
{
    static const QRegularExpression pattern(u"[*?|\\[\\]{}()^$+\\\\=~!\"]"_s);
    if (value.contains(pattern))
        return u"list exact names: `services:` takes no patterns or matchers (label matchers belong in the trigger: "
               u"`alert: CrashLooping{service=~\"checkout-.*\"}`)"_s;
    if (value.size() > 253)
        return u"a service name has at most 253 characters"_s;
    QString suggestion;
    for (QChar c : value.trimmed().toLower())
        suggestion += (c.unicode() < 128 && (c.isLetterOrNumber() || c == u'.')) ? c : u'-';
    return u"use lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit (a DNS-1123 name, "
           u"as Kubernetes names services)%1"_s.arg(
               NodeReader::isServiceName(suggestion) ? u": `%1`"_s.arg(suggestion) : QString());
}

} // namespace

const QString NodeReader::durationHint
    = u"write a whole number and a unit, largest first: 300s, 5m, 1h30m, 250ms, 14d"_s;
const QString NodeReader::serviceNamePattern = u"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$"_s;

NodeReader::NodeReader(DiagnosticReport &report)
    : m_report(report)
{
}

void NodeReader::wrongType(const YamlNode &node, const QString &what, const QString &expected, const QString &hint)
{
    m_report.add(DiagnosticCode::WrongType, node.location,
        u"%1 must be %2, found %3"_s.arg(what, expected, node.describe()), hint);
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
    wrongType(node, what, u"text"_s,
        node.isNull() ? u"give it a value, or remove the key"_s : u"quote it if it is meant as text"_s);
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

bool NodeReader::isServiceName(const QString &text)
{
    // Anchored at the very end: `$` alone also matches before a final newline.
    static const QRegularExpression valid(QRegularExpression::anchoredPattern(serviceNamePattern));
    return valid.match(text).hasMatch();
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
        m_report.add(DiagnosticCode::OutOfRange, node.location,
            u"%1 must be between %2 and %3, found %4"_s.arg(what).arg(minimum).arg(maximum).arg(number),
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
    m_report.add(DiagnosticCode::InvalidDuration, node.location, u"%1 is not a duration: `%2`"_s.arg(what, *value),
        durationHint);
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

std::optional<QStringList> NodeReader::serviceList(const YamlNode &node, qsizetype maximum, const QString &what)
{
    const QString hint = u"write the services as a list, `[checkout-svc]` or one `- checkout-svc` per line; leave "
                         u"`services:` out for a runbook that serves every service"_s;
    if (!node.isSequence() || node.items.isEmpty()) {
        wrongType(node, what, u"a list of at least one service name"_s, hint);
        return std::nullopt;
    }
    if (node.items.size() > maximum) {
        m_report.add(DiagnosticCode::OutOfRange, node.location,
            u"%1 lists %2 services, more than %3"_s.arg(what).arg(node.items.size()).arg(maximum),
            u"a runbook for that many services is one for every service: leave `services:` out, or split the "
            u"runbook"_s);
        return std::nullopt;
    }
    QStringList out;
    bool ok = true;
    for (const auto &item : node.items) {
        if (!item->isScalar()) {
            wrongType(*item, u"each item of "_s + what, u"a service name"_s,
                u"one service name per item, as the alert's `service` label carries it"_s);
            ok = false;
            continue;
        }
        const QString &value = item->scalar;
        if (isServiceName(value)) {
            out << value;
            continue;
        }
        ok = false;
        m_report.add(DiagnosticCode::InvalidName, item->location,
            u"%1: `%2` is not a service name"_s.arg(what, shown(value)), serviceNameHint(value));
    }
    return ok ? std::optional<QStringList>(out) : std::nullopt;
}

} // namespace antibody

#include "engine/runbook/paramreader.h"

#include "engine/runbook/didyoumean.h"

#include <QRegularExpression>
#include <cmath>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QString typeHint(ParamType type)
{
    switch (type) {
    case ParamType::Integer:
        return u"write a whole number such as 2 or -1"_s;
    case ParamType::Number:
        return u"write a number such as 0.5"_s;
    case ParamType::Bool:
        return u"write true or false"_s;
    case ParamType::Duration:
        return NodeReader::durationHint;
    case ParamType::Percent:
        return u"write a share such as 15% or 0.15"_s;
    case ParamType::Threshold:
        return u"write a number, a percentage or a latency: 70%, 0.7, 4.2s, 800ms"_s;
    case ParamType::Count:
        return u"write a share such as \"15%\" or a whole number such as 2"_s;
    case ParamType::Metric:
        return u"write a metric name, optionally with label matchers: db_pool_utilization{service=\"orders-db\"}"_s;
    default:
        return {};
    }
}

// A metric parameter names a series: a selector, or PromQL (anything with a function
// call) that only a Prometheus source can judge.
bool checkMetric(const QString &text, QString *problem, QString *hint)
{
    if (text.trimmed().isEmpty()) {
        *problem = u"the metric is empty"_s;
        *hint = typeHint(ParamType::Metric);
        return false;
    }
    if (text.contains(u'('))
        return true;
    TriggerExpression::ParseError error;
    const auto expr = TriggerExpression::parse(text, &error);
    if (!expr) {
        *problem = u"`%1` is not a metric selector: %2"_s.arg(text, error.message);
        *hint = typeHint(ParamType::Metric);
        return false;
    }
    if (expr->isMetric() || expr->name.isEmpty()) {
        *problem = expr->isMetric() ? u"`%1` is a comparison; this parameter names a series"_s.arg(text)
                                    : u"`%1` has no metric name"_s.arg(text);
        *hint = u"name the series here and put the threshold in its own parameter (`below:` or `above:`)"_s;
        return false;
    }
    return true;
}

QStringList listFromText(const QString &text)
{
    QString inner = text.trimmed();
    if (inner.startsWith(u'[') && inner.endsWith(u']'))
        inner = inner.mid(1, inner.size() - 2);
    QStringList out;
    for (const QString &part : inner.split(u',', Qt::SkipEmptyParts)) {
        if (!part.trimmed().isEmpty())
            out << part.trimmed();
    }
    return out;
}

QString listText(const QStringList &items)
{
    return u'[' + items.join(u", "_s) + u']';
}

} // namespace

ParamReader::ParamReader(NodeReader &reader)
    : m_reader(reader)
{
}

std::optional<ParamValue> ParamReader::fromText(
    const ParamSpec &spec, const QString &text, QString *problem, QString *hint)
{
    ParamValue v;
    v.type = spec.type;
    v.text = text;
    const QString t = text.trimmed();
    bool ok = true;
    const auto fail = [&](const QString &what) -> std::optional<ParamValue> {
        *problem = u"`%1` is not %2"_s.arg(text, what);
        *hint = typeHint(spec.type);
        return std::nullopt;
    };
    switch (spec.type) {
    case ParamType::String:
        v.value = text;
        return v;
    case ParamType::Metric:
        if (!checkMetric(text, problem, hint))
            return std::nullopt;
        v.value = t;
        return v;
    case ParamType::Enum:
        if (!spec.values.contains(t)) {
            *problem = u"`%1` is not one of the allowed values"_s.arg(text);
            *hint = didYouMeanHint(t, spec.values, u"write one of: %1"_s.arg(spec.values.join(u", "_s)));
            return std::nullopt;
        }
        v.value = t;
        return v;
    case ParamType::Integer: {
        const qlonglong n = t.toLongLong(&ok);
        if (!ok)
            return fail(u"a whole number"_s);
        v.value = static_cast<qint64>(n);
        return v;
    }
    case ParamType::Number: {
        const double n = t.toDouble(&ok);
        if (!ok || !std::isfinite(n))
            return fail(u"a number"_s);
        v.value = n;
        return v;
    }
    case ParamType::Bool:
        if (t != u"true"_s && t != u"false"_s && t != u"True"_s && t != u"False"_s)
            return fail(u"true or false"_s);
        v.value = t.toLower() == u"true"_s;
        return v;
    case ParamType::Duration: {
        const auto d = parseDuration(t);
        if (!d)
            return fail(u"a duration"_s);
        v.value = static_cast<qint64>(d->count());
        return v;
    }
    case ParamType::Percent: {
        const auto m = Measure::parse(t);
        if (!m || m->kind == Measure::Kind::Seconds || m->value < 0 || m->value > 1)
            return fail(u"a share between 0% and 100%"_s);
        v.value = m->value;
        return v;
    }
    case ParamType::Threshold: {
        const auto m = Measure::parse(t);
        if (!m)
            return fail(u"a threshold"_s);
        v.measure = m;
        v.value = m->value;
        return v;
    }
    case ParamType::Count: {
        const auto cap = Cap::parse(t);
        if (!cap)
            return fail(u"a share in (0%, 100%] or a whole number of at least 1"_s);
        v.cap = cap;
        v.value = cap->value;
        return v;
    }
    case ParamType::StringList: {
        const QStringList items = listFromText(t);
        v.value = items;
        v.text = listText(items);
        return v;
    }
    case ParamType::StringMap:
        return fail(u"a mapping"_s);
    }
    return std::nullopt;
}

std::optional<ParamValue> ParamReader::readValue(const ParamSpec &spec, const YamlNode &node, const QString &what)
{
    std::optional<ParamValue> v;
    if (spec.type == ParamType::StringList) {
        const auto items = m_reader.textList(node, what);
        if (!items)
            return std::nullopt;
        for (const QString &item : *items) {
            if (!spec.values.isEmpty() && !spec.values.contains(item)) {
                m_reader.report().add(DiagnosticCode::InvalidParam, node.location,
                    u"%1 cannot hold `%2`"_s.arg(what, item),
                    didYouMeanHint(item, spec.values, u"the allowed items are: %1"_s.arg(spec.values.join(u", "_s))));
                return std::nullopt;
            }
        }
        v = ParamValue { spec.type, *items, {}, {}, listText(*items), {} };
    } else if (spec.type == ParamType::StringMap) {
        if (!m_reader.expectMap(node, what, u"write `{ key: value }`"_s))
            return std::nullopt;
        QVariantMap map;
        for (const YamlNode::Entry &e : node.entries) {
            const auto value = e.value ? m_reader.text(*e.value, u"`%1` in %2"_s.arg(e.key, what)) : std::nullopt;
            if (!value)
                return std::nullopt;
            map.insert(e.key, *value);
        }
        v = ParamValue { spec.type, map, {}, {}, {}, {} };
    } else {
        if (!node.isScalar()) {
            m_reader.wrongType(node, what, u"a single value"_s,
                typeHint(spec.type).isEmpty() ? u"write it as text"_s : typeHint(spec.type));
            return std::nullopt;
        }
        QString problem;
        QString hint;
        v = fromText(spec, node.scalar, &problem, &hint);
        if (!v) {
            m_reader.report().add(DiagnosticCode::InvalidParam, node.location, u"%1: %2"_s.arg(what, problem), hint);
            return std::nullopt;
        }
    }
    v->location = node.location;
    return v;
}

QMap<QString, ParamValue> ParamReader::read(
    const YamlNode *params, const ActionSpec &action, const QString &stepName, SourceLocation stepLocation)
{
    QMap<QString, ParamValue> out;
    QStringList known;
    for (const ParamSpec &p : action.params)
        known << p.name;
    SourceLocation where = stepLocation;
    if (params && !params->isNull()) {
        where = params->location;
        if (!m_reader.expectMap(
                *params, u"`params` of step `%1`"_s.arg(stepName), u"write `params: { name: value }`"_s))
            return out;
        for (const YamlNode::Entry &e : params->entries) {
            if (params->isDuplicate(e.key))
                continue; // reported, and neither value counts
            const ParamSpec *spec = action.param(e.key);
            if (!spec) {
                m_reader.report().add(DiagnosticCode::UnknownParam, e.keyLocation,
                    u"action `%1` has no parameter `%2` (step `%3`)"_s.arg(action.name, e.key, stepName),
                    didYouMeanHint(e.key, known,
                        known.isEmpty() ? u"this action takes no parameters"_s
                                        : u"its parameters are: %1"_s.arg(known.join(u", "_s))));
                continue;
            }
            if (const auto v = readValue(*spec, *e.value, u"parameter `%1` of step `%2`"_s.arg(e.key, stepName)))
                out.insert(e.key, *v);
        }
    }
    const bool anyGiven = [&] {
        for (const QString &name : action.oneOf) {
            if (params && params->has(name))
                return true;
        }
        return false;
    }();
    int given = 0;
    for (const QString &name : action.oneOf)
        given += params && params->has(name) ? 1 : 0;
    if (!action.oneOf.isEmpty() && given != 1) {
        m_reader.report().add(DiagnosticCode::OneOfParams, where,
            anyGiven ? u"step `%1` gives %2 of %3; `%4` takes exactly one"_s.arg(stepName).arg(given).arg(
                action.oneOf.join(u", "_s), action.name)
                     : u"step `%1` gives none of %2; `%3` takes exactly one"_s.arg(
                         stepName, action.oneOf.join(u", "_s), action.name),
            u"keep exactly one of: %1"_s.arg(action.oneOf.join(u", "_s)));
    }
    for (const ParamSpec &spec : action.params) {
        const bool present = params && params->has(spec.name);
        if (spec.required && !present) {
            m_reader.report().add(DiagnosticCode::MissingParam, where,
                u"step `%1` needs parameter `%2` of `%3`"_s.arg(stepName, spec.name, action.name),
                u"add `%1:`. %2"_s.arg(spec.name, spec.description));
            continue;
        }
        if (present || spec.defaultValue.isEmpty() || action.oneOf.contains(spec.name))
            continue;
        QString problem;
        QString hint;
        if (const auto v = fromText(spec, spec.defaultValue, &problem, &hint))
            out.insert(spec.name, *v);
    }
    return out;
}

} // namespace antibody

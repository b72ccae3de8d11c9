#include "engine/runbook/paramtext.h"

#include "engine/core/time.h"
#include "engine/runbook/actioncatalog.h"

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

// Every step may set `timeout:` (the runbook format's step key), whether or not its
// action lists one.
const QString stepTimeout = u"timeout"_s;

QString valueText(const QString &name, const ParamSpec *spec, const QVariant &value)
{
    const ParamType type = spec ? spec->type : (name == stepTimeout ? ParamType::Duration : ParamType::String);
    switch (type) {
    case ParamType::Duration:
        return formatDuration(Duration { value.toLongLong() });
    case ParamType::Percent:
        return QString::number(value.toDouble() * 100, 'g', 4) + u'%';
    case ParamType::StringList:
        return value.toStringList().join(u", "_s);
    default:
        return value.toString();
    }
}

} // namespace

QString paramsText(const QString &action, const QVariantMap &params)
{
    const ActionSpec *spec = ActionCatalog::instance().find(action);
    QStringList order;
    for (const ParamSpec &p : spec ? spec->params : QList<ParamSpec>()) {
        if (params.contains(p.name))
            order << p.name;
    }
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        if (!order.contains(it.key()))
            order << it.key();
    }
    QStringList parts;
    for (const QString &name : std::as_const(order))
        parts << u"%1 %2"_s.arg(name, valueText(name, spec ? spec->param(name) : nullptr, params.value(name)));
    return parts.join(u" · "_s);
}

} // namespace antibody

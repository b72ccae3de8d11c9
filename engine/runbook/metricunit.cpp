#include "engine/runbook/metricunit.h"

#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/triggerexpression.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// Every bound the runbook writes for `metricName`, in file order.
QList<Measure> boundsOf(const QString &metricName, const Runbook &runbook)
{
    QList<Measure> bounds;
    for (const TriggerExpression &e : runbook.trigger.expressions) {
        if (e.isMetric() && e.name == metricName)
            bounds << e.threshold;
    }
    for (const Step &s : runbook.steps) {
        const ParamValue *metric = s.param(u"metric"_s);
        if (!ActionCatalog::hasRole(s.action, ActionRole::Verify) || !metric
            || metricNameOf(metric->toText()) != metricName)
            continue;
        for (const QString &goal : { u"below"_s, u"above"_s }) {
            if (const ParamValue *p = s.param(goal); p && p->measure)
                bounds << *p->measure;
        }
    }
    return bounds;
}

} // namespace

QString metricNameOf(const QString &selector)
{
    TriggerExpression::ParseError error;
    const auto parsed = TriggerExpression::parse(selector, &error);
    return parsed && !parsed->isMetric() ? parsed->name : QString();
}

Measure::Kind metricUnit(const QString &metricName, const Runbook *runbook)
{
    bool plainAboveOne = false;
    for (const Measure &bound : runbook ? boundsOf(metricName, *runbook) : QList<Measure> {}) {
        if (bound.kind != Measure::Kind::Plain)
            return bound.kind;
        plainAboveOne = plainAboveOne || bound.value > 1;
    }
    if (plainAboveOne)
        return Measure::Kind::Plain;
    // A recorded series, level:metric:operation, has its metric's unit unless the
    // operation makes a ratio; a quantile of seconds (p99) is seconds.
    const QStringList parts = metricName.split(u':');
    const QString metric = parts.size() == 3 ? parts[1] : metricName;
    const QString operation = parts.size() == 3 ? parts[2] : QString();
    if (operation.endsWith(u"ratio") || metric.endsWith(u"_ratio") || metric.contains(u"utilization")
        || metric.endsWith(u"_rate"))
        return Measure::Kind::Percent;
    const bool quantile = operation.size() > 1 && operation[0] == u'p' && operation[1].isDigit();
    if (metricName.endsWith(u"_seconds") || (metric.endsWith(u"_seconds") && quantile))
        return Measure::Kind::Seconds;
    return Measure::Kind::Plain;
}

} // namespace antibody

#include "engine/runbook/chartedmetrics.h"

#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/comparator.h"
#include "engine/runbook/triggerexpression.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

constexpr AlertMetric alertVocabulary[] = {
    { u"DbConnectionPoolExhausted", u"service:pg_connection_utilization:ratio", u">", 0.9, Measure::Kind::Percent,
        u"90%" },
    { u"HighLatency", u"service:http_server_request_duration_seconds:p99", u">", 1.0, Measure::Kind::Seconds, u"1s" },
    { u"HighErrorRate", u"service:http_server_requests:error_ratio", u">", 0.05, Measure::Kind::Percent, u"5%" },
    { u"ReplicationLagHigh", u"pg_replication_lag", u">", 10.0, Measure::Kind::Seconds, u"10s" },
    { u"RegionDegraded", u"service_region:http_server_requests:error_ratio", u">", 0.2, Measure::Kind::Percent,
        u"20%" },
    { u"BlackboxSslCertificateWillExpireSoon", u"instance:probe_ssl_earliest_cert_expiry:remaining_seconds", u"<",
        14 * 86'400.0, Measure::Kind::Seconds, u"14d" },
};

} // namespace

std::span<const AlertMetric> alertMetrics()
{
    return alertVocabulary;
}

QList<MetricLine> metricLines(const Runbook &runbook)
{
    QList<MetricLine> lines;
    for (const TriggerExpression &e : runbook.trigger.expressions) {
        if (!e.isMetric())
            continue;
        lines << MetricLine { e.name, e.matchers, e.threshold.kind, e.threshold.value,
            u"trigger %1 %2"_s.arg(comparatorText(*e.comparator), e.threshold.text), true };
    }
    for (const Step &s : runbook.steps) {
        if (!ActionCatalog::hasRole(s.action, ActionRole::Verify))
            continue;
        const ParamValue *metric = s.param(u"metric"_s);
        if (!metric)
            continue;
        TriggerExpression::ParseError error;
        const auto selector = TriggerExpression::parse(metric->toText(), &error);
        if (!selector)
            continue;
        for (const QString &direction : { u"below"_s, u"above"_s }) {
            if (const ParamValue *bound = s.param(direction)) {
                const QString text = bound->measure ? bound->measure->text : bound->text;
                lines << MetricLine { selector->name, selector->matchers,
                    bound->measure ? bound->measure->kind : Measure::Kind::Plain, bound->toNumber(),
                    u"goal %1 %2"_s.arg(direction, text), false };
            }
        }
    }
    return lines;
}

QSet<QString> chartedMetrics(const QList<Runbook> &runbooks)
{
    QSet<QString> names;
    for (const AlertMetric &a : alertVocabulary)
        names.insert(a.metric.toString());
    for (const Runbook &r : runbooks) {
        for (const MetricLine &l : metricLines(r))
            names.insert(l.metric);
    }
    return names;
}

} // namespace antibody

#include "models/present/chartplan.h"

#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/metricunit.h"
#include "engine/runbook/triggerexpression.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// rules/antibody.rules.yml (docs/vocabulary.md): the series behind each alert, and the line it crosses.
struct AlertMetric
{
    QStringView alert;
    QStringView metric;
    QStringView comparator;
    double threshold;
    Measure::Kind unit;
    QStringView thresholdText;
};

constexpr AlertMetric alertMetrics[] = {
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

// The engine's rule first; the caller's unit (the bound it draws, the vocabulary's
// unit for an alert) when the rule has nothing to say.
Measure::Kind unitOf(const QString &metric, const Runbook *runbook, Measure::Kind fallback)
{
    const Measure::Kind unit = metricUnit(metric, runbook);
    return unit != Measure::Kind::Plain ? unit : fallback;
}

void addChart(QList<ChartSpec> &charts, const Runbook *runbook, const QString &metric, const Labels &scope,
    Measure::Kind unit, std::optional<ChartThreshold> threshold)
{
    const QString &name = metric;
    auto it = std::find_if(charts.begin(), charts.end(), [&](const ChartSpec &c) { return c.metric == name; });
    if (it == charts.end()) {
        charts << ChartSpec { name, scope, unitOf(name, runbook, unit), {} };
        it = charts.end() - 1;
    }
    if (threshold && !it->thresholds.contains(*threshold))
        it->thresholds << *threshold;
}

Labels scopeOf(const Incident &incident, const QList<LabelMatcher> &matchers)
{
    Labels scope;
    if (!incident.service.isEmpty())
        scope.insert(u"service"_s, incident.service);
    for (const LabelMatcher &m : matchers) {
        if (m.op == LabelMatcher::Op::Equal)
            scope.insert(m.name, m.value);
    }
    return scope;
}

} // namespace

QString ChartSpec::selector() const
{
    QStringList matchers;
    for (auto it = scope.cbegin(); it != scope.cend(); ++it) {
        QString value = it.value();
        value.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s);
        matchers << u"%1=\"%2\""_s.arg(it.key(), value);
    }
    return matchers.isEmpty() ? metric : u"%1{%2}"_s.arg(metric, matchers.join(u","_s));
}

QString ChartSpec::title() const
{
    QStringList values;
    for (auto it = scope.cbegin(); it != scope.cend(); ++it)
        values << it.value();
    return values.isEmpty() ? metric : u"%1 · %2"_s.arg(metric, values.join(u", "_s));
}

QList<ChartSpec> chartsFor(const Incident &incident, const Runbook *runbook)
{
    QList<ChartSpec> charts;
    bool triggerCharted = false;
    if (runbook) {
        for (const TriggerExpression &e : runbook->trigger.expressions) {
            if (!e.isMetric())
                continue;
            addChart(charts, runbook, e.name, scopeOf(incident, e.matchers), e.threshold.kind,
                ChartThreshold {
                    e.threshold.value, u"trigger %1 %2"_s.arg(comparatorText(*e.comparator), e.threshold.text) });
            triggerCharted = true;
        }
        for (const Step &s : runbook->steps) {
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
                    addChart(charts, runbook, selector->name, scopeOf(incident, selector->matchers),
                        bound->measure ? bound->measure->kind : Measure::Kind::Plain,
                        ChartThreshold { bound->toNumber(), u"goal %1 %2"_s.arg(direction, text) });
                }
            }
        }
    }
    if (!triggerCharted) {
        const QString alert = incident.labels.value(u"alertname"_s, incident.title);
        for (const AlertMetric &a : alertMetrics) {
            if (a.alert != alert)
                continue;
            // The table is the simulated fleet's vocabulary; a runbook that charts
            // metrics of its own (a real stack's PromQL) knows its stack better.
            const QString vocabulary = a.metric.toString();
            if (!charts.isEmpty() && std::none_of(charts.cbegin(), charts.cend(), [&](const ChartSpec &c) {
                    return c.metric == vocabulary;
                }))
                continue;
            // The alert's own metric explains the incident best: it goes first.
            const ChartThreshold line { a.threshold, u"alert %1 %2"_s.arg(a.comparator, a.thresholdText) };
            addChart(charts, runbook, a.metric.toString(), scopeOf(incident, {}), a.unit, line);
            const auto it = std::find_if(
                charts.begin(), charts.end(), [&](const ChartSpec &c) { return c.metric == vocabulary; });
            if (it != charts.begin())
                std::rotate(charts.begin(), it, it + 1);
            // ... and so does its line, first: the chart draws the first threshold as trouble.
            QList<ChartThreshold> &lines = charts.front().thresholds;
            const auto at = std::find(lines.begin(), lines.end(), line);
            if (at != lines.end())
                std::rotate(lines.begin(), at, at + 1);
        }
    }
    return charts;
}

} // namespace antibody

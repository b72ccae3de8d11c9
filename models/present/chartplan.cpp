#include "models/present/chartplan.h"

#include "engine/runbook/chartedmetrics.h"
#include "engine/runbook/metricunit.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

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
    return query().expression;
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
        for (const MetricLine &l : metricLines(*runbook)) {
            addChart(
                charts, runbook, l.metric, scopeOf(incident, l.matchers), l.unit, ChartThreshold { l.value, l.label });
            triggerCharted = triggerCharted || l.trigger;
        }
    }
    if (!triggerCharted) {
        const QString alert = incident.labels.value(u"alertname"_s, incident.title);
        for (const AlertMetric &a : alertMetrics()) {
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

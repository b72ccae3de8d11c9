#pragma once

#include "engine/core/labels.h"
#include "engine/domain/incident.h"
#include "engine/ports/metricsource.h"
#include "engine/runbook/measure.h"
#include "engine/runbook/runbook.h"

#include <QList>
#include <QString>

namespace antibody {

// A line across a chart: where the trigger fires, where verification is satisfied.
struct ChartThreshold
{
    double value = 0;
    QString label; // "trigger > 90%", "goal below 70%"

    friend bool operator==(const ChartThreshold &, const ChartThreshold &) = default;
};

// One chart of the incident view: a metric, narrowed to the incident's service.
struct ChartSpec
{
    QString metric;
    Labels scope; // equality matchers: service="orders-db"
    Measure::Kind unit = Measure::Kind::Plain;
    QList<ChartThreshold> thresholds;

    // "service:pg_connection_utilization:ratio{service="orders-db"}": what a MetricSource reads.
    QString selector() const;
    // "service:pg_connection_utilization:ratio · orders-db": the selector as a heading.
    QString title() const;
    MetricQuery query() const { return MetricQuery::selecting(metric, scope); }
};

// Which metrics explain an incident: its runbook's metric triggers and the
// metrics its verify steps wait for, or for an alert-name trigger the metric the
// alert is defined on (docs/vocabulary.md). A metric named twice is one chart.
QList<ChartSpec> chartsFor(const Incident &incident, const Runbook *runbook);

} // namespace antibody

#pragma once

#include "engine/core/labels.h"
#include "engine/runbook/measure.h"
#include "engine/runbook/runbook.h"

#include <QList>
#include <QSet>
#include <QString>
#include <span>

namespace antibody {

// The series behind each alert of rules/antibody.rules.yml (docs/vocabulary.md), and
// the line it crosses: what a console charts for an incident of that alert.
struct AlertMetric
{
    QStringView alert;
    QStringView metric;
    QStringView comparator;
    double threshold;
    Measure::Kind unit;
    QStringView thresholdText;
};

std::span<const AlertMetric> alertMetrics();

// A line a runbook draws across one of its metrics: a metric trigger's threshold, or
// the goal a verify step waits for.
struct MetricLine
{
    QString metric;
    QList<LabelMatcher> matchers;
    Measure::Kind unit = Measure::Kind::Plain;
    double value = 0;
    QString label; // "trigger > 90%", "goal below 70%"
    bool trigger = false;
};

QList<MetricLine> metricLines(const Runbook &runbook);

// Every metric a console may chart for incidents of these runbooks: the metrics their
// lines cross and the alerts' series. The team server answers range reads of these
// names only (docs/team.md).
QSet<QString> chartedMetrics(const QList<Runbook> &runbooks);

} // namespace antibody

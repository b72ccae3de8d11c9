#pragma once

#include "engine/core/time.h"
#include "engine/ports/metricsource.h"
#include "engine/runbook/measure.h"

#include <QList>
#include <QPointF>
#include <QString>
#include <utility>

namespace antibody {

// The axes of a metric chart, computed from the data so that a tired eye reads
// them right: time runs in minutes up to "now" (0), utilizations and rates show
// in percent from 0 to at least 100, and every threshold line stays in view.
struct ChartRange
{
    double xMin = -15;
    double xMax = 0;
    double yMin = 0;
    double yMax = 1;
    int yTicks = 5;

    // The value as plotted: fractions become percent.
    static double plotted(double value, Measure::Kind unit);
    // Minutes before `now`: negative numbers, 0 at the right edge.
    static double minutesBefore(TimePoint at, TimePoint now);
    // A range series as chart points, oldest first, into `out` (reused: no reallocation when sizes match).
    static void toPoints(const RangeSeries &series, TimePoint now, Measure::Kind unit, QList<QPointF> &out);
    // What a line plot `columns` pixels wide can show of `points` (oldest first):
    // per pixel column its lowest and highest point, in their order, plus the
    // first and last point, so spikes survive and the drawn line looks the same
    // with a fraction of the points to paint. Short series are copied as they are.
    static void decimate(const QList<QPointF> &points, double xMin, double xMax, int columns, QList<QPointF> &out);
    // The legend's names of a chart's series: each one's pod, instance or service (else the
    // metric); where two would read the same, what tells them apart instead ("us-east-1",
    // "eu-west-1"; "region=us-east-1 zone=b" when more than one label differs).
    static QStringList seriesNames(const QList<Labels> &series, const QString &metric);
    // The unit a chart of seconds reads best in, from the largest value it draws (its
    // thresholds): seconds, minutes, hours or days, as (seconds per unit, its suffix). A
    // certificate's 30 days left reads "30 d", not "2592000.0 s".
    static std::pair<double, QString> timeUnitFor(double largestSeconds);
    // The next "nice" number at or above `value`: 1, 2, 2.5, 5 times a power of ten.
    static double niceCeiling(double value);

    static ChartRange fit(
        const QList<QList<QPointF>> &series, const QList<double> &plottedThresholds, Measure::Kind unit, Duration span);
};

} // namespace antibody

#include "ui/chartrange.h"

#include <cmath>

namespace antibody {

double ChartRange::plotted(double value, Measure::Kind unit)
{
    return unit == Measure::Kind::Percent ? value * 100.0 : value;
}

double ChartRange::minutesBefore(TimePoint at, TimePoint now)
{
    return static_cast<double>((at - now).count()) / 60'000.0;
}

void ChartRange::toPoints(const RangeSeries &series, TimePoint now, Measure::Kind unit, QList<QPointF> &out)
{
    out.resize(series.points.size());
    for (qsizetype i = 0; i < series.points.size(); ++i) {
        const auto &[at, value] = series.points.at(i);
        out[i] = QPointF(minutesBefore(at, now), plotted(value, unit));
    }
}

double ChartRange::niceCeiling(double value)
{
    if (!(value > 0) || !std::isfinite(value))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : { 1.0, 2.0, 2.5, 5.0, 10.0 }) {
        if (step * magnitude >= value * (1 - 1e-12))
            return step * magnitude;
    }
    return 10 * magnitude;
}

ChartRange ChartRange::fit(
    const QList<QList<QPointF>> &series, const QList<double> &plottedThresholds, Measure::Kind unit, Duration span)
{
    ChartRange range;
    range.xMin = -static_cast<double>(span.count()) / 60'000.0;
    range.xMax = 0;
    double low = 0;
    double high = unit == Measure::Kind::Percent ? 100 : 0;
    for (const auto &points : series) {
        for (const QPointF &p : points) {
            if (!std::isfinite(p.y()))
                continue;
            low = std::min(low, p.y());
            high = std::max(high, p.y());
        }
    }
    for (double t : plottedThresholds) {
        if (std::isfinite(t))
            high = std::max(high, t);
    }
    // Utilization reads best against its whole scale; anything else gets headroom
    // so that a line at the top edge is still visible as a line.
    range.yMax = unit == Measure::Kind::Percent && high <= 100 ? 100 : niceCeiling(high * 1.1);
    range.yMin = low < 0 ? -niceCeiling(-low * 1.1) : 0;
    return range;
}

} // namespace antibody

#include "ui/chartrange.h"

#include <QSet>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

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

void ChartRange::decimate(const QList<QPointF> &points, double xMin, double xMax, int columns, QList<QPointF> &out)
{
    out.clear();
    const double width = xMax - xMin;
    if (columns <= 0 || points.size() <= 2 * qsizetype(columns) + 2 || !(width > 0) || !std::isfinite(width)) {
        out = points;
        return;
    }
    out.reserve(2 * qsizetype(columns) + 2);
    const auto columnOf = [&](double x) {
        const double c = std::floor((x - xMin) / width * columns);
        return c < 0 ? -1 : (c >= columns ? columns : static_cast<int>(c)); // off-plot points share the edges' buckets
    };
    qsizetype shown = -1; // index of the last point in `out`
    const auto show = [&](qsizetype i) {
        if (i != shown)
            out.append(points.at(i));
        shown = i;
    };
    qsizetype low = -1;
    qsizetype high = -1;
    int column = 0;
    const auto flush = [&] {
        if (low >= 0) {
            show(std::min(low, high));
            show(std::max(low, high));
        }
        low = high = -1;
    };
    show(0);
    for (qsizetype i = 0; i < points.size(); ++i) {
        const QPointF &p = points.at(i);
        if (!std::isfinite(p.y()) || !std::isfinite(p.x())) {
            // A gap in the data is kept as it is: it is not ours to fill.
            flush();
            show(i);
            continue;
        }
        const int c = columnOf(p.x());
        if (c != column)
            flush();
        column = c;
        if (low < 0 || p.y() < points.at(low).y())
            low = i;
        if (high < 0 || p.y() > points.at(high).y())
            high = i;
    }
    flush();
    show(points.size() - 1);
}

QStringList ChartRange::seriesNames(const QList<Labels> &series, const QString &metric)
{
    QStringList names;
    for (const Labels &labels : series)
        names << labels.value(u"pod"_s, labels.value(u"instance"_s, labels.value(u"service"_s, metric)));
    if (QSet<QString>(names.cbegin(), names.cend()).size() == names.size())
        return names;
    QStringList differing; // label names whose values are not the same in every series
    for (const Labels &labels : series) {
        for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
            if (differing.contains(it.key()) || it.key() == u"__name__"_s)
                continue;
            if (std::any_of(series.cbegin(), series.cend(),
                    [&](const Labels &other) { return other.value(it.key()) != it.value(); }))
                differing << it.key();
        }
    }
    differing.sort();
    // The chart's title names the metric and service: the legend says only what differs,
    // so that it fits: the value of the one label that differs ("us-east-1"), else each
    // differing label with its name ("region=us-east-1 zone=b").
    for (qsizetype i = 0; i < names.size(); ++i) {
        QStringList parts;
        for (const QString &key : std::as_const(differing)) {
            if (const QString value = series.at(i).value(key); !value.isEmpty())
                parts << key + u'=' + value;
        }
        if (differing.size() == 1 && parts.size() == 1)
            names[i] = parts.front().section(u'=', 1); // "us-east-1": the one label that differs
        else if (!parts.isEmpty())
            names[i] = parts.join(u' ');
    }
    return names;
}

std::pair<double, QString> ChartRange::timeUnitFor(double largestSeconds)
{
    const double s = std::abs(largestSeconds);
    if (s >= 2 * 86'400.0)
        return { 86'400.0, u"d"_s };
    if (s >= 2 * 3'600.0)
        return { 3'600.0, u"h"_s };
    if (s >= 2 * 60.0)
        return { 60.0, u"min"_s };
    return { 1.0, u"s"_s };
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

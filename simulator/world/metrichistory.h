#pragma once

#include "engine/core/labels.h"
#include "engine/ports/metricsource.h"

#include <QHash>
#include <deque>
#include <vector>

namespace antibody::sim {

// The simulator's time-series store: every scrape, kept for `retention`, read
// the way Prometheus reads: an instant query returns each series' newest sample
// (with the time it was taken) if it is no older than the lookback; a range
// query steps through the window with the same rule.
class MetricHistory
{
public:
    explicit MetricHistory(Duration retention);

    void record(const QList<Sample> &scrape, TimePoint at);
    std::optional<TimePoint> lastScrape() const { return m_lastScrape; }
    bool hasName(const QString &name) const { return m_byName.contains(name); }

    QList<Sample> instant(
        const QString &name, const QList<LabelMatcher> &matchers, TimePoint at, Duration lookback) const;
    QList<RangeSeries> range(const QString &name, const QList<LabelMatcher> &matchers, TimePoint from, TimePoint to,
        Duration step, Duration lookback) const;

private:
    struct Series
    {
        Labels labels;
        std::deque<std::pair<TimePoint, double>> points;
    };
    // The newest point of `series` at or before `at`, if it is within `lookback`.
    static const std::pair<TimePoint, double> *pointAt(const Series &series, TimePoint at, Duration lookback);
    QList<const Series *> matching(const QString &name, const QList<LabelMatcher> &matchers) const;

    Duration m_retention;
    std::vector<Series> m_series;
    QHash<QString, qsizetype> m_index; // canonical labels -> series
    QHash<QString, QList<qsizetype>> m_byName; // metric name -> series
    std::optional<TimePoint> m_lastScrape;
};

} // namespace antibody::sim

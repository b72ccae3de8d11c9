#pragma once

#include "engine/core/labels.h"
#include "engine/core/time.h"

#include <QList>
#include <QString>
#include <functional>
#include <optional>

namespace antibody {

struct MetricQuery
{
    QString expression; // a metric name with matchers, or PromQL on a Prometheus source
    Labels scope; // labels of the incident (service, ...) a source may use to narrow the query

    // `metric{name="value",...}`: the metric narrowed to every label of `scope`, values escaped.
    static MetricQuery selecting(const QString &metric, const Labels &scope);
};

struct Sample
{
    Labels labels;
    double value = 0;
    TimePoint at; // when the sample was taken, not when it was read: freshness depends on it
};

struct MetricResult
{
    bool ok = false;
    QString error;
    QList<Sample> samples;

    std::optional<TimePoint> newest() const;
};

struct RangeSeries
{
    Labels labels;
    QList<std::pair<TimePoint, double>> points;
};

struct RangeResult
{
    bool ok = false;
    QString error;
    QList<RangeSeries> series;
};

// Port: instant and range reads of metrics. Lives on the engine's thread;
// `done` runs there too, and never inside the call that asked.
class MetricSource
{
public:
    virtual ~MetricSource();
    virtual QString name() const = 0;
    virtual void query(const MetricQuery &query, std::function<void(const MetricResult &)> done) = 0;
    virtual void queryRange(const MetricQuery &query, TimePoint from, TimePoint to, Duration step,
        std::function<void(const RangeResult &)> done)
        = 0;
};

} // namespace antibody

#pragma once

#include "engine/core/clock.h"
#include "engine/ports/metricsource.h"

#include <QJsonObject>
#include <QString>
#include <functional>
#include <optional>

namespace antibody {

class Engine;

// The range reads a client may ask of the server's metric source (`query_range`,
// docs/team.md), for the console's charts. Bounded, so that no client can make the
// server or its Prometheus read without limit: a metric the server's runbooks or the
// alerts' vocabulary chart (never a PromQL string: the server writes the selector),
// narrowed by equality on a few labels, over a window of at most six hours that ends
// no later than now, with at most 1,000 points a series and 50 series an answer.
class RangeQueries
{
public:
    struct Limits
    {
        Duration longestSpan { 6 * 3'600'000 };
        Duration shortestStep { 1'000 };
        qint64 maxPoints = 1'000; // a series: span / step
        int maxSeries = 50; // an answer: the rest are counted in `truncated`
        int maxLabels = 8;
        int maxText = 200; // a metric's name, a label's name or value
    };

    struct Request
    {
        MetricQuery query;
        TimePoint from;
        TimePoint to;
        Duration step;
    };

    explicit RangeQueries(const Engine &engine);
    RangeQueries(const Engine &engine, Limits limits);

    // The source the engine reads, and its clock: "now" for a window that names no end.
    // Without one every read is refused, with the reason.
    void setSource(MetricSource *source, const Clock *clock);

    // A `query_range` message as a read within the limits, or nothing, and `error`
    // says which field is wrong and what is allowed.
    std::optional<Request> parse(const QJsonObject &message, QString *error) const;
    // Reads, and hands `done` the reply's fields (`ok`, `from`, `to`, `step_ms`,
    // `series`, `truncated`, or `reason`) later, never inside this call.
    void read(const Request &request, std::function<void(QJsonObject)> done) const;

    const Limits &limits() const { return m_limits; }

private:
    const Engine &m_engine;
    Limits m_limits;
    MetricSource *m_source = nullptr;
    const Clock *m_clock = nullptr;
};

} // namespace antibody

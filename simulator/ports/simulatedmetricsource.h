#pragma once

#include "engine/ports/metricsource.h"
#include "simulator/ports/ownedtimers.h"

namespace antibody::sim {

class World;

// The world's metric history as a MetricSource. Expressions are selectors,
// `name{matchers}`, optionally with a comparison that filters the series as
// PromQL does (`db_pool_utilization > 90%`). Samples carry the virtual time of
// the scrape that took them. When the expression names no service, the query
// is narrowed to the scope's service if that service has the metric. Answers
// arrive through the clock after a query's round trip, never inside the call.
class SimulatedMetricSource : public MetricSource
{
public:
    explicit SimulatedMetricSource(World &world);

    QString name() const override;
    void query(const MetricQuery &query, std::function<void(const MetricResult &)> done) override;
    void queryRange(const MetricQuery &query, TimePoint from, TimePoint to, Duration step,
        std::function<void(const RangeResult &)> done) override;

private:
    World &m_world;
    OwnedTimers m_timers;
};

} // namespace antibody::sim

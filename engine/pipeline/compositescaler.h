#pragma once

#include "engine/core/time.h"

#include <QString>
#include <optional>

namespace antibody {

// The composite scaling rule (docs/design.md, "Composite scaling"), as a pure
// function of a metric trace: scale out by +1 when ANY of CPU, queue depth or p99
// latency is over its threshold, then hold for the out-cooldown; scale in by -1 only
// when ALL are below their low marks for the sustain window; min and max always hold.
// The gap between the two directions is on purpose: scaling in too early is the
// catastrophic direction.
class CompositeScaler
{
public:
    struct Thresholds
    {
        double cpuHigh = 0.80, cpuLow = 0.30;
        double queueHigh = 100, queueLow = 10;
        double p99High = 1.0, p99Low = 0.3; // seconds
        Duration outCooldown { 5 * 60'000 };
        Duration inSustain { 10 * 60'000 };
        int minReplicas = 2;
        int maxReplicas = 20;
    };
    struct Reading
    {
        TimePoint at;
        double cpu = 0;
        double queue = 0;
        double p99 = 0;
    };
    struct Decision
    {
        int delta = 0; // +1, -1 or 0
        QString reason;
    };

    explicit CompositeScaler(Thresholds thresholds);

    // Feed readings in time order; each returns what to do now given `replicas`.
    Decision observe(const Reading &r, int replicas);

private:
    Thresholds m_t;
    std::optional<TimePoint> m_lastScale;
    std::optional<TimePoint> m_allLowSince;
};

} // namespace antibody

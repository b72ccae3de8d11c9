#pragma once

#include "engine/ports/alert.h"

#include <optional>

namespace antibody {

// The health of one monitoring feed from the outcome of its polls and reads:
// healthy while answers come in good time; degraded after a failed or slow
// answer (its data is getting stale); down after several failures in a row.
// Recovers by itself at the next good answer. Reports only changes of state,
// so a dead server does not flood the timeline with one event per poll.
class FeedMonitor
{
public:
    FeedMonitor(QString feed, int downAfterFailures, Duration slowAfter);

    // Each returns the new health when the state changed, for the caller to publish.
    // `shortfall`: the answer came but is incomplete (say, alerts beyond a cap): degraded.
    std::optional<FeedHealth> succeeded(TimePoint at, Duration latency, const QString &shortfall = {});
    std::optional<FeedHealth> failed(TimePoint at, const QString &reason);

    const FeedHealth &health() const { return m_health; }
    int consecutiveFailures() const { return m_failures; }

private:
    std::optional<FeedHealth> moveTo(FeedHealth::State state, QString reason);

    FeedHealth m_health;
    int m_downAfter;
    Duration m_slowAfter;
    int m_failures = 0;
    bool m_short = false; // the last answer was incomplete
};

} // namespace antibody

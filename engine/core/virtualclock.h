#pragma once

#include "engine/core/clock.h"

#include <map>
#include <optional>
#include <utility>

namespace antibody {

// Time that moves only when told to. Timers due at the same instant run in the
// order they were scheduled, so a run is deterministic.
class VirtualClock : public Clock
{
public:
    explicit VirtualClock(TimePoint start = fromMillis(1'780'000'000'000));

    TimePoint now() const override { return m_now; }
    TimerId callAt(TimePoint at, std::function<void()> callback) override;
    void cancel(TimerId id) override;

    // Jumps to the earliest pending timer and runs it; false when none is pending.
    bool runNext();
    // Runs every timer due up to `until` (including ones they schedule), then sets now = until.
    void advanceTo(TimePoint until);
    void advanceBy(Duration d) { advanceTo(m_now + d); }
    // Runs timers until none is left or `limit` is reached; returns how many ran.
    int runUntilIdle(TimePoint limit);

    std::optional<TimePoint> nextDue() const;
    std::size_t pending() const { return m_timers.size(); }

private:
    using Key = std::pair<TimePoint, TimerId>;
    std::map<Key, std::function<void()>> m_timers;
    std::map<TimerId, TimePoint> m_dueById;
    TimePoint m_now;
    TimerId m_nextId = 1;
};

} // namespace antibody

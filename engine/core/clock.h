#pragma once

#include "engine/core/time.h"

#include <functional>

namespace antibody {

// The one source of "now" and of timers for every timed rule (cooldowns,
// windows, timeouts, polling). Tests and the simulator inject a VirtualClock and
// run hours of incident in milliseconds; the console and `antibodyctl run` use a
// SystemClock.
//
// Contract: a callback never runs inside the call that scheduled it, and always
// on the thread that owns the clock.
class Clock
{
public:
    using TimerId = quint64;

    virtual ~Clock() = default;

    virtual TimePoint now() const = 0;
    virtual TimerId callAt(TimePoint at, std::function<void()> callback) = 0;
    // Cancelling an id that already ran or never existed is harmless.
    virtual void cancel(TimerId id) = 0;

    TimerId callAfter(Duration delay, std::function<void()> callback)
    {
        return callAt(now() + delay, std::move(callback));
    }
};

} // namespace antibody

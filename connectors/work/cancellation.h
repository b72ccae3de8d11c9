#pragma once

#include "engine/core/time.h"

#include <condition_variable>
#include <mutex>

namespace antibody {

// A flag a blocking job on a worker thread checks, so shutting a connector down
// never waits out a slow server: libcurl's progress callback and retry backoff
// both read it. Thread-safe.
class Cancellation
{
public:
    void cancel();
    bool isCancelled() const;
    // Waits `d` unless cancelled first; true when the whole wait elapsed.
    bool sleepFor(Duration d) const;

private:
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_wake;
    bool m_cancelled = false;
};

} // namespace antibody

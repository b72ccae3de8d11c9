#pragma once

#include "engine/core/clock.h"

#include <memory>

namespace antibody::sim {

// Clock callbacks that belong to an object: when the object is destroyed while
// the clock still holds some, they do nothing instead of reaching a dead object.
class OwnedTimers
{
public:
    explicit OwnedTimers(Clock &clock)
        : m_clock(clock)
    {
    }
    ~OwnedTimers() { *m_alive = false; }
    OwnedTimers(const OwnedTimers &) = delete;
    OwnedTimers &operator=(const OwnedTimers &) = delete;

    void after(Duration delay, std::function<void()> work)
    {
        std::weak_ptr<bool> alive = m_alive;
        m_clock.callAfter(delay, [alive, work = std::move(work)] {
            if (const auto a = alive.lock(); a && *a)
                work();
        });
    }

private:
    Clock &m_clock;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace antibody::sim

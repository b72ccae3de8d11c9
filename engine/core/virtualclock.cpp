#include "engine/core/virtualclock.h"

namespace antibody {

VirtualClock::VirtualClock(TimePoint start)
    : m_now(start)
{
}

Clock::TimerId VirtualClock::callAt(TimePoint at, std::function<void()> callback)
{
    const TimerId id = m_nextId++;
    // A timer in the past runs at the next step, never before now: time never goes back.
    const TimePoint due = std::max(at, m_now);
    m_timers.emplace(Key { due, id }, std::move(callback));
    m_dueById.emplace(id, due);
    return id;
}

void VirtualClock::cancel(TimerId id)
{
    const auto it = m_dueById.find(id);
    if (it == m_dueById.end())
        return;
    m_timers.erase(Key { it->second, id });
    m_dueById.erase(it);
}

bool VirtualClock::runNext()
{
    if (m_timers.empty())
        return false;
    auto first = m_timers.begin();
    const auto [due, id] = first->first;
    auto callback = std::move(first->second);
    m_timers.erase(first);
    m_dueById.erase(id);
    m_now = std::max(m_now, due);
    callback();
    return true;
}

void VirtualClock::advanceTo(TimePoint until)
{
    while (!m_timers.empty() && m_timers.begin()->first.first <= until)
        runNext();
    m_now = std::max(m_now, until);
}

int VirtualClock::runUntilIdle(TimePoint limit)
{
    int ran = 0;
    while (!m_timers.empty() && m_timers.begin()->first.first <= limit) {
        runNext();
        ++ran;
    }
    return ran;
}

std::optional<TimePoint> VirtualClock::nextDue() const
{
    if (m_timers.empty())
        return std::nullopt;
    return m_timers.begin()->first.first;
}

} // namespace antibody

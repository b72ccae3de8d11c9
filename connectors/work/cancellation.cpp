#include "connectors/work/cancellation.h"

namespace antibody {

void Cancellation::cancel()
{
    {
        std::lock_guard lock(m_mutex);
        m_cancelled = true;
    }
    m_wake.notify_all();
}

bool Cancellation::isCancelled() const
{
    std::lock_guard lock(m_mutex);
    return m_cancelled;
}

bool Cancellation::sleepFor(Duration d) const
{
    std::unique_lock lock(m_mutex);
    return !m_wake.wait_for(lock, d, [this] { return m_cancelled; });
}

} // namespace antibody

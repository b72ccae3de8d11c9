#include "models/link/coalescingtimer.h"

namespace antibody {

CoalescingTimer::CoalescingTimer(std::function<void()> flush, QObject *parent, std::chrono::milliseconds interval)
    : QObject(parent)
    , m_flush(std::move(flush))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(interval);
    connect(&m_timer, &QTimer::timeout, this, [this] { m_flush(); });
}

void CoalescingTimer::poke()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void CoalescingTimer::flushNow()
{
    if (!m_timer.isActive())
        return;
    m_timer.stop();
    m_flush();
}

} // namespace antibody

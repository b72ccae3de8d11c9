#include "engine/core/pacedclock.h"

#include <QTimer>

namespace antibody {

namespace {
constexpr int tickMillis = 20; // 50 Hz: smooth enough to watch, cheap enough to ignore
}

PacedClock::PacedClock(TimePoint start, double factor, QObject *parent)
    : QObject(parent)
    , m_virtual(start)
    , m_ticker(new QTimer(this))
    , m_anchorVirtual(start)
    , m_factor(factor)
{
    m_wall.start();
    m_ticker->setInterval(tickMillis);
    connect(m_ticker, &QTimer::timeout, this, &PacedClock::tick);
    m_ticker->start();
}

Clock::TimerId PacedClock::callAt(TimePoint at, std::function<void()> callback)
{
    return m_virtual.callAt(at, std::move(callback));
}

void PacedClock::setFactor(double factor)
{
    m_anchorVirtual = m_virtual.now();
    m_wall.restart();
    m_factor = factor;
}

void PacedClock::pause()
{
    m_paused = true;
    m_ticker->stop();
}

void PacedClock::resume()
{
    m_paused = false;
    m_anchorVirtual = m_virtual.now();
    m_wall.restart();
    m_ticker->start();
}

void PacedClock::tick()
{
    const auto elapsed = static_cast<double>(m_wall.elapsed()) * m_factor;
    m_virtual.advanceTo(m_anchorVirtual + Duration { static_cast<qint64>(elapsed) });
}

} // namespace antibody

#include "engine/core/systemclock.h"

#include <QDateTime>
#include <QTimer>

namespace antibody {

SystemClock::SystemClock(QObject *parent)
    : QObject(parent)
{
}

SystemClock::~SystemClock() = default;

TimePoint SystemClock::now() const
{
    return fromMillis(QDateTime::currentMSecsSinceEpoch());
}

Clock::TimerId SystemClock::callAt(TimePoint at, std::function<void()> callback)
{
    const TimerId id = m_nextId++;
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer);
    connect(timer, &QTimer::timeout, this, [this, id, callback = std::move(callback)] {
        const auto it = m_timers.find(id);
        if (it == m_timers.end())
            return;
        it->second->deleteLater();
        m_timers.erase(it);
        callback();
    });
    m_timers.emplace(id, timer);
    const qint64 delay = std::max<qint64>(0, (at - now()).count());
    timer->start(static_cast<int>(std::min<qint64>(delay, std::numeric_limits<int>::max())));
    return id;
}

void SystemClock::cancel(TimerId id)
{
    const auto it = m_timers.find(id);
    if (it == m_timers.end())
        return;
    it->second->stop();
    it->second->deleteLater();
    m_timers.erase(it);
}

} // namespace antibody

#pragma once

#include "engine/core/clock.h"

#include <QObject>
#include <unordered_map>

class QTimer;

namespace antibody {

// Wall-clock time; timers are single-shot QTimers on the thread that owns this
// object, so callbacks land on the engine's thread.
class SystemClock : public QObject, public Clock
{
    Q_OBJECT
public:
    explicit SystemClock(QObject *parent = nullptr);
    ~SystemClock() override;

    TimePoint now() const override;
    TimerId callAt(TimePoint at, std::function<void()> callback) override;
    void cancel(TimerId id) override;

private:
    std::unordered_map<TimerId, QTimer *> m_timers;
    TimerId m_nextId = 1;
};

} // namespace antibody

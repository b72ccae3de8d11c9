#pragma once

#include "engine/core/virtualclock.h"

#include <QElapsedTimer>
#include <QObject>

class QTimer;

namespace antibody {

// Virtual time that moves FACTOR virtual seconds per real second, driven by a
// QTimer: the console's demo and `simulate --pace` watch a simulated incident
// unfold at a human pace while every rule still reads the same Clock.
class PacedClock : public QObject, public Clock
{
    Q_OBJECT
public:
    PacedClock(TimePoint start, double factor, QObject *parent = nullptr);

    TimePoint now() const override { return m_virtual.now(); }
    TimerId callAt(TimePoint at, std::function<void()> callback) override;
    void cancel(TimerId id) override { m_virtual.cancel(id); }

    double factor() const { return m_factor; }
    void setFactor(double factor);
    void pause();
    void resume();
    bool isPaused() const { return m_paused; }

private:
    void tick();

    VirtualClock m_virtual;
    QTimer *m_ticker;
    QElapsedTimer m_wall;
    TimePoint m_anchorVirtual;
    double m_factor;
    bool m_paused = false;
};

} // namespace antibody

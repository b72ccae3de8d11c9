#pragma once

#include <QObject>
#include <QTimer>
#include <chrono>
#include <functional>

namespace antibody {

// Collects bursts of updates into one: the first poke arms a single-shot timer,
// later pokes ride along, and the flush runs once when it fires. The engine can
// publish hundreds of changes a second in a simulated storm; a view needs at most
// four repaints a second to stay readable.
class CoalescingTimer : public QObject
{
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds defaultInterval { 250 };

    explicit CoalescingTimer(
        std::function<void()> flush, QObject *parent = nullptr, std::chrono::milliseconds interval = defaultInterval);

    void poke();
    bool isArmed() const { return m_timer.isActive(); }
    // Runs the flush now if anything is waiting (tests, and views that must be current before a screenshot).
    void flushNow();

private:
    QTimer m_timer;
    std::function<void()> m_flush;
};

} // namespace antibody

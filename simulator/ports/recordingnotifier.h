#pragma once

#include "engine/ports/notifier.h"
#include "simulator/ports/ownedtimers.h"

#include <QList>

namespace antibody::sim {

// The simulated fleet's pager: keeps every page and notice it is sent, with the
// time it arrived, so tests, drills and the timeline can show who was told what.
class RecordingNotifier : public Notifier
{
public:
    struct Received
    {
        TimePoint at;
        Notification notification;
    };

    explicit RecordingNotifier(Clock &clock);

    QString name() const override;
    void send(const Notification &notification, std::function<void(const NotifyResult &)> done) override;

    const QList<Received> &received() const { return m_received; }
    QList<Received> pages() const; // Kind::Page only

private:
    Clock &m_clock;
    QList<Received> m_received;
    OwnedTimers m_timers;
};

} // namespace antibody::sim

#include "simulator/ports/recordingnotifier.h"

using namespace Qt::StringLiterals;

namespace antibody::sim {

RecordingNotifier::RecordingNotifier(Clock &clock)
    : m_clock(clock)
    , m_timers(clock)
{
}

QString RecordingNotifier::name() const
{
    return u"simulated pager"_s;
}

void RecordingNotifier::send(const Notification &notification, std::function<void(const NotifyResult &)> done)
{
    m_received << Received { m_clock.now(), notification };
    m_timers.after(Duration { 150 }, [done = std::move(done)] {
        if (done)
            done(NotifyResult { true, {} });
    });
}

QList<RecordingNotifier::Received> RecordingNotifier::pages() const
{
    QList<Received> out;
    for (const Received &r : m_received) {
        if (r.notification.kind == Notification::Kind::Page)
            out << r;
    }
    return out;
}

} // namespace antibody::sim

#include "server/eventjournal.h"

#include <algorithm>
#include <utility>

namespace antibody {

namespace {
// One read's page: a burst larger than this is read in several pages, in order.
constexpr int pageSize = 500;
} // namespace

EventJournal::EventJournal(AuditLog &log, QObject *parent)
    : QObject(parent)
    , m_log(log)
{
    connect(&m_poll, &QTimer::timeout, this, &EventJournal::catchUp);
}

void EventJournal::start(Duration pollInterval)
{
    // From the newest event on: what came before is history, read on request. The chain's
    // head says where that is in one read; a log without a chain is read to its end.
    if (const auto head = m_log.auditCheckpoint()) {
        m_lastSeq = head->seq;
    } else {
        for (QList<AuditLog::StoredEvent> page = m_log.eventsAfter(m_lastSeq, pageSize); !page.isEmpty();
             page = m_log.eventsAfter(m_lastSeq, pageSize))
            m_lastSeq = page.constLast().seq;
    }
    m_poll.start(std::chrono::milliseconds(pollInterval));
}

void EventJournal::wake()
{
    if (std::exchange(m_woken, true))
        return;
    // Queued: the engine's batch is committed on this turn of the loop; one read sees it all.
    QMetaObject::invokeMethod(this, &EventJournal::catchUp, Qt::QueuedConnection);
}

void EventJournal::catchUp()
{
    m_woken = false;
    for (;;) {
        const QList<AuditLog::StoredEvent> page = m_log.eventsAfter(m_lastSeq, pageSize);
        for (const AuditLog::StoredEvent &e : page) {
            m_lastSeq = e.seq;
            Q_EMIT appended(e);
        }
        if (page.size() < pageSize)
            return;
    }
}

qint64 EventJournal::beforeNewest(int count)
{
    const qint64 last = m_lastSeq;
    qint64 from = std::max<qint64>(0, last - count);
    // Each look reads at most the numbers between `from` and the last: a few times `count`.
    for (int look = 0; count > 0 && look < 6; ++look) {
        const QList<AuditLog::StoredEvent> between = m_log.eventsAfter(from, int(last - from));
        const auto upToLast = std::count_if(
            between.cbegin(), between.cend(), [last](const AuditLog::StoredEvent &e) { return e.seq <= last; });
        if (upToLast >= count)
            return between.at(upToLast - count).seq - 1;
        if (from == 0)
            return 0;
        from = std::max<qint64>(0, from - 2 * (count - upToLast)); // seals took some numbers: look further back
    }
    return count > 0 ? from : last;
}

} // namespace antibody

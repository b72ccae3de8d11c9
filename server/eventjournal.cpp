#include "server/eventjournal.h"

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

} // namespace antibody

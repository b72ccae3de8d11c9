#pragma once

#include "engine/ports/store.h"

#include <QObject>
#include <QTimer>

namespace antibody {

// The engine's events as clients see them: the store's audit trail, each event with
// the number it keeps forever (seals are skipped). The journal reads what is new
// when the engine has published (once per turn of the event loop, after the store's
// batch is committed) and every `pollInterval` (rows another writer added), and
// hands each new event to its listeners once, in order.
class EventJournal : public QObject
{
    Q_OBJECT
public:
    explicit EventJournal(AuditLog &log, QObject *parent = nullptr);

    // Starts after the newest event the store holds now, and polls.
    void start(Duration pollInterval = Duration { 250 });
    // Reads what is new on the next turn of the event loop (several calls: one read).
    void wake();
    // The newest event number handed out.
    qint64 lastSeq() const { return m_lastSeq; }
    // What a client that saw `seq` missed, oldest first, at most `limit` (read from the store).
    QList<AuditLog::StoredEvent> after(qint64 seq, int limit) { return m_log.eventsAfter(seq, limit); }
    // The number after which the newest `count` events handed out begin: where a client
    // that asks for the recent past starts (seal rows take numbers too, so it is not
    // lastSeq() - count).
    qint64 beforeNewest(int count);

Q_SIGNALS:
    void appended(const antibody::AuditLog::StoredEvent &event);

private:
    void catchUp();

    AuditLog &m_log;
    qint64 m_lastSeq = 0;
    bool m_woken = false;
    QTimer m_poll;
};

} // namespace antibody

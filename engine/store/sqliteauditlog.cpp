#include "engine/store/sqliteauditlog.h"

#include "engine/store/audittrail.h"
#include "engine/store/redaction.h"
#include "engine/store/sqlitedatabase.h"
#include "engine/store/storedjson.h"

using namespace Qt::StringLiterals;

namespace antibody {

bool SqliteAuditLog::isDecision(EngineEvent::Kind kind)
{
    switch (kind) {
    case EngineEvent::Kind::Detected:
    case EngineEvent::Kind::Diagnosed:
    case EngineEvent::Kind::ApprovalRequested:
    case EngineEvent::Kind::StateChanged:
    case EngineEvent::Kind::FeedChanged:
    case EngineEvent::Kind::RunbookLoaded:
    case EngineEvent::Kind::RunbookRejected:
        return false;
    default:
        return true;
    }
}

void SqliteAuditLog::append(const EngineEvent &event)
{
    write(u"record the event %1"_s.arg(event.kindName()),
        isDecision(event.kind) ? Durability::Durable : Durability::Batched, [this, event] {
            AuditTrail(m_db).append({ event.at, event.kindName(), event.incidentId, Redaction::text(event.detail),
                Redaction::object(event.data) });
        });
}

std::optional<AuditLog::AuditCheckpoint> SqliteAuditLog::auditCheckpoint()
{
    std::optional<AuditCheckpoint> out;
    read(u"read the head of the audit chain"_s, [&] {
        const auto [seq, hash] = AuditAnchorKeeper::headOf(m_db);
        if (seq > 0)
            out = AuditCheckpoint { seq, hash };
    });
    return out;
}

QList<AuditLog::StoredEvent> SqliteAuditLog::eventsAfter(qint64 seq, int limit)
{
    QList<StoredEvent> out;
    read(u"read the events after %1"_s.arg(seq), [&] {
        auto &q = m_db.cached("SELECT seq, at, kind, incident_id, detail, data FROM audit "
                              "WHERE seq > ? AND kind <> ? ORDER BY seq LIMIT ?");
        q.bind(1, seq).bind(2, AuditTrail::sealKind()).bind(3, std::max(0, limit));
        while (q.step())
            out << StoredEvent { q.integer(0), fromMillis(q.integer(1)), q.text(2), q.text(3), q.text(4),
                StoredJson::object(q.text(5)) };
        q.reset();
    });
    return out;
}

} // namespace antibody

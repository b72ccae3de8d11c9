#include "store/postgres/pgauditlog.h"

#include "engine/store/redaction.h"
#include "engine/store/sqliteauditlog.h"
#include "engine/store/storedjson.h"
#include "store/postgres/pgaudittrail.h"
#include "store/postgres/pgrow.h"

using namespace Qt::StringLiterals;

namespace antibody {

void PgAuditLog::append(const EngineEvent &event)
{
    // The one list of which events are decisions, shared with the SQLite store.
    const Durability durability
        = SqliteAuditLog::isDecision(event.kind) ? Durability::Decision : Durability::Informational;
    write(u"record the event %1"_s.arg(event.kindName()), durability, [&] {
        PgAuditTrail(m_session).append({ event.at, event.kindName(), event.incidentId, Redaction::text(event.detail),
            Redaction::object(event.data) });
    });
}

std::optional<AuditLog::AuditCheckpoint> PgAuditLog::auditCheckpoint()
{
    std::optional<AuditCheckpoint> out;
    read(u"read the head of the audit chain"_s, [&] {
        const PgRows head = exec(u"SELECT seq, hash FROM audit_head WHERE id = 1"_s);
        if (!head.rows.isEmpty() && PgRow(head, 0).integer(0) > 0)
            out = AuditCheckpoint { PgRow(head, 0).integer(0), PgRow(head, 0).text(1) };
    });
    return out;
}

QList<AuditLog::StoredEvent> PgAuditLog::eventsAfter(qint64 seq, int limit)
{
    QList<StoredEvent> out;
    read(u"read the events after %1"_s.arg(seq), [&] {
        const PgRows q = exec(u"SELECT seq, at, kind, incident_id, detail, data FROM audit "
                              "WHERE seq > $1 AND kind <> $2 ORDER BY seq LIMIT $3"_s,
            PgParams() << seq << AuditTrail::sealKind() << std::max(0, limit));
        for (qsizetype i = 0; i < q.rows.size(); ++i) {
            const PgRow r(q, i);
            out << StoredEvent { r.integer(0), r.time(1), r.text(2), r.text(3), r.text(4),
                StoredJson::object(r.text(5)) };
        }
    });
    return out;
}

} // namespace antibody

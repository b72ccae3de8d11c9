#pragma once

#include "engine/ports/store.h"
#include "store/postgres/pgsession.h"

namespace antibody {

// PostgresStore's audit trail: every engine event, redacted and chained (PgAuditTrail).
// Every event is committed before append() returns; decisions wait for the WAL flush.
class PgAuditLog : public virtual AuditLog, protected PgFacet
{
public:
    explicit PgAuditLog(PgSession &session)
        : PgFacet(session)
    {
    }

    void append(const EngineEvent &event) override;
    std::optional<AuditCheckpoint> auditCheckpoint() override;
    QList<StoredEvent> eventsAfter(qint64 seq, int limit) override;
};

} // namespace antibody

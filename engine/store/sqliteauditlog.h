#pragma once

#include "engine/ports/store.h"
#include "engine/store/sqlitesession.h"

namespace antibody {

// SqliteStore's audit trail: every engine event, redacted and sealed into the hash
// chain (AuditTrail). Decision events are committed before append() returns.
class SqliteAuditLog : public virtual AuditLog, protected SqliteFacet
{
public:
    explicit SqliteAuditLog(SqliteSession &session)
        : SqliteFacet(session)
    {
    }

    void append(const EngineEvent &event) override;
    std::optional<AuditCheckpoint> auditCheckpoint() override;
    QList<StoredEvent> eventsAfter(qint64 seq, int limit) override;

    // Whether an event of this kind is committed before append() returns.
    static bool isDecision(EngineEvent::Kind kind);
};

} // namespace antibody

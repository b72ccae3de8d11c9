#include "engine/store/sqliteauditlog.h"

#include "engine/store/audittrail.h"
#include "engine/store/redaction.h"
#include "engine/store/sqlitedatabase.h"

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

} // namespace antibody

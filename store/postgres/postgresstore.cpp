#include "store/postgres/postgresstore.h"

namespace antibody {

std::unique_ptr<PostgresStore> PostgresStore::open(const Options &options, QString *error)
{
    auto session = PgSession::open(options, error);
    if (!session)
        return nullptr;
    return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(session)));
}

PostgresStore::PostgresStore(std::unique_ptr<PgSession> session)
    : detail::OwnsPgSession { std::move(session) }
    , PgIncidents(*m_ownedSession)
    , PgOpenRecords(*m_ownedSession)
    , PgApprovals(*m_ownedSession)
    , PgExecutions(*m_ownedSession)
    , PgSafeguards(*m_ownedSession)
    , PgDrills(*m_ownedSession)
    , PgAuditLog(*m_ownedSession)
{
}

PostgresStore::~PostgresStore() = default;

} // namespace antibody

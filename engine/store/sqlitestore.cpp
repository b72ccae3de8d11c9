#include "engine/store/sqlitestore.h"

namespace antibody {

std::unique_ptr<SqliteStore> SqliteStore::open(const QString &file, const Options &options, QString *error)
{
    auto session = SqliteSession::open(file, options, error);
    if (!session)
        return nullptr;
    return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(session)));
}

SqliteStore::SqliteStore(std::unique_ptr<SqliteSession> session)
    : detail::OwnsSqliteSession { std::move(session) }
    , SqliteIncidents(*m_ownedSession)
    , SqliteApprovals(*m_ownedSession)
    , SqliteExecutions(*m_ownedSession)
    , SqliteSafeguards(*m_ownedSession)
    , SqliteDrills(*m_ownedSession)
    , SqliteAuditLog(*m_ownedSession)
{
}

SqliteStore::~SqliteStore()
{
    // The queued writes call into the facets: commit them while the facets exist.
    m_ownedSession->close();
}

} // namespace antibody

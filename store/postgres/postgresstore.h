#pragma once

#include "store/postgres/pgapprovals.h"
#include "store/postgres/pgauditlog.h"
#include "store/postgres/pgdrills.h"
#include "store/postgres/pgexecutions.h"
#include "store/postgres/pgincidents.h"
#include "store/postgres/pgopenrecords.h"
#include "store/postgres/pgsafeguards.h"
#include "store/postgres/pgsession.h"

#include <memory>

namespace antibody {

namespace detail {
// Constructed before the facets that write through it, and destroyed after them.
struct OwnsPgSession
{
    std::unique_ptr<PgSession> m_ownedSession;
};
} // namespace detail

// The Store for a team: one PostgreSQL database shared by the replicas of the engine,
// one class per facet (PgIncidents, PgApprovals, PgExecutions, PgSafeguards, PgDrills,
// PgAuditLog) over one PgSession. The same records, constraints, append-only triggers
// and hash-chained audit trail as SqliteStore; every write is fenced by the leader
// lease's epoch (LeaderLease), so only the leader writes, and a leader that lost the
// lease writes nothing more.
class PostgresStore : private detail::OwnsPgSession,
                      public Store,
                      public PgIncidents,
                      public PgOpenRecords,
                      public PgApprovals,
                      public PgExecutions,
                      public PgSafeguards,
                      public PgDrills,
                      public PgAuditLog
{
public:
    using Options = PgSession::Options;

    // Connects and brings the schema to this build's version. On failure returns nullptr
    // and sets `error` to a message that names the server (never the password) and what to do.
    static std::unique_ptr<PostgresStore> open(const Options &options, QString *error);
    ~PostgresStore() override;

    PgSession &session() { return *m_ownedSession; }
    const QString &location() const { return m_ownedSession->location(); }
    void setFailureHandler(std::function<void(const QString &)> handler)
    {
        m_ownedSession->setFailureHandler(std::move(handler));
    }
    void watchHealth(std::function<void(const FeedHealth &)> watcher) override
    {
        m_ownedSession->watchHealth(std::move(watcher));
    }

private:
    explicit PostgresStore(std::unique_ptr<PgSession> session);
};

} // namespace antibody

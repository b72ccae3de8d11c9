#pragma once

#include "engine/store/sqliteapprovals.h"
#include "engine/store/sqliteauditlog.h"
#include "engine/store/sqlitedrills.h"
#include "engine/store/sqliteexecutions.h"
#include "engine/store/sqliteincidents.h"
#include "engine/store/sqlitesafeguards.h"
#include "engine/store/sqlitesession.h"

#include <memory>

namespace antibody {

namespace detail {
// Constructed before the facets that write through it (a base listed first is built
// first), and destroyed after them.
struct OwnsSqliteSession
{
    std::unique_ptr<SqliteSession> m_ownedSession;
};
} // namespace detail

// The default Store: one SQLite file, one class per facet (SqliteIncidents,
// SqliteApprovals, SqliteExecutions, SqliteSafeguards, SqliteDrills, SqliteAuditLog),
// all writing through one SqliteSession. Decision and execution records are
// committed before the call returns; informational ones are batched (see
// SqliteSession). Every record is sealed into the hash-chained audit trail
// (AuditTrail), and nothing is written before Redaction has removed what looks
// like a secret.
class SqliteStore : private detail::OwnsSqliteSession,
                    public Store,
                    public SqliteIncidents,
                    public SqliteApprovals,
                    public SqliteExecutions,
                    public SqliteSafeguards,
                    public SqliteDrills,
                    public SqliteAuditLog
{
public:
    using Options = SqliteSession::Options;

    // Opens FILE (creating it and its schema, or migrating it). On failure returns
    // nullptr and sets `error` to a message that names the file and what to do.
    static std::unique_ptr<SqliteStore> open(const QString &file, const Options &options, QString *error);
    static std::unique_ptr<SqliteStore> open(const QString &file, QString *error)
    {
        return open(file, Options {}, error);
    }
    ~SqliteStore() override;

    // Commits the batch now.
    void flush() { m_ownedSession->flush(); }
    QString file() const { return m_ownedSession->file(); }
    // What the facets write through; TokenRecords (SqliteTokens) shares it.
    SqliteSession &session() { return *m_ownedSession; }
    // Where the owner locks of the processes using this database live ("<file>-owners").
    static QString ownersFolder(const QString &file) { return SqliteSession::ownersFolder(file); }
    // Failures after opening (disk full, a lock held too long, a refused step) go here;
    // the default writes them to the log with qCritical.
    void setFailureHandler(std::function<void(const QString &)> handler)
    {
        m_ownedSession->setFailureHandler(std::move(handler));
    }
    // What the start found and someone must hear: a chain that restarted or was cut
    // back since its anchor, an anchor that cannot be read. Empty when all is well.
    QStringList startWarnings() const { return m_ownedSession->startWarnings(); }
    void watchHealth(std::function<void(const FeedHealth &)> watcher) override
    {
        m_ownedSession->watchHealth(std::move(watcher));
    }

private:
    explicit SqliteStore(std::unique_ptr<SqliteSession> session);
};

} // namespace antibody

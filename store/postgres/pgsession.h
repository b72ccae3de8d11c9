#pragma once

#include "connectors/config/secret.h"
#include "connectors/postgres/pgconnection.h"
#include "engine/core/time.h"
#include "engine/ports/alert.h"
#include "store/postgres/pgparams.h"

#include <QJsonArray>
#include <QString>
#include <functional>
#include <memory>
#include <optional>

namespace antibody {

// What every facet of PostgresStore writes and reads through: one libpq connection
// (the DSN's host, database and sslmode), the schema brought to this build's version
// at open, the fencing epoch it writes under, and the store's health. Called on the
// engine's thread.
//
// Every write is one transaction that first reads the leader lease's epoch FOR SHARE
// and refuses, writing nothing, unless it is the epoch this session was given: a
// replica that lost the lease (paused, partitioned) cannot write after another took
// it over, whatever it believes. Each write is committed before the call returns;
// there is no queue (see docs/store.md, "A PostgreSQL store for a team").
class PgSession
{
public:
    struct Options
    {
        QString dsn; // libpq connection string; sslmode=verify-full in production
        Secret password; // when the DSN has none (password_env, password_file); never shown
        QString holder; // who this replica is, as the lease and the records name it; empty: Identity::process()
        QString leaseName = QStringLiteral("engine");
        Duration connectTimeout { 5'000 };
        Duration statementTimeout { 10'000 };
    };
    // Whether a write waits for the WAL to reach the disk. Informational records are
    // visible to every replica at once but skip the flush; decisions never do.
    enum class Durability { Informational, Decision };

    // Connects, brings the schema to this build's version (or refuses a newer one).
    // On failure returns nullptr and sets `error` to a message that names the server
    // (host, port and database, never the password) and what to do.
    static std::unique_ptr<PgSession> open(const Options &options, QString *error);
    ~PgSession();
    PgSession(const PgSession &) = delete;
    PgSession &operator=(const PgSession &) = delete;

    // "host=db1 port=5432 dbname=antibody": where the store is, for messages.
    const QString &location() const { return m_location; }
    const QString &holder() const { return m_options.holder; }
    const QString &leaseName() const { return m_options.leaseName; }

    // The epoch this session writes under, asked before every write: LeaderLease gives
    // its own (none once it lost the lease); a fixed one for tools and tests.
    void fenceWith(std::function<std::optional<qint64>()> epoch) { m_epoch = std::move(epoch); }
    std::optional<qint64> epoch() const { return m_epoch ? m_epoch() : std::nullopt; }

    // One write transaction: BEGIN, the epoch check, `body`, COMMIT. False when it was
    // refused or failed (reported to the failure handler); then nothing of it is stored.
    bool write(const QString &what, Durability durability, const std::function<void()> &body);
    // An admin's write that is no decision of the engine (an API token): one durable
    // transaction without the epoch check, so it works while another replica leads
    // (docs/store.md, "API tokens"). False when it failed (reported to the failure handler).
    bool writeUnfenced(const QString &what, const std::function<void()> &body);
    // A read in one snapshot; false (and a report) when it failed.
    bool read(const QString &what, const std::function<void()> &body);
    // One statement inside write() or read(): throws StoreError when it fails.
    PgRows exec(const QString &sql, const PgParams &params = {});
    // Statements without values (a migration's DDL), inside the current transaction:
    // throws StoreError when one fails.
    void execScript(const QString &sql);
    // One statement on its own (its own transaction), for the lease: never throws.
    PgRows statement(const QString &sql, const PgParams &params = {});
    // Seals a written row into the hash-chained audit trail.
    void seal(const QString &table, const QJsonArray &key, TimePoint at);

    // Failures after opening go here; the default writes them to the log with qCritical.
    void setFailureHandler(std::function<void(const QString &)> handler) { m_failureHandler = std::move(handler); }
    void watchHealth(std::function<void(const FeedHealth &)> watcher) { m_healthWatcher = std::move(watcher); }

private:
    PgSession(Options options, std::unique_ptr<PgConnection> connection, QString location);
    // Throws unless the lease is at this session's epoch; holds it (FOR SHARE) until the commit.
    void checkEpoch(qint64 epoch);
    void rollback();
    void fail(const QString &message);
    void setWriting(bool writing, const QString &reason);

    Options m_options;
    std::unique_ptr<PgConnection> m_connection;
    QString m_location;
    std::function<std::optional<qint64>()> m_epoch;
    std::function<void(const QString &)> m_failureHandler;
    std::function<void(const FeedHealth &)> m_healthWatcher;
    bool m_writing = true;
};

// The base of each facet of PostgresStore: the session it writes through.
class PgFacet
{
protected:
    explicit PgFacet(PgSession &session)
        : m_session(session)
    {
    }
    using Durability = PgSession::Durability;
    bool write(const QString &what, Durability durability, const std::function<void()> &body)
    {
        return m_session.write(what, durability, body);
    }
    bool read(const QString &what, const std::function<void()> &body) { return m_session.read(what, body); }
    PgRows exec(const QString &sql, const PgParams &params = {}) { return m_session.exec(sql, params); }
    void seal(const QString &table, const QJsonArray &key, TimePoint at) { m_session.seal(table, key, at); }
    // The epoch this write runs under (write() checked it).
    qint64 epoch() const { return m_session.epoch().value_or(0); }

    PgSession &m_session;
};

} // namespace antibody

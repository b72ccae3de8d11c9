#pragma once

// The test cluster of scripts/teamdb as the PostgreSQL store's suites use it: a new
// database per case, replicas (a PostgresStore and its LeaderLease) on it, and a plain
// connection to look at what was written.
#include "connectors/postgres/pgconnection.h"
#include "engine/core/virtualclock.h"
#include "store/postgres/leaderlease.h"
#include "store/postgres/postgresstore.h"
#include "storecontract.h"

#include <memory>

namespace antibody::pgtest {

// host=127.0.0.1 port=$TEAMDB_PORT dbname=DB user=postgres sslmode=disable
QString dsn(const QString &database);
// The same through something in front of the cluster (a relay) on `port`.
QString dsn(const QString &database, quint16 port);
quint16 clusterPort();
// Drops and creates a database of that name prefix; returns its name.
QString createDatabase(const QString &prefix);
// A connection to DATABASE for looking underneath the store.
std::unique_ptr<PgConnection> look(const QString &database);
qint64 scalar(PgConnection &db, const QString &sql);
// What the product's verifier (PgAuditVerifier, `antibodyctl audit verify --config`) finds
// wrong with the trail, each problem with its row, "; " between them: empty when it holds.
QString auditProblems(PgConnection &db);

// One replica of the engine: its store and its lease, on the database's clock shifted by
// the virtual time `clock` has run since `start` (never a sleep).
struct Replica
{
    std::unique_ptr<PostgresStore> store;
    std::unique_ptr<LeaderLease> lease;
    QStringList failures;

    Replica(const QString &database, const QString &holder, VirtualClock &clock, TimePoint start);
    ~Replica();
    Replica(const Replica &) = delete;
    Replica &operator=(const Replica &) = delete;
};

// PostgresStore for the Store contract: a new database for each fresh store, which leads
// at once; a restart ends the replica without stepping down (its process died) and lets
// the next one take the lease over once it expired, under the next epoch.
class PostgresBackend : public StoreBackend
{
public:
    QString name() const override { return QStringLiteral("PostgresStore"); }
    Store &fresh() override;
    Store &restart() override;
    qint64 scalar(const QString &sql) override;
    QString rawExec(const QString &sql) override;
    bool holds(const QString &text) override;
    QString verify() override;
    QStringList failures() const override { return m_replica ? m_replica->failures : QStringList(); }

private:
    VirtualClock m_clock;
    TimePoint m_start = m_clock.now();
    QString m_database;
    std::unique_ptr<Replica> m_replica;
    std::unique_ptr<PgConnection> m_look;
};

} // namespace antibody::pgtest

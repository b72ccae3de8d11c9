#pragma once

#include "connectors/environment/configuredengine.h"
#include "engine/core/systemclock.h"
#include "server/teamserver.h"

#include <QObject>
#include <QTextStream>
#include <QTimer>
#include <memory>

namespace antibody {

class LeaderLease;
class PostgresStore;
class TokenGate;
class RunbookRecords;
struct InstalledRunbook;
class TokenRecords;

// Everything `antibody-server` runs, in the order it must be built and torn down: the
// shared PostgreSQL store and its leader lease (when `server.database` is configured),
// the configured engine, and the team server in front of it. With a lease, the engine
// starts only once this replica leads, and a replica that loses the lease stops: its
// process ends with `lostLease()`, so that systemd starts it again as a standby and no
// engine state of the old epoch survives.
class ServerHost : public QObject
{
    Q_OBJECT
public:
    struct Built;
    static Built build(const QString &configFile, const QString &dataDir, QTextStream &log);
    ~ServerHost() override;

    // Listens, and starts the engine now (one server) or when the lease is acquired.
    bool start(QString *error);
    // Stops the engine, steps down, commits what the store holds; idempotent.
    void stop();

    ConfiguredEngine &engine() { return *m_engine; }
    TeamServer &server() { return *m_server; }
    // Where the store is, for the start-up lines.
    QString storeDescription() const;
    // Reads server.policy again (SIGHUP): what was done, in a sentence for the log. A file
    // that does not lint leaves the policy in force; the sentence names each problem.
    QString reloadPolicy();
    // The policy in force, in a sentence for the start-up lines.
    QString policyDescription() const;

Q_SIGNALS:
    // The store refused a write (or lost its connection): the engine cannot record an
    // intent before acting, so the process stops.
    void storeFailed(const QString &message);
    // This replica led and no longer does.
    void lostLease(const QString &reason);

private:
    ServerHost() = default;
    void lead(qint64 epoch);
    void standBy();
    // `install_runbook`: stored (the leader's write), then the engine's runbooks reloaded.
    QString install(InstalledRunbook &runbook);
    QTextStream *m_log = nullptr; // the caller's: reloads are logged there

    SystemClock m_clock;
    std::unique_ptr<PostgresStore> m_store; // before the engine that borrows it
    std::unique_ptr<LeaderLease> m_lease;
    std::unique_ptr<ConfiguredEngine> m_engine;
    std::unique_ptr<TokenRecords> m_tokens; // on the engine's store: after it, torn down before it
    std::unique_ptr<TokenGate> m_tokenGate;
    std::unique_ptr<RunbookRecords> m_installed; // on the engine's store, like the tokens
    std::unique_ptr<TeamServer> m_server;
    TeamServer::Options m_serverOptions;
    QString m_policyFile; // server.policy; empty: none
    QTimer m_leaderWatch; // while standing by: who leads, for clients and /metrics
    bool m_engineStarted = false;
    bool m_stopped = false;
};

struct ServerHost::Built
{
    std::unique_ptr<ServerHost> host;
    QString error;
};

} // namespace antibody

#pragma once

#include "server/clientapi.h"
#include "server/serverrole.h"
#include "server/teamaccess.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <memory>

namespace antibody {

class AlertSource;
class AuditLog;
class Clock;
class MetricSource;
class RangeQueries;
class Engine;
class EventJournal;
class HttpEndpoints;
class ServerMetrics;
class OpenRecords;
class TeamRecords;

// What `antibody-server` adds to an engine: the event journal over the store's
// audit trail, the client API that fans it out, the server's metrics, and the HTTP
// endpoints (/metrics, /healthz, /readyz, the Alertmanager webhook). The engine, its
// store and its sources belong to the caller and outlive this object.
class TeamServer : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        ClientApi::Options api;
        QHostAddress httpAddress { QHostAddress::LocalHost };
        quint16 httpPort = 0; // 0: any free port (tests)
        Duration journalPoll { 250 };
    };

    TeamServer(Engine &engine, AuditLog &log, QList<AlertSource *> alertSources, QObject *parent = nullptr);
    ~TeamServer() override;

    // Listens on both ports; false (and `error` says which and why) when either fails.
    bool start(const Options &options, QString *error);

    // Leading or standing by (the leader lease says; one server alone leads). Clients
    // hear it in `welcome` and in a `role` message; a standby refuses commands.
    void setRole(const ServerRole &role);
    // Where the consoles' charts read (`query_range`): the engine's metric source and
    // clock, both the caller's. Without it range reads are refused with the reason.
    void setMetricSource(MetricSource *source, const Clock &clock);
    // A store shared with other servers: its open records that this server's engine does
    // not hold are shown to clients too (a standby's whole view), read every `interval`.
    void setSharedStore(OpenRecords *store, Duration interval = Duration { 2'000 });
    const ServerRole &role() const { return m_role; }
    // Who may do what: the policy every client's hello and commands pass (load() it).
    TeamAccess &access() { return m_access; }
    // Reads the policy `file` (SIGHUP): false, with the problems, when it does not lint and
    // the one in force stays; true, and every connected client is checked against it again.
    bool reloadPolicy(const QString &file, QStringList *problems);
    // Where `install_runbook` goes (the host stores the runbook and reloads its engine).
    void setRunbookInstaller(RunbookInstaller installer);

    ClientApi &api() { return *m_api; }
    EventJournal &journal() { return *m_journal; }
    ServerMetrics &metrics() { return *m_metrics; }
    quint16 httpPort() const;

private:
    Engine &m_engine;
    QList<AlertSource *> m_alertSources;
    ServerRole m_role;
    TeamAccess m_access;
    std::unique_ptr<EventJournal> m_journal;
    std::unique_ptr<RangeQueries> m_ranges;
    std::unique_ptr<TeamRecords> m_records;
    std::unique_ptr<ClientApi> m_api;
    std::unique_ptr<ServerMetrics> m_metrics;
    std::unique_ptr<HttpEndpoints> m_http;
    bool m_started = false;
};

} // namespace antibody

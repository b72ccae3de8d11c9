#pragma once

#include "engine/core/time.h"
#include "server/presence.h"
#include "server/teamaccess.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <memory>
#include <optional>

class QWebSocketServer;

namespace antibody {

class ClientSession;
struct ServerRole;
class Engine;
class EventJournal;
class RangeQueries;
class TeamAccess;
class TeamRecords;
class TokenGate;

// The client API: one WebSocket port (TLS unless told otherwise) that every console
// and `antibodyctl --server` connects to. Each connection is a ClientSession; the API
// fans the journal's events and the engine's record changes out to all of them, and
// sends a heartbeat (with the newest event number) when nothing else was sent.
class ClientApi : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QHostAddress address { QHostAddress::LocalHost };
        quint16 port = 0; // 0: any free port (tests)
        std::optional<QSslConfiguration> tls; // none: plain ws:// (loopback only, checked by the configuration)
        Duration heartbeat { 20'000 };
        TokenGate *tokens
            = nullptr; // who a client is, from hello's token; none: hello's name (docs/team.md, "Identities")
    };

    ClientApi(Engine &engine, TeamRecords &records, EventJournal &journal, const ServerRole &role,
        const RangeQueries &ranges, QObject *parent = nullptr);
    ~ClientApi() override;

    // False (and `error` says why: the address in use, no permission) when it cannot listen.
    bool listen(const Options &options, QString *error);
    quint16 port() const;
    QString url() const; // wss://127.0.0.1:8443
    int clientCount() const { return static_cast<int>(m_sessions.size()); }
    // Tells every client whether this server leads now (after the lease changed hands).
    void announceRole();
    // The policy each session's commands pass (the server's; it outlives the API).
    void setAccess(const TeamAccess *access) { m_access = access; }
    // The policy was reloaded: every client is checked against it again (docs/team.md,
    // "What the server enforces today").
    void policyChanged();
    // Where `install_runbook` goes; none: refused ("this server does not install runbooks").
    void setRunbookInstaller(RunbookInstaller installer) { m_installer = std::move(installer); }
    // Reads a PEM certificate and key into a server-side TLS configuration; on failure,
    // nothing, and `error` names the file and what to do.
    static std::optional<QSslConfiguration> tlsFromFiles(
        const QString &certificate, const QString &privateKey, QString *error);

private:
    void accept();
    void broadcast(const QJsonObject &message);

    Engine &m_engine;
    TeamRecords &m_records;
    EventJournal &m_journal;
    const ServerRole &m_role;
    const RangeQueries &m_ranges;
    std::unique_ptr<QWebSocketServer> m_server;
    QList<ClientSession *> m_sessions;
    QTimer m_heartbeat;
    Presence m_presence; // who has which incident open, told to every client
    Duration m_heartbeatInterval { 20'000 };
    bool m_tls = false;
    TokenGate *m_tokens = nullptr;
    const TeamAccess *m_access = nullptr;
    RunbookInstaller m_installer;
};

} // namespace antibody

#include "server/clientapi.h"

#include "engine/pipeline/engine.h"
#include "server/clientsession.h"
#include "server/eventjournal.h"
#include "server/mayapprove.h"
#include "server/serverrole.h"
#include "server/teamrecords.h"
#include "server/wire.h"

#include <QFile>
#include <QJsonObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;

namespace antibody {

ClientApi::ClientApi(Engine &engine, TeamRecords &records, EventJournal &journal, const ServerRole &role,
    const RangeQueries &ranges, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_records(records)
    , m_journal(journal)
    , m_role(role)
    , m_ranges(ranges)
    , m_presence([this] {
        QSet<QString> held;
        for (const Incident &i : m_records.incidents())
            held.insert(i.id);
        return held;
    })
{
    connect(&m_journal, &EventJournal::appended, this, [this](const AuditLog::StoredEvent &e) {
        for (ClientSession *s : std::as_const(m_sessions))
            s->deliver(e);
    });
    // The engine's records as it changes them; the shared store's, as the records read them.
    const auto incidentChanged = [this](const Incident &i) {
        broadcast(QJsonObject { { u"type"_s, u"incident"_s }, { u"incident"_s, wire::incident(i) } });
    };
    const auto proposalChanged = [this](const Proposal &p) {
        // One record, and for each client whether its person may approve it.
        const QJsonObject record = wire::proposal(p);
        for (ClientSession *s : std::as_const(m_sessions))
            s->send(QJsonObject {
                { u"type"_s, u"proposal"_s }, { u"proposal"_s, proposalFor(record, p, m_access, s->identity()) } });
    };
    connect(&m_engine, &Engine::incidentChanged, this, incidentChanged);
    connect(&m_engine, &Engine::proposalChanged, this, proposalChanged);
    connect(&m_records, &TeamRecords::incidentChanged, this, incidentChanged);
    connect(&m_records, &TeamRecords::proposalChanged, this, proposalChanged);
    connect(&m_engine, &Engine::breakerChanged, this, [this](const BreakerState &b) {
        broadcast(QJsonObject { { u"type"_s, u"breaker"_s }, { u"breaker"_s, wire::breaker(b) } });
    });
    connect(&m_engine, &Engine::feedChanged, this, [this](const FeedHealth &f) {
        broadcast(QJsonObject { { u"type"_s, u"feed"_s }, { u"feed"_s, wire::feed(f) } });
    });
    connect(&m_presence, &Presence::changed, this, [this] { broadcast(m_presence.message()); });
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        broadcast(QJsonObject { { u"type"_s, u"heartbeat"_s }, { u"seq"_s, m_journal.lastSeq() } });
    });
}

void ClientApi::policyChanged()
{
    const QList<Proposal> proposals = m_records.proposals();
    const QList<ClientSession *> sessions = m_sessions; // a refused one leaves the list as it closes
    for (ClientSession *s : sessions)
        s->policyChanged(proposals);
}

ClientApi::~ClientApi()
{
    // Sessions are children; their sockets close as they go, after this API's members
    // (the presence their closing would update) are gone.
    for (ClientSession *s : std::as_const(m_sessions))
        s->disconnect(this);
    m_sessions.clear();
}

std::optional<QSslConfiguration> ClientApi::tlsFromFiles(
    const QString &certificate, const QString &privateKey, QString *error)
{
    QFile certFile(certificate);
    QFile keyFile(privateKey);
    if (!certFile.open(QIODevice::ReadOnly)) {
        *error = u"cannot read the certificate %1: %2"_s.arg(certificate, certFile.errorString());
        return std::nullopt;
    }
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = u"cannot read the private key %1: %2"_s.arg(privateKey, keyFile.errorString());
        return std::nullopt;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    if (chain.isEmpty()) {
        *error = u"%1 holds no PEM certificate (-----BEGIN CERTIFICATE-----)"_s.arg(certificate);
        return std::nullopt;
    }
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
    if (key.isNull()) {
        *error = u"%1 holds no unencrypted PEM private key (RSA or EC)"_s.arg(privateKey);
        return std::nullopt;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone); // clients prove who they are with tokens, not certificates
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    return tls;
}

bool ClientApi::listen(const Options &options, QString *error)
{
    m_tls = options.tls.has_value();
    m_server = std::make_unique<QWebSocketServer>(
        u"antibody-server"_s, m_tls ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode);
    if (m_tls)
        m_server->setSslConfiguration(*options.tls);
    connect(m_server.get(), &QWebSocketServer::newConnection, this, &ClientApi::accept);
    if (!m_server->listen(options.address, options.port)) {
        *error = u"cannot listen on %1:%2: %3"_s.arg(options.address.toString())
                     .arg(options.port)
                     .arg(m_server->errorString());
        return false;
    }
    m_heartbeatInterval = options.heartbeat;
    m_tokens = options.tokens;
    m_heartbeat.start(std::chrono::milliseconds(options.heartbeat));
    return true;
}

quint16 ClientApi::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QString ClientApi::url() const
{
    if (!m_server)
        return {};
    const QHostAddress a = m_server->serverAddress();
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol ? u"[%1]"_s.arg(a.toString()) : a.toString();
    return u"%1://%2:%3"_s.arg(m_tls ? u"wss"_s : u"ws"_s, host).arg(port());
}

void ClientApi::accept()
{
    while (m_server->hasPendingConnections()) {
        std::unique_ptr<QWebSocket> socket(m_server->nextPendingConnection());
        auto *session = new ClientSession(
            std::move(socket), m_engine, m_records, m_journal, m_role, m_ranges, m_heartbeatInterval, this);
        session->setTokenGate(m_tokens);
        session->setAccess(m_access);
        session->setRunbookInstaller(&m_installer);
        m_sessions << session;
        connect(session, &ClientSession::welcomed, this, [this, session] { session->send(m_presence.message()); });
        connect(session, &ClientSession::looking, this, [this, session](const QJsonValue &incident) {
            m_presence.look(session, session->identity().subject, incident);
        });
        connect(session, &ClientSession::closed, this, [this, session] {
            m_presence.leave(session);
            m_sessions.removeOne(session);
            session->deleteLater();
        });
    }
}

void ClientApi::announceRole()
{
    broadcast(QJsonObject { { u"type"_s, u"role"_s }, { u"leading"_s, m_role.leading }, { u"epoch"_s, m_role.epoch },
        { u"leader"_s, m_role.leader } });
}

void ClientApi::broadcast(const QJsonObject &message)
{
    for (ClientSession *s : std::as_const(m_sessions))
        s->send(message);
}

} // namespace antibody

#include "client/serverlink.h"

#include "models/link/consolemodels.h"
#include "models/present/connectionnotice.h"

#include <QJsonDocument>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QString command(int type)
{
    static const QString names[] = { u"approve"_s, u"deny"_s, u"cancel"_s, u"reset_breaker"_s, u"request"_s };
    return names[type];
}

} // namespace

ServerLink::ServerLink(ConsoleModels *models, Options options, QObject *parent)
    : EngineCommands(parent)
    , m_models(models)
    , m_options(std::move(options))
    , m_feed(models)
    , m_ranges([this](const QJsonObject &command) {
        if (m_state.phase != ConnectionState::Phase::Connected)
            return false;
        sendText(command);
        return true;
    })
    , m_backoff(m_options.firstRetry, m_options.longestRetry)
    , m_socket(std::make_unique<QWebSocket>())
{
    m_state.phase = ConnectionState::Phase::Connecting;
    m_state.server = m_options.address.url.toString();
    if (m_options.address.tls)
        m_socket->setSslConfiguration(*m_options.address.tls);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(m_options.maxMessageBytes));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(m_options.maxMessageBytes));
    connect(m_socket.get(), &QWebSocket::connected, this, &ServerLink::greet);
    connect(m_socket.get(), &QWebSocket::textMessageReceived, this, &ServerLink::received);
    connect(m_socket.get(), &QWebSocket::binaryMessageReceived, this, [this] {
        m_watchdog.start();
        m_feed.unreadable(u"a binary message (the protocol is JSON text)"_s);
        noteProblem();
    });
    connect(m_socket.get(), &QWebSocket::disconnected, this, [this] {
        if (m_socketOpen) {
            dropped(socketFailure());
            return;
        }
        // A failed attempt says "disconnected" before its error ("Connection refused"): wait for
        // the words, unless a new attempt began meanwhile (a sign-in).
        QMetaObject::invokeMethod(
            this,
            [this, attempt = m_attempts] {
                if (attempt == m_attempts)
                    dropped(socketFailure());
            },
            Qt::QueuedConnection);
    });
    connect(m_socket.get(), qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
        [this] { dropped(socketFailure()); });
    // Never ignored: the reason is kept for the banner, and the handshake fails.
    connect(m_socket.get(), &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        QStringList what;
        for (const QSslError &e : errors)
            what << e.errorString();
        m_tlsFailure = u"the server's TLS certificate is not trusted (%1): if it is your team's server, start the "
                       u"console with --ca-file and the CA certificate that signed it"_s.arg(what.join(u"; "_s));
    });

    m_watchdog.setSingleShot(true);
    m_watchdog.setInterval(m_options.heartbeat * 2);
    connect(&m_watchdog, &QTimer::timeout, this, [this] {
        const QString seconds = QString::number(double(m_watchdog.interval()) / 1000.0);
        dropped(m_welcomed ? u"no heartbeat from the server for %1 s (two heartbeats): the network or the server is "
                             u"down"_s.arg(seconds)
                           : u"no answer from %1 within %2 s"_s.arg(m_state.server).arg(seconds));
    });
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &ServerLink::connectNow);
    m_looking.setSingleShot(true);
    m_looking.setInterval(250);
    connect(&m_looking, &QTimer::timeout, this, &ServerLink::tellLooking);
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, [this] {
        if (m_feed.estimatedNow().time_since_epoch().count() > 0)
            m_models->setNow(m_feed.estimatedNow());
    });
}

ServerLink::~ServerLink()
{
    // The socket's last signals must not reach a half-destroyed link.
    m_socket->disconnect(this);
}

void ServerLink::start()
{
    m_running = true;
    m_clock.start();
    connectNow();
}

void ServerLink::stop()
{
    m_running = false;
    m_retry.stop();
    m_watchdog.stop();
    m_clock.stop();
    m_socket->close();
}

void ServerLink::setToken(const QString &token)
{
    m_token = token;
}

void ServerLink::signIn()
{
    if (!m_running || m_state.phase == ConnectionState::Phase::Connected)
        return;
    m_attemptLive = false; // what an attempt under way says as it ends is no longer news
    m_retry.stop();
    m_watchdog.stop();
    m_backoff.reset();
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    connectNow();
}

void ServerLink::signOut(const QString &why)
{
    m_token.clear();
    m_subject.clear();
    if (!halt(ConnectionState::Phase::SignInNeeded, why)) {
        // No attempt was live (between tries, or refused already): only the state changes.
        m_retry.stop();
        ConnectionState out;
        out.phase = ConnectionState::Phase::SignInNeeded;
        out.server = m_state.server;
        out.reason = why;
        setState(out);
    }
}

bool ServerLink::tryingToConnect() const
{
    return m_retry.isActive() || m_watchdog.isActive() || m_attemptLive
        || m_socket->state() != QAbstractSocket::UnconnectedState;
}

void ServerLink::connectNow()
{
    if (!m_running)
        return;
    ++m_attempts;
    m_attemptLive = true;
    m_socketOpen = false;
    m_welcomed = false;
    m_tlsFailure.clear();
    if (m_state.phase == ConnectionState::Phase::Reconnecting) {
        ConnectionState trying = m_state;
        trying.nextTry = {};
        setState(trying);
    }
    m_watchdog.start();
    m_socket->open(m_options.address.url);
}

void ServerLink::greet()
{
    m_socketOpen = true;
    m_watchdog.start();
    // Back, the events after the last one seen; first, the newest of the trail, so that a
    // server with a long history does not flood a console that just opened.
    QJsonObject hello { { u"type"_s, u"hello"_s }, { u"protocol"_s, 1 }, { u"name"_s, m_options.name } };
    if (!m_token.isEmpty())
        hello.insert(u"token"_s, m_token);
    if (m_feed.lastSeq() > 0)
        hello.insert(u"after"_s, m_feed.lastSeq());
    else
        hello.insert(u"recent"_s, m_options.recentEvents);
    sendText(hello);
}

void ServerLink::sendText(const QJsonObject &message)
{
    m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

void ServerLink::received(const QString &text)
{
    if (!m_attemptLive)
        return;
    m_watchdog.start(); // any message proves the connection alive, not only heartbeats
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (!document.isObject()) {
        m_feed.unreadable(error.error != QJsonParseError::NoError
                ? u"a message that is not JSON (%1)"_s.arg(error.errorString())
                : u"a message that is not a JSON object"_s);
        noteProblem();
        return;
    }
    const QJsonObject message = document.object();
    const QString type = message.value(u"type"_s).toString();
    if (type == u"event"_s) {
        m_feed.event(message);
    } else if (type == u"incident"_s || type == u"proposal"_s || type == u"breaker"_s || type == u"feed"_s) {
        m_feed.record(type, message);
    } else if (type == u"welcome"_s) {
        welcome(message);
        return;
    } else if (type == u"refused"_s) {
        // The server closes the connection after this: the reason is in the message, the
        // close frame has room for its first words only. The same hello would be refused
        // again, so nothing is tried until the person signs in.
        const QString reason = message.value(u"reason"_s).toString().left(2'000);
        const QString said = reason.isEmpty() ? tr("the server refused this console without a reason") : reason;
        if (halt(ConnectionState::Phase::SignInNeeded, said))
            Q_EMIT refused(said);
        return;
    } else if (type == u"role"_s) {
        noteRole(message);
    } else if (type == u"snapshot"_s) {
        m_feed.snapshot(message);
        ConnectionState connected;
        connected.phase = ConnectionState::Phase::Connected;
        connected.server = m_state.server;
        connected.problem = m_feed.problem();
        connected.standingBy = m_standingBy;
        connected.leader = m_leader;
        setState(connected);
        m_toldLooking = QString(); // a new session on the server: it has this console looking at nothing
        tellLooking();
        if (!std::exchange(m_attached, true))
            Q_EMIT attached();
    } else if (type == u"presence"_s) {
        m_models->setViewers(m_feed.viewers(message, approver()));
    } else if (type == u"reply"_s) {
        reply(message);
    } else if (type == u"error"_s) {
        qWarning("antibody: the team server refused a message: %s", qPrintable(message.value(u"reason"_s).toString()));
    }
    // `heartbeat` only keeps the watchdog quiet; types of a newer protocol are ignored.
    noteProblem();
}

void ServerLink::welcome(const QJsonObject &message)
{
    const int protocol = message.value(u"protocol"_s).toInt();
    if (protocol != 1) {
        dropped(u"the server speaks protocol %1 and this console protocol 1: run the same version of Antibody on "
                u"both"_s.arg(message.value(u"protocol"_s).toVariant().toString()));
        return;
    }
    m_welcomed = true;
    m_backoff.reset();
    // An older server does not say: then it knows this console by hello's name.
    const QString subject = message.value(u"subject"_s).toString().simplified().left(128);
    m_subject = subject.isEmpty() ? m_options.name : subject;
    Q_EMIT admitted(m_subject);
    noteRole(message);
    // The server says how often it sends heartbeats; silence for two of them is a dead link.
    if (const qint64 ms = message.value(u"heartbeat_ms"_s).toInteger(); ms >= 100 && ms <= 300'000)
        m_watchdog.setInterval(std::chrono::milliseconds(2 * ms));
}

void ServerLink::noteRole(const QJsonObject &message)
{
    // A server that does not say leads: one server alone always does.
    m_standingBy = message.value(u"leading"_s).isBool() && !message.value(u"leading"_s).toBool();
    m_leader = m_standingBy ? message.value(u"leader"_s).toString().left(200) : QString();
    if (m_state.phase != ConnectionState::Phase::Connected)
        return; // the snapshot's state says it
    ConnectionState state = m_state;
    state.standingBy = m_standingBy;
    state.leader = m_leader;
    setState(state);
}

void ServerLink::reply(const QJsonObject &message)
{
    if (m_ranges.answer(message))
        return;
    const auto pending = m_pending.find(message.value(u"request"_s).toString());
    if (pending == m_pending.end())
        return;
    const Pending p = *pending;
    m_pending.erase(pending);
    const bool ok = message.value(u"ok"_s).toBool();
    const QString reason = message.value(u"reason"_s).toString();
    if (onPlan(p.command)) {
        Q_EMIT answered(p.subject, ok, reason);
        return;
    }
    if (!ok)
        qWarning("antibody: the team server refused to %s %s: %s", qPrintable(command(int(p.command))),
            qPrintable(p.subject), qPrintable(reason));
}

void ServerLink::dropped(const QString &reason)
{
    halt(ConnectionState::Phase::Reconnecting, reason);
}

bool ServerLink::halt(ConnectionState::Phase phase, const QString &reason)
{
    if (!m_attemptLive)
        return false; // one report per attempt: a socket says error, then disconnected
    m_attemptLive = false;
    m_welcomed = false;
    m_watchdog.stop();
    m_toldLooking.reset();
    m_models->setViewers({}); // who looked is unknown while disconnected: say nothing rather than stale names
    failPending(reason);
    m_ranges.fail(tr("the connection to the team server dropped: %1").arg(reason));
    ConnectionState lost;
    lost.phase = phase;
    lost.server = m_state.server;
    lost.reason = reason;
    m_retry.stop();
    if (m_running && phase == ConnectionState::Phase::Reconnecting) {
        const std::chrono::milliseconds wait = m_backoff.next();
        lost.nextTry = QDateTime::currentDateTime().addMSecs(wait.count());
        m_retry.start(wait);
    }
    setState(lost);
    qWarning("antibody: not connected to %s: %s", qPrintable(lost.server), qPrintable(reason));
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    return true;
}

QString ServerLink::socketFailure() const
{
    if (!m_tlsFailure.isEmpty())
        return m_tlsFailure;
    if (m_socket->closeCode() == QWebSocketProtocol::CloseCodeTooMuchData)
        return u"the server sent a message over this console's limit of %1 MiB, so the console closed the "
               u"connection"_s.arg(m_options.maxMessageBytes / (1024 * 1024));
    if (!m_socket->closeReason().isEmpty())
        return u"the server closed the connection: %1"_s.arg(m_socket->closeReason());
    if (!m_socketOpen)
        return u"cannot reach %1: %2"_s.arg(m_state.server, m_socket->errorString());
    if (m_socket->error() == QAbstractSocket::UnknownSocketError
        || m_socket->error() == QAbstractSocket::RemoteHostClosedError)
        return u"the server closed the connection"_s;
    return u"the connection to the server dropped: %1"_s.arg(m_socket->errorString());
}

void ServerLink::send(Command type, const QString &subject, QJsonObject message)
{
    if (m_state.phase != ConnectionState::Phase::Connected) {
        const QString why = ConnectionNotice::approvalBlock(m_state);
        if (onPlan(type))
            Q_EMIT answered(subject, false, why);
        else
            qWarning(
                "antibody: cannot %s %s: %s", qPrintable(command(int(type))), qPrintable(subject), qPrintable(why));
        return;
    }
    const QString id = u"c%1"_s.arg(++m_requests);
    message.insert(u"type"_s, command(int(type)));
    message.insert(u"request"_s, id);
    m_pending.insert(id, Pending { type, subject });
    sendText(message);
}

void ServerLink::failPending(const QString &reason)
{
    const QHash<QString, Pending> pending = std::exchange(m_pending, {});
    for (const Pending &p : pending) {
        if (onPlan(p.command))
            Q_EMIT answered(p.subject, false,
                tr("the connection dropped before the server answered (%1); the decision may or may not have "
                   "reached it: look at the proposal once the console is connected again")
                    .arg(reason));
    }
}

void ServerLink::setState(ConnectionState state)
{
    if (state == m_state)
        return;
    m_state = std::move(state);
    Q_EMIT connectionChanged(m_state);
}

void ServerLink::noteProblem()
{
    if (m_state.problem == m_feed.problem())
        return;
    ConnectionState state = m_state;
    state.problem = m_feed.problem();
    setState(state);
}

void ServerLink::approve(const QString &proposalId, const QString &fingerprint)
{
    send(
        Command::Approve, proposalId, QJsonObject { { u"proposal"_s, proposalId }, { u"fingerprint"_s, fingerprint } });
}

void ServerLink::deny(const QString &proposalId, const QString &fingerprint, const QString &reason)
{
    send(Command::Deny, proposalId,
        QJsonObject { { u"proposal"_s, proposalId }, { u"fingerprint"_s, fingerprint }, { u"reason"_s, reason } });
}

void ServerLink::request(const QString &proposalId, const QString &fingerprint, const QString &reason)
{
    send(Command::Request, proposalId,
        QJsonObject { { u"proposal"_s, proposalId }, { u"fingerprint"_s, fingerprint }, { u"reason"_s, reason } });
}

void ServerLink::resetBreaker(const QString &type)
{
    send(Command::ResetBreaker, type, QJsonObject { { u"breaker"_s, type } });
}

void ServerLink::cancel(const QString &incidentId)
{
    send(Command::Cancel, incidentId, QJsonObject { { u"incident"_s, incidentId } });
}

void ServerLink::setOpenIncident(const QString &incidentId)
{
    m_openIncident = incidentId;
    if (!m_looking.isActive())
        m_looking.start();
}

void ServerLink::tellLooking()
{
    if (m_state.phase != ConnectionState::Phase::Connected || m_toldLooking == m_openIncident)
        return;
    m_toldLooking = m_openIncident;
    sendText(QJsonObject { { u"type"_s, u"looking"_s },
        { u"incident"_s, m_openIncident.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(m_openIncident) } });
}

void ServerLink::readWindow(const QList<MetricQuery> &queries, Duration span, Duration step, QObject *context,
    std::function<void(const Window &)> done)
{
    m_ranges.read(queries, span, step, context, std::move(done), m_models->now());
}

} // namespace antibody

#include "app/antibodyctl/serverconnection.h"

#include "app/antibodyctl/timeline.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QSslCertificate>
#include <QSslConfiguration>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

namespace {

QString secondsText(std::chrono::milliseconds d)
{
    return QString::number(static_cast<double>(d.count()) / 1000.0);
}

// Who the certificate says it is, for a person deciding whether to trust it.
QString certificateText(const QSslCertificate &c)
{
    if (c.isNull())
        return u"no certificate"_s;
    QStringList names;
    const auto alternatives = c.subjectAlternativeNames();
    for (auto it = alternatives.cbegin(); it != alternatives.cend(); ++it)
        names << it.value();
    return u"subject %1, issued by %2, for %3, valid until %4, sha256 %5"_s.arg(c.subjectDisplayName(),
        c.issuerDisplayName(), names.isEmpty() ? u"no alternative names"_s : names.join(u", "_s),
        c.expiryDate().toString(Qt::ISODate), QString::fromLatin1(c.digest(QCryptographicHash::Sha256).toHex()));
}

// What a message must carry for the command to read it; empty when it does.
QString missing(const QJsonObject &m)
{
    const QString type = m.value(u"type"_s).toString();
    if (type == u"welcome"_s && (!m.value(u"seq"_s).isDouble() || m.value(u"protocol"_s).toInt() != 1))
        return u"a welcome without protocol 1 and a numeric seq"_s;
    if (type == u"snapshot"_s && (!m.value(u"incidents"_s).isArray() || !m.value(u"proposals"_s).isArray()))
        return u"a snapshot without incidents and proposals arrays"_s;
    if (type == u"event"_s
        && (!m.value(u"seq"_s).isDouble() || m.value(u"seq"_s).toInteger() <= 0 || !m.value(u"kind"_s).isString()))
        return u"an event without a positive seq and a kind"_s;
    if (type == u"reply"_s && (!m.value(u"request"_s).isString() || !m.value(u"ok"_s).isBool()))
        return u"a reply without its request id and ok"_s;
    return {};
}

} // namespace

ServerConnection::ServerConnection(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    // A hostile or broken server could send a message without end: this closes the
    // connection by counting each message's frames; Qt's own limit, a little higher, is
    // the backstop (past it, Qt reports the frames that follow as a protocol error).
    m_socket.setMaxAllowedIncomingMessageSize(maxMessageBytes + 1024 * 1024);
    m_socket.setMaxAllowedIncomingFrameSize(maxMessageBytes + 1024 * 1024);
    connect(&m_socket, &QWebSocket::textFrameReceived, this, [this](const QString &frame, bool last) {
        m_messageBytes = last ? 0 : m_messageBytes + frame.size() * 2;
        if (m_messageBytes > maxMessageBytes)
            fail(u"%1 sent a message larger than %2 MiB: not the antibody protocol"_s.arg(m_options.url.toString())
                     .arg(maxMessageBytes / (1024 * 1024)),
                false);
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &ServerConnection::received);
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this] {
        fail(u"%1 sent a binary message, which the antibody protocol never does: is it an antibody-server?"_s.arg(
                 m_options.url.toString()),
            false);
    });
    connect(
        &m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, &ServerConnection::socketError);
    connect(&m_socket, &QWebSocket::sslErrors, this, &ServerConnection::tlsErrors);
    connect(&m_socket, &QWebSocket::disconnected, this, &ServerConnection::disconnected);
    connect(&m_socket, &QWebSocket::connected, this, &ServerConnection::progressed);
    m_silenceCheck.setInterval(1000);
    connect(&m_silenceCheck, &QTimer::timeout, this, [this] {
        if (m_opened && m_sinceLastMessage.hasExpired(m_silence.count()))
            fail(u"%1 sent nothing for %2 s, not even a heartbeat"_s.arg(
                     m_options.url.toString(), secondsText(m_silence)),
                true);
    });
}

ServerConnection::~ServerConnection() = default;

std::optional<ServerConnection::Welcome> ServerConnection::open(std::optional<qint64> after, QString *error)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (!m_options.caFile.isEmpty()) {
        QFile file(m_options.caFile);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = u"--ca-file %1: %2"_s.arg(m_options.caFile, file.errorString());
            return std::nullopt;
        }
        const QList<QSslCertificate> cas = QSslCertificate::fromData(file.read(maxMessageBytes), QSsl::Pem);
        if (cas.isEmpty()) {
            *error = u"--ca-file %1 holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the CA that signed "
                     u"the server's certificate"_s.arg(m_options.caFile);
            return std::nullopt;
        }
        // Beside the system's, not instead of them: Qt stops loading the system's on
        // demand once a configuration is given its own, so they are named here.
        tls.setCaCertificates(QSslConfiguration::systemCaCertificates() + cas);
    }
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    m_socket.setSslConfiguration(tls);
    m_failure.clear();
    m_transient = false;
    m_welcomeSeq.reset();
    m_welcome = {};
    m_snapshot.reset();
    m_early.clear();
    m_socket.open(m_options.url);
    if (!waitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, u"connection"_s, error))
        return std::nullopt;
    QJsonObject hello { { u"type"_s, u"hello"_s }, { u"protocol"_s, 1 }, { u"name"_s, m_options.name } };
    if (!m_options.token.isEmpty())
        hello.insert(u"token"_s, m_options.token);
    if (after)
        hello.insert(u"after"_s, *after);
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(hello).toJson(QJsonDocument::Compact)));
    if (!waitFor([this] { return m_snapshot.has_value(); }, u"welcome and snapshot"_s, error))
        return std::nullopt;
    m_opened = true;
    m_sinceLastMessage.start();
    m_silenceCheck.start();
    // A server from before the leader lease does not say: it is the only one, so it leads.
    return Welcome { *m_welcomeSeq, *m_snapshot, std::exchange(m_early, {}), m_welcome.value(u"leading"_s).toBool(true),
        m_welcome.value(u"leader"_s).toString() };
}

std::optional<QJsonObject> ServerConnection::request(QJsonObject command, QString *error)
{
    const QString id = u"c%1"_s.arg(++m_requests);
    command.insert(u"request"_s, id);
    if (connected())
        m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(command).toJson(QJsonDocument::Compact)));
    if (!waitFor(
            [&] { return m_replies.contains(id); }, u"reply to %1"_s.arg(command.value(u"type"_s).toString()), error))
        return std::nullopt;
    return m_replies.take(id);
}

void ServerConnection::close()
{
    m_opened = false; // closed on purpose: nothing was lost
    fail(u"the connection to %1 was closed by antibodyctl"_s.arg(m_options.url.toString()), false);
}

void ServerConnection::received(const QString &text)
{
    if (!m_failure.isEmpty())
        return;
    m_sinceLastMessage.start();
    QJsonParseError parse {};
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parse);
    if (!document.isObject()) {
        fail(u"%1 sent something that is not the antibody protocol: %2 (it began: %3): is the URL that of an "
             u"antibody-server?"_s.arg(m_options.url.toString(),
                 parse.error != QJsonParseError::NoError ? u"not JSON, %1"_s.arg(parse.errorString())
                                                         : u"JSON, but not an object"_s,
                 printable(text.left(60))),
            false);
        return;
    }
    const QJsonObject message = document.object();
    const QString type = message.value(u"type"_s).toString();
    if (const QString wrong = missing(message); !wrong.isEmpty()) {
        fail(u"%1 sent %2: not the antibody protocol this antibodyctl speaks (is the server of another version?)"_s.arg(
                 m_options.url.toString(), wrong),
            false);
        return;
    }
    if (!m_welcomeSeq && type == u"refused"_s) {
        // The server names what is wrong with the token (unknown, expired, revoked, too many
        // failures), never the token itself.
        const QString reason = printable(message.value(u"reason"_s).toString().left(300));
        // Refused by the policy, or for want of a token: the person, not the token, is the matter.
        if (m_options.token.isEmpty() || reason.startsWith(u"refused by the policy"_s)) {
            fail(u"%1 refused %2: %3"_s.arg(m_options.url.toString(), printable(m_options.name), reason), false);
            return;
        }
        fail(u"%1 refused your API token: %2"_s.arg(m_options.url.toString(), reason)
                + (reason.contains(u"antibodyctl token create"_s)
                        ? QString()
                        : u" (ask an admin for a new one: antibodyctl token create)"_s),
            false);
        return;
    }
    if (!m_welcomeSeq && type != u"welcome"_s) {
        fail(u"%1 answered hello with '%2' instead of welcome: not the antibody protocol"_s.arg(
                 m_options.url.toString(), printable(type.left(40))),
            false);
        return;
    }
    if (type == u"welcome"_s) {
        m_welcomeSeq = message.value(u"seq"_s).toInteger();
        m_welcome = message;
        const qint64 heartbeat = message.value(u"heartbeat_ms"_s).toInteger();
        m_silence = heartbeat > 0 && heartbeat <= 3'600'000 ? std::chrono::milliseconds(2 * heartbeat + 1000)
                                                            : m_options.silence;
    } else if (type == u"snapshot"_s) {
        m_snapshot = message;
    } else if (type == u"reply"_s) {
        m_replies.insert(message.value(u"request"_s).toString(), message);
    } else if (type == u"event"_s) {
        // The replay after hello arrives with the snapshot, before the caller listens.
        if (m_opened)
            Q_EMIT event(message);
        else
            m_early << message;
    } else if (type == u"incident"_s || type == u"proposal"_s || type == u"breaker"_s || type == u"feed"_s) {
        Q_EMIT record(message);
    }
    // heartbeat: only proof of life; error: the server found a message of ours bad, and
    // the command's reply (or its timeout) says the rest.
    progressed();
}

void ServerConnection::fail(const QString &why, bool transient)
{
    if (!m_failure.isEmpty())
        return;
    m_failure = why;
    m_transient = transient;
    m_silenceCheck.stop();
    m_socket.abort();
    const bool wasOpen = std::exchange(m_opened, false);
    progressed();
    if (wasOpen)
        Q_EMIT lost(why);
}

void ServerConnection::socketError(QAbstractSocket::SocketError code)
{
    const QString url = m_options.url.toString();
    switch (code) {
    case QAbstractSocket::ConnectionRefusedError:
        // Qt reports a failed WebSocket handshake (an HTTP server, a proxy) under this code too.
        if (!m_socket.errorString().contains(u"refused"_s, Qt::CaseInsensitive)) {
            fail(u"%1 did not answer as a WebSocket server (%2): is the URL that of an antibody-server's client API "
                 u"(server.listen), not its HTTP port?"_s.arg(url, printable(m_socket.errorString().left(200))),
                false);
            return;
        }
        fail(u"cannot connect to %1: connection refused: is antibody-server running and listening there? (its log "
             u"says where it listens: `journalctl -u antibody-server`; server.listen in its configuration)"_s.arg(url),
            true);
        return;
    case QAbstractSocket::HostNotFoundError:
        fail(u"cannot connect to %1: no such host (%2): check the name in the URL"_s.arg(url, m_socket.errorString()),
            true);
        return;
    case QAbstractSocket::SslHandshakeFailedError:
        fail(u"cannot connect to %1: the TLS handshake failed (%2): is it an antibody-server with TLS on? (a ws:// "
             u"server needs a ws:// URL)"_s.arg(url, m_socket.errorString()),
            false);
        return;
    default:
        fail(u"%1: %2"_s.arg(url, m_socket.errorString()), true); // network trouble: a later try may pass
    }
}

void ServerConnection::tlsErrors(const QList<QSslError> &errors)
{
    // Never ignored: the connection stops here, and the person learns which
    // certificate was offered and how to trust it if it is theirs.
    QStringList what;
    for (const QSslError &e : errors)
        what << e.errorString();
    const QSslCertificate offered = errors.isEmpty() ? QSslCertificate() : errors.first().certificate();
    fail(u"TLS verification failed for %1: %2. The server offered: %3. If this is your team's server, trust the CA "
         u"that signed it with --ca-file PEM; if the name does not match, use a URL with a name the certificate "
         u"lists"_s.arg(m_options.url.toString(), what.join(u"; "_s),
             certificateText(offered.isNull() ? m_socket.sslConfiguration().peerCertificate() : offered)),
        false);
}

void ServerConnection::disconnected()
{
    const QString url = m_options.url.toString();
    const QString reason = printable(m_socket.closeReason().left(200));
    if (!m_welcomeSeq && !reason.isEmpty()) {
        fail(u"%1 refused the connection: %2"_s.arg(url, reason), false);
        return;
    }
    // Qt may say `disconnected` before it says why the socket failed (refused, reset):
    // the reason, if one follows, goes first (fail keeps the first failure).
    QMetaObject::invokeMethod(
        this,
        [this, url, reason] {
            fail(reason.isEmpty() ? u"%1 closed the connection"_s.arg(url)
                                  : u"%1 closed the connection: %2"_s.arg(url, reason),
                true);
        },
        Qt::QueuedConnection);
}

bool ServerConnection::waitFor(const std::function<bool()> &done, const QString &what, QString *error)
{
    QElapsedTimer elapsed;
    elapsed.start();
    while (!done()) {
        if (!m_failure.isEmpty()) {
            *error = m_failure;
            return false;
        }
        const qint64 left = m_options.timeout.count() - elapsed.elapsed();
        if (left <= 0) {
            fail(u"no %1 from %2 within %3 s: is the server overloaded, or is something else listening there? "
                 u"(--timeout SECONDS waits longer)"_s.arg(
                     what, m_options.url.toString(), secondsText(m_options.timeout)),
                true);
            *error = m_failure;
            return false;
        }
        QEventLoop loop;
        m_waiting = &loop;
        QTimer::singleShot(std::chrono::milliseconds(left), &loop, &QEventLoop::quit);
        loop.exec();
        m_waiting = nullptr;
    }
    return true;
}

void ServerConnection::progressed()
{
    if (m_waiting)
        m_waiting->quit();
}

} // namespace antibody::ctl

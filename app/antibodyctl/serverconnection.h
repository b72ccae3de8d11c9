#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <chrono>
#include <functional>
#include <optional>

class QEventLoop;

namespace antibody::ctl {

// One connection to antibody-server's client API (docs/team.md) for a command that
// waits for answers: connect over TLS verified against the system's CAs (and the one
// --ca-file adds), say hello, receive welcome and snapshot, send commands and wait for
// their replies, or hear events as they come (watch). Every wait is bounded, and every
// failure becomes one sentence that names the URL and says what to do: a server that
// is down, a certificate that does not verify, a refusal, or an answer that is not the
// protocol (not JSON, wrong types, too large).
class ServerConnection : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QUrl url; // wss://host:port
        QString caFile; // PEM certificates trusted besides the system's CAs
        QString name; // who the person is (hello.name): approvals name them
        QString token; // an API token (hello.token): the server then knows who from it; never printed
        std::chrono::milliseconds timeout { 10'000 }; // to connect, and for each answer
        // watch: no message for this long is a lost connection, unless welcome announces its
        // heartbeat (then two of them, and a second for the timers' slack)
        std::chrono::milliseconds silence { 65'000 };
    };

    struct Welcome
    {
        qint64 seq = 0; // the newest event number when the server said welcome
        QJsonObject snapshot; // incidents, proposals, breakers, feeds as they are now
        QList<QJsonObject> events; // those that came with the welcome (the replay after `after`), in order
        bool leading = true; // false: the server stands by and refuses every decision
        QString leader; // on a standby, who leads (empty: not known yet)
    };

    explicit ServerConnection(Options options, QObject *parent = nullptr);
    ~ServerConnection() override;

    // Connects and says hello; `after` is the last event number the caller saw (none:
    // events from now). Nothing, and `error` says why, when no welcome and snapshot came.
    std::optional<Welcome> open(std::optional<qint64> after, QString *error);
    // Sends a command (its `request` id added) and waits for its reply.
    std::optional<QJsonObject> request(QJsonObject command, QString *error);
    // Closes the connection, and ends a wait in open() or request() (a stop signal).
    void close();
    bool connected() const { return m_socket.state() == QAbstractSocket::ConnectedState && m_failure.isEmpty(); }
    const QUrl &url() const { return m_options.url; }

    // Whether a failure is one a later try may not meet (a refused connection, a
    // silence), as opposed to a certificate that does not verify or a foreign protocol.
    bool failureIsTransient() const { return m_transient; }

    // The largest message taken from a server: a snapshot of many incidents fits.
    static constexpr qint64 maxMessageBytes = 16 * 1024 * 1024;

Q_SIGNALS:
    // An event after open() returned, its `seq` a positive number.
    void event(const QJsonObject &event);
    // A record as it is now: `incident`, `proposal`, `breaker` or `feed`.
    void record(const QJsonObject &message);
    // The connection ended (closed, dropped, silent, or spoke something else); `why` names the URL.
    void lost(const QString &why);

private:
    void received(const QString &text);
    void fail(const QString &why, bool transient);
    void socketError(QAbstractSocket::SocketError code);
    void tlsErrors(const QList<QSslError> &errors);
    void disconnected();
    // Runs the event loop until `done` holds, the connection fails, or the timeout passes.
    bool waitFor(const std::function<bool()> &done, const QString &what, QString *error);
    void progressed();

    Options m_options;
    QWebSocket m_socket;
    QString m_failure; // the first failure, as the person reads it
    bool m_transient = false;
    bool m_opened = false;
    std::optional<qint64> m_welcomeSeq;
    QJsonObject m_welcome;
    std::optional<QJsonObject> m_snapshot;
    QHash<QString, QJsonObject> m_replies;
    QList<QJsonObject> m_early; // events before open() returned: nobody listens yet
    int m_requests = 0;
    qint64 m_messageBytes = 0; // of the message whose frames are arriving
    QEventLoop *m_waiting = nullptr;
    QElapsedTimer m_sinceLastMessage;
    std::chrono::milliseconds m_silence { 0 }; // this connection's, from welcome's heartbeat_ms
    QTimer m_silenceCheck;
};

} // namespace antibody::ctl

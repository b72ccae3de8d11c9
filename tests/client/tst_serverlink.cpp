// The console's link to a team server, against servers a test scripts: one that sends
// garbage, huge frames and records this console cannot read, one that falls silent,
// one whose certificate nobody trusts. The console stays up and says what is wrong,
// in the banner a person reads. Also: the backoff between attempts, and the clear
// errors for a --server URL or --ca-file that cannot work.
#include "client/reconnectbackoff.h"
#include "client/serverlink.h"
#include "engine/domain/recordjson.h"
#include "models/incidentmodel.h"
#include "models/link/consolemodels.h"
#include "models/present/connectionnotice.h"
#include "tests/support/samples.h"
#include "tests/support/selfsignedcertificate.h"
#include "ui/connectionbanner.h"
#include "ui/mainwindow.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSslKey>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using antibody::test::SelfSignedCertificate;

namespace {

QString text(const QJsonObject &message)
{
    return QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact));
}

// A WebSocket server on 127.0.0.1 that answers each hello with what the test scripts.
class ScriptedServer : public QObject
{
public:
    using Script = std::function<void(QWebSocket &socket, const QJsonObject &hello)>;

    explicit ScriptedServer(Script script, const SelfSignedCertificate *tls = nullptr)
        : m_server(u"scripted"_s, tls ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode)
        , m_script(std::move(script))
    {
        if (tls) {
            QSslConfiguration config = QSslConfiguration::defaultConfiguration();
            config.setLocalCertificateChain(QSslCertificate::fromData(tls->certPem, QSsl::Pem));
            config.setPrivateKey(QSslKey(tls->keyPem, QSsl::Rsa, QSsl::Pem));
            config.setPeerVerifyMode(QSslSocket::VerifyNone);
            m_server.setSslConfiguration(config);
        }
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &message) {
                    const QJsonObject hello = QJsonDocument::fromJson(message.toUtf8()).object();
                    if (hello.value(u"type"_s) != u"hello"_s) {
                        if (commands)
                            commands(*socket, hello);
                        return;
                    }
                    hellos << hello;
                    m_script(*socket, hello);
                });
            }
        });
        if (!m_server.listen(QHostAddress::LocalHost))
            qFatal("cannot listen: %s", qPrintable(m_server.errorString()));
    }

    QString url() const
    {
        return u"%1://127.0.0.1:%2"_s.arg(m_server.secureMode() == QWebSocketServer::SecureMode ? u"wss"_s : u"ws"_s)
            .arg(m_server.serverPort());
    }

    QList<QJsonObject> hellos;
    Script commands; // every message after hello, when set

private:
    QWebSocketServer m_server;
    Script m_script;
};

QJsonObject welcome()
{
    return { { u"type"_s, u"welcome"_s }, { u"protocol"_s, 1 }, { u"seq"_s, 0 } };
}

QJsonObject snapshot(const QJsonArray &incidents = {})
{
    return { { u"type"_s, u"snapshot"_s }, { u"incidents"_s, incidents }, { u"proposals"_s, QJsonArray() },
        { u"breakers"_s, QJsonArray() }, { u"feeds"_s, QJsonArray() } };
}

QJsonObject eventMessage(qint64 seq, const QString &kind = u"detected"_s)
{
    return { { u"type"_s, u"event"_s }, { u"seq"_s, seq }, { u"at"_s, toMillis(samples::at(seq)) }, { u"kind"_s, kind },
        { u"incident"_s, u"INC-1"_s }, { u"detail"_s, u"event %1"_s.arg(seq) }, { u"data"_s, QJsonObject() } };
}

// The console as `antibody --server URL` builds it, against a scripted server.
struct Console
{
    explicit Console(const QString &url, const QString &caFile = {}, qint64 maxMessageBytes = 32 * 1024 * 1024)
    {
        QString error;
        const auto address = ServerAddress::parse(url, caFile, &error);
        if (!address)
            qFatal("%s", qPrintable(error));
        ServerLink::Options options;
        options.address = *address;
        options.name = u"dana"_s;
        options.heartbeat = 300ms;
        options.maxMessageBytes = maxMessageBytes;
        link = std::make_unique<ServerLink>(&models, options);
        window = std::make_unique<MainWindow>(&models, link.get(), link.get());
        window->show();
        link->start();
    }

    ConnectionState state() const { return link->connection(); }
    QString banner() const
    {
        return window->connectionBanner()->isVisible() ? window->connectionBanner()->text() : QString();
    }

    ConsoleModels models;
    std::unique_ptr<ServerLink> link;
    std::unique_ptr<MainWindow> window;
};

using Phase = ConnectionState::Phase;

} // namespace

class TestServerLink : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void backoffDoublesToThirtySeconds()
    {
        ReconnectBackoff backoff;
        QList<qint64> waits;
        for (int i = 0; i < 8; ++i)
            waits << backoff.next().count();
        QCOMPARE(waits, (QList<qint64> { 1'000, 2'000, 4'000, 8'000, 16'000, 30'000, 30'000, 30'000 }));
        backoff.reset();
        QCOMPARE(backoff.next().count(), 1'000);
    }

    void badAddressesSayWhatToGive_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("caFile");
        QTest::addColumn<QString>("says");
        QTest::addRow("not a URL") << u"ops box"_s << QString() << u"is not a URL"_s;
        QTest::addRow("https") << u"https://ops.example:8443"_s << QString() << u"starts with wss://"_s;
        QTest::addRow("clear text over a network") << u"ws://10.1.2.3:8443"_s << QString() << u"clear text"_s;
        QTest::addRow("no such CA file") << u"wss://ops.example"_s << u"/nonexistent/ca.pem"_s << u"cannot read"_s;
        QTest::addRow("CA file without a certificate")
            << u"wss://ops.example"_s << QFINDTESTDATA("tst_serverlink.cpp") << u"holds no PEM certificate"_s;
    }

    void badAddressesSayWhatToGive()
    {
        QFETCH(QString, url);
        QFETCH(QString, caFile);
        QFETCH(QString, says);
        QString error;
        QVERIFY(!ServerAddress::parse(url, caFile, &error));
        QVERIFY2(error.contains(says), qPrintable(error));
    }

    void theServersDefaultPortAndLoopbackClearText()
    {
        QString error;
        const auto tls = ServerAddress::parse(u"wss://ops.example"_s, {}, &error);
        QVERIFY2(tls, qPrintable(error));
        QCOMPARE(tls->url.port(), ServerAddress::defaultPort);
        QVERIFY(tls->tls);
        QCOMPARE(tls->tls->peerVerifyMode(), QSslSocket::VerifyPeer);
        const auto local = ServerAddress::parse(u"ws://127.0.0.1:9000"_s, {}, &error);
        QVERIFY2(local, qPrintable(error));
        QVERIFY(!local->tls);
    }

    // Garbage, a binary frame, records with states this console does not know, an event
    // of an unknown kind: each skipped and said in the banner, the rest shown.
    void aHostileServerIsSurvivedAndNamed()
    {
        ScriptedServer server([](QWebSocket &socket, const QJsonObject &) {
            QJsonObject good = RecordJson::incident(samples::incident(u"INC-1"_s, u"checkout-svc"_s));
            QJsonObject odd = RecordJson::incident(samples::incident(u"INC-2"_s, u"checkout-svc"_s));
            odd.insert(u"state"_s, u"haunted"_s);
            socket.sendTextMessage(text(welcome()));
            socket.sendTextMessage(text(snapshot(QJsonArray { good, odd, QJsonValue(42) })));
            socket.sendTextMessage(u"{\"type\": \"event\", \"seq\": "_s);
            socket.sendBinaryMessage(QByteArray(1000, '\xff'));
            socket.sendTextMessage(text(QJsonObject { { u"type"_s, u"proposal"_s }, { u"proposal"_s, u"nope"_s } }));
            socket.sendTextMessage(text(eventMessage(5, u"exploded"_s)));
            socket.sendTextMessage(text(eventMessage(6)));
            socket.sendTextMessage(text(eventMessage(6))); // a double: shown once
        });
        Console console(server.url());
        QTRY_COMPARE(console.state().phase, Phase::Connected);
        QTRY_COMPARE(console.link->feed().lastSeq(), qint64(6));
        console.models.flush();
        QVERIFY(console.models.incidents()->incident(u"INC-1"_s));
        QVERIFY(!console.models.incidents()->incident(u"INC-2"_s));
        QCOMPARE(console.models.events()->rowCount(), 1);
        QCOMPARE(console.link->feed().skipped(), 6);
        QTRY_VERIFY(!console.banner().isEmpty());
        QVERIFY2(console.banner().contains(u"cannot read"_s), qPrintable(console.banner()));
        QVERIFY2(console.banner().contains(u"Skipped 6 messages"_s), qPrintable(console.banner()));
        QVERIFY2(console.state().problem.contains(u"unknown kind 'exploded'"_s), qPrintable(console.state().problem));
        QVERIFY(console.window->isVisible());
    }

    // A frame over the console's limit closes the connection, says so, and the link tries again.
    void aHugeFrameIsRefusedWithTheReason()
    {
        ScriptedServer server([](QWebSocket &socket, const QJsonObject &) {
            socket.sendTextMessage(text(welcome()));
            socket.sendTextMessage(text(snapshot()));
            socket.sendTextMessage(QString(2 * 1024 * 1024, u'x'));
        });
        Console console(server.url(), {}, 1024 * 1024);
        QTRY_COMPARE(console.state().phase, Phase::Reconnecting);
        QVERIFY2(console.state().reason.contains(u"limit of 1 MiB"_s), qPrintable(console.state().reason));
        QTRY_VERIFY(console.banner().contains(u"limit of 1 MiB"_s));
        QTRY_VERIFY(server.hellos.size() >= 2); // it tries again after a second
    }

    // A server that accepts and then says nothing: the connection is dead after two
    // heartbeats, and the next hello asks for the events after the last one seen.
    void silenceIsADeadConnectionAndResumeAsksForTheRest()
    {
        ScriptedServer server([](QWebSocket &socket, const QJsonObject &hello) {
            socket.sendTextMessage(text(welcome()));
            socket.sendTextMessage(text(snapshot()));
            if (!hello.contains(u"after"_s)) {
                socket.sendTextMessage(text(eventMessage(3)));
                socket.sendTextMessage(text(eventMessage(7)));
            } // then silence: no heartbeat
        });
        Console console(server.url());
        QTRY_COMPARE(console.state().phase, Phase::Connected);
        QTRY_COMPARE(console.state().phase, Phase::Reconnecting);
        QVERIFY2(console.state().reason.contains(u"no heartbeat"_s), qPrintable(console.state().reason));
        QVERIFY(!console.window->findChild<QPushButton *>(u"approveButton"_s)->isEnabled());
        QTRY_VERIFY(server.hellos.size() >= 2);
        // First the recent past, bounded; back, exactly what came after the last event seen.
        QVERIFY(!server.hellos.first().contains(u"after"_s));
        QCOMPARE(server.hellos.first().value(u"recent"_s).toInteger(), 2'000);
        QCOMPARE(server.hellos.at(1).value(u"after"_s).toInteger(), 7);
        QVERIFY(!server.hellos.at(1).contains(u"recent"_s));
        QCOMPARE(server.hellos.at(1).value(u"name"_s).toString(), u"dana"_s);
    }

    // A server that stands by says so in welcome: the console decides nothing there,
    // names the leader, and decides again when a `role` message says the server leads.
    void aStandbyIsNamedAndDecidesNothing()
    {
        QPointer<QWebSocket> client;
        ScriptedServer server([&client](QWebSocket &socket, const QJsonObject &) {
            QJsonObject standby = welcome();
            standby.insert(u"leading"_s, false);
            standby.insert(u"leader"_s, u"antibody-server bob@db2 (pid 4711)"_s);
            socket.sendTextMessage(text(standby));
            socket.sendTextMessage(text(snapshot()));
            client = &socket;
        });
        Console console(server.url());
        QTRY_COMPARE(console.state().phase, Phase::Connected);
        QVERIFY(console.state().standingBy);
        QCOMPARE(console.state().leader, u"antibody-server bob@db2 (pid 4711)"_s);
        QVERIFY(console.state().reachable());
        QVERIFY(!console.state().canDecide());
        QCOMPARE(ConnectionNotice::approvalLabel(console.state()), u"Standing by"_s);
        const QString why = ConnectionNotice::approvalBlock(console.state());
        QVERIFY2(why.contains(u"stands by; the leader is antibody-server bob@db2 (pid 4711)"_s), qPrintable(why));
        QTRY_VERIFY(console.banner().contains(u"stands by"_s));

        client->sendTextMessage(
            text(QJsonObject { { u"type"_s, u"role"_s }, { u"leading"_s, true }, { u"epoch"_s, 3 } }));
        QTRY_VERIFY(console.state().canDecide()); // it leads now
        QVERIFY(console.state().leader.isEmpty());
        QTRY_VERIFY(console.banner().isEmpty());
    }

    // A decision sent while the link is down is refused at once, with the reason.
    void noDecisionWhileDisconnected()
    {
        ScriptedServer server([](QWebSocket &socket, const QJsonObject &) { socket.close(); });
        Console console(server.url());
        QTRY_COMPARE(console.state().phase, Phase::Reconnecting);
        QCOMPARE(console.state().reason, u"the server closed the connection"_s);
        QSignalSpy answers(console.link.get(), &EngineCommands::answered);
        console.link->approve(u"P-1"_s, u"abc"_s);
        QCOMPARE(answers.size(), 1);
        QCOMPARE(answers.first().at(1).toBool(), false);
        QVERIFY2(answers.first().at(2).toString().contains(u"Disconnected from the team server"_s),
            qPrintable(answers.first().at(2).toString()));
    }

    // The charts read the server's metric source: one `query_range` a query, by a
    // metric's name and labels (never PromQL), and the window ends at the server's now.
    // A refusal reaches the chart with its reason; a chart still waiting asks nothing
    // more; a dropped link answers what waits, with why.
    void chartsReadTheServersMetrics()
    {
        constexpr qint64 serverNow = 1'800'000'000'000;
        QList<QJsonObject> asked;
        bool answering = true;
        QPointer<QWebSocket> client;
        ScriptedServer server([](QWebSocket &socket, const QJsonObject &) {
            socket.sendTextMessage(text(welcome()));
            socket.sendTextMessage(text(snapshot()));
        });
        server.commands = [&](QWebSocket &socket, const QJsonObject &command) {
            asked << command;
            client = &socket;
            if (!answering)
                return;
            QJsonObject reply { { u"type"_s, u"reply"_s }, { u"request"_s, command.value(u"request"_s) } };
            if (command.value(u"metric"_s) == u"no_such_metric"_s) {
                reply.insert(u"ok"_s, false);
                reply.insert(u"reason"_s, u"no chart of this server reads 'no_such_metric'"_s);
            } else {
                reply.insert(u"ok"_s, true);
                reply.insert(u"to"_s, serverNow);
                reply.insert(u"series"_s,
                    QJsonArray { QJsonObject { { u"labels"_s, QJsonObject { { u"service"_s, u"orders-db"_s } } },
                        { u"points"_s,
                            QJsonArray { QJsonArray { serverNow - 5'000, 0.5 }, QJsonArray { serverNow, 0.75 } } } } });
            }
            socket.sendTextMessage(text(reply));
        };
        Console console(server.url());
        QTRY_COMPARE(console.state().phase, Phase::Connected);

        const MetricQuery pool = MetricQuery::selecting(
            u"service:pg_connection_utilization:ratio"_s, Labels { { u"service"_s, u"orders-db"_s } });
        const QList<MetricQuery> queries { pool, MetricQuery::selecting(u"no_such_metric"_s, {}),
            MetricQuery { u"sum(rate(http_requests_total[5m]))"_s, {} } };
        std::optional<MetricReader::Window> got;
        const auto read = [&] {
            console.link->readWindow(queries, Duration { 60'000 }, Duration { 5'000 }, console.window.get(),
                [&](const MetricReader::Window &w) { got = w; });
        };
        read();
        QVERIFY(!got); // never inside the call
        QTRY_VERIFY(got);
        QCOMPARE(asked.size(), 2); // the PromQL expression was never sent
        QCOMPARE(asked.first().value(u"type"_s).toString(), u"query_range"_s);
        QCOMPARE(asked.first().value(u"metric"_s).toString(), u"service:pg_connection_utilization:ratio"_s);
        QCOMPARE(asked.first().value(u"labels"_s).toObject(), (QJsonObject { { u"service"_s, u"orders-db"_s } }));
        QCOMPARE(asked.first().value(u"span_ms"_s).toInteger(), 60'000);
        QCOMPARE(asked.first().value(u"step_ms"_s).toInteger(), 5'000);
        QCOMPARE(got->now, fromMillis(serverNow)); // the server's clock, not the console's guess
        QCOMPARE(got->results.size(), 3);
        QVERIFY2(got->results.at(0).ok, qPrintable(got->results.at(0).error));
        QCOMPARE(got->results.at(0).series.size(), 1);
        QCOMPARE(got->results.at(0).series.first().labels.value(u"service"_s), u"orders-db"_s);
        QCOMPARE(got->results.at(0).series.first().points.last(), std::pair(fromMillis(serverNow), 0.75));
        QVERIFY(!got->results.at(1).ok);
        QVERIFY2(got->results.at(1).error.contains(u"no chart of this server reads"_s),
            qPrintable(got->results.at(1).error));
        QVERIFY(!got->results.at(2).ok);
        QVERIFY2(got->results.at(2).error.contains(u"name and labels"_s), qPrintable(got->results.at(2).error));

        // The server is slow: the chart's next ticks ask nothing until it answers.
        answering = false;
        got.reset();
        read();
        QTRY_COMPARE(asked.size(), 4);
        read();
        read();
        QTest::qWait(200);
        QCOMPARE(asked.size(), 4);
        QVERIFY(!got);
        // The link drops: what waited is answered, with the reason.
        client->close();
        QTRY_VERIFY(got);
        QVERIFY(!got->results.at(0).ok);
        QVERIFY2(got->results.at(0).error.contains(u"dropped"_s), qPrintable(got->results.at(0).error));
        // And while it is down, a chart hears so at once rather than waiting.
        got.reset();
        read();
        QTRY_VERIFY(got);
        QVERIFY2(got->results.at(0).error.contains(u"not connected"_s), qPrintable(got->results.at(0).error));
    }

    // TLS is verified: a certificate nobody trusts is a clear error in the banner, and no hello is ever sent.
    void anUntrustedCertificateIsNamedNeverIgnored()
    {
        SelfSignedCertificate certificate;
        QVERIFY2(certificate.ok(), qPrintable(certificate.error));
        ScriptedServer server(
            [](QWebSocket &socket, const QJsonObject &) { socket.sendTextMessage(text(welcome())); }, &certificate);
        Console stranger(server.url());
        QTRY_COMPARE(stranger.state().phase, Phase::Reconnecting);
        QVERIFY2(stranger.state().reason.contains(u"not trusted"_s), qPrintable(stranger.state().reason));
        QVERIFY2(stranger.state().reason.contains(u"--ca-file"_s), qPrintable(stranger.state().reason));
        QTRY_VERIFY(stranger.banner().contains(u"not trusted"_s));
        QTest::qWait(1'500); // and again after the first retry
        QVERIFY(server.hellos.isEmpty());

        Console trusting(server.url(), certificate.certFile());
        QTRY_VERIFY(!server.hellos.isEmpty());
    }

    // A refused hello (no token, or one the server will not take) is not tried again:
    // the link waits, the banner says what to do, and Approve says why it cannot. A token
    // given then goes in the next hello, at once; the welcome's subject is who the console
    // is from then on, whatever --name said, and the presence list leaves that person out.
    void aRefusedHelloWaitsForASignInAndTheSubjectIsWhoYouAre()
    {
        ScriptedServer server([](QWebSocket &socket, const QJsonObject &hello) {
            if (hello.value(u"token"_s).toString() != u"abt_good"_s) {
                socket.sendTextMessage(text({ { u"type"_s, u"refused"_s },
                    { u"reason"_s, u"this server requires a token (server.require_tokens): ask an admin"_s } }));
                socket.close(QWebSocketProtocol::CloseCodePolicyViolated, u"this server requires a token"_s);
                return;
            }
            QJsonObject welcomed = welcome();
            welcomed.insert(u"subject"_s, u"alice"_s);
            socket.sendTextMessage(text(welcomed));
            socket.sendTextMessage(
                text(snapshot(QJsonArray { RecordJson::incident(samples::incident(u"INC-1"_s, u"checkout-svc"_s)) })));
            socket.sendTextMessage(text({ { u"type"_s, u"presence"_s },
                { u"incidents"_s, QJsonObject { { u"INC-1"_s, QJsonArray { u"alice"_s, u"bob"_s } } } } }));
        });
        Console console(server.url());
        QSignalSpy refused(console.link.get(), &ServerLink::refused);
        QTRY_COMPARE(refused.size(), 1);
        QCOMPARE(
            refused.at(0).at(0).toString(), u"this server requires a token (server.require_tokens): ask an admin"_s);
        QCOMPARE(console.state().phase, Phase::SignInNeeded);
        QVERIFY(!server.hellos.first().contains(u"token"_s)); // none given: none sent
        QVERIFY2(console.banner().contains(u"Not signed in to the team server"_s), qPrintable(console.banner()));
        QCOMPARE(ConnectionNotice::approvalLabel(console.state()), u"Not signed in"_s);
        QVERIFY(ConnectionNotice::approvalBlock(console.state()).contains(u"Sign in (Ctrl+Shift+I)"_s));
        // Nothing scheduled, and over longer than the first retry (1 s): still one hello.
        QTRY_VERIFY(!console.link->tryingToConnect());
        QTest::qWait(1'500);
        QCOMPARE(server.hellos.size(), 1);
        QCOMPARE(refused.size(), 1);

        console.link->setToken(u"abt_good"_s);
        QSignalSpy admitted(console.link.get(), &ServerLink::admitted);
        console.link->signIn();
        QTRY_COMPARE(console.state().phase, Phase::Connected);
        QCOMPARE(server.hellos.size(), 2);
        QCOMPARE(server.hellos.last().value(u"token"_s).toString(), u"abt_good"_s);
        QCOMPARE(server.hellos.last().value(u"name"_s).toString(), u"dana"_s);
        QCOMPARE(admitted.size(), 1);
        QCOMPARE(admitted.at(0).at(0).toString(), u"alice"_s);
        QCOMPARE(console.link->approver(), u"alice"_s);
        console.models.flush();
        QTRY_COMPARE(console.models.viewersOf(u"INC-1"_s), QStringList { u"bob"_s });

        // Signed out: disconnected, the token gone from the next hello, nothing retried.
        console.link->signOut(u"you signed out"_s);
        QCOMPARE(console.state().phase, Phase::SignInNeeded);
        QCOMPARE(console.state().reason, u"you signed out"_s);
        QCOMPARE(console.link->approver(), u"dana"_s);
        QTest::qWait(1'500);
        QCOMPARE(server.hellos.size(), 2);
        console.link->signIn();
        QTRY_COMPARE(server.hellos.size(), 3);
        QVERIFY(!server.hellos.last().contains(u"token"_s));
        QTRY_COMPARE(console.state().phase, Phase::SignInNeeded);
    }
};

QTEST_MAIN(TestServerLink)
#include "tst_serverlink.moc"

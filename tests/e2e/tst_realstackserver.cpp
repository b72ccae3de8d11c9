// antibody-server end to end on the real stack (label realstack): the built server as a
// child with the stack's configuration and a throwaway certificate, the stack's
// Alertmanager sending its webhook to it, `antibodyctl watch --server` as the connected
// client, the pool exhausted: the proposal reaches the client, the webhook counter in
// /metrics goes up, `antibodyctl approve --server` with the fingerprint of the plan read
// releases the pool within the runbook's cap per cycle, SIGHUP reloads the runbooks and
// SIGTERM stops the server with status 0.
#include "realstackrun.h"
#include "tests/support/jsonlines.h"
#include "tests/support/selfsignedcertificate.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <csignal>
#include <sys/types.h>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace antibody::test;

namespace {

QByteArray httpText(const QUrl &url)
{
    QNetworkAccessManager manager;
    QNetworkRequest request(url);
    request.setTransferTimeout(5'000);
    std::unique_ptr<QNetworkReply> reply(manager.get(request));
    QEventLoop loop;
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    return reply->readAll();
}

// antibody_alertmanager_webhooks_total{result="accepted"}; 0 before the first one.
int acceptedWebhooks(quint16 httpPort)
{
    static const QRegularExpression line(u"antibody_alertmanager_webhooks_total\\{result=\"accepted\"\\} (\\d+)"_s);
    const QString metrics = QString::fromUtf8(httpText(QUrl(u"http://127.0.0.1:%1/metrics"_s.arg(httpPort))));
    return line.match(metrics).captured(1).toInt();
}

// A child whose stderr the test reads while it runs.
struct Child
{
    QProcess process;
    QByteArray err;
    QString errors()
    {
        err += process.readAllStandardError();
        return QString::fromUtf8(err);
    }
    ~Child()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(10'000);
        }
    }
};

} // namespace

class TestRealStackServer : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    SelfSignedCertificate m_certificate;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_certificate.ok(), qPrintable(m_certificate.error));
        waitForQuietStack();
    }

    void cleanupTestCase()
    {
        // The other realstack suites find the stack as the fixture made it.
        QString log;
        QVERIFY2(RealStack::run({ u"webhook"_s, u"none"_s }, &log), qPrintable(log));
        QVERIFY2(RealStack::run({ u"release"_s }, &log), qPrintable(log));
    }

    void poolExhaustionThroughTheServer()
    {
        const QString config = m_dir.filePath(u"team.yaml"_s);
        {
            QFile f(config);
            QVERIFY(f.open(QIODevice::WriteOnly));
            // The stack's runbook, opened by the alert Alertmanager pushes to the webhook.
            const QString runbooks = RealStack::poolRunbook(m_dir.filePath(u"runbooks"_s), { u"--alert"_s });
            f.write(RealStack::configuration(runbooks,
                u"server:\n"
                "  listen: \"127.0.0.1:0\"\n"
                "  certificate: \"%1\"\n"
                "  private_key: \"%2\"\n"
                "  http_listen: \"127.0.0.1:0\"\n"
                "  heartbeat: 2s\n"_s.arg(m_certificate.certFile(), m_certificate.keyFile())
                    .toUtf8()));
        }

        Child server;
        server.process.setProcessEnvironment(cli::isolatedEnvironment(m_dir.path()));
        server.process.start(
            QStringLiteral(ANTIBODY_SERVER), { u"--config"_s, config, u"--data-dir"_s, m_dir.filePath(u"data"_s) });
        QTRY_VERIFY2_WITH_TIMEOUT(server.errors().contains(u"antibody-server: clients wss://"_s)
                || server.process.state() == QProcess::NotRunning,
            qPrintable(server.errors()), 30'000);
        QVERIFY2(server.process.state() == QProcess::Running, qPrintable(server.errors()));
        // Any free ports (a port probed free and then asked for may be taken meanwhile by
        // another suite): the start-up line names the ones it got.
        static const QRegularExpression listening(u"clients (wss://\\S+), HTTP port (\\d+)"_s);
        const QRegularExpressionMatch ports = listening.match(server.errors());
        QVERIFY2(ports.hasMatch(), qPrintable(server.errors()));
        const QString url = ports.captured(1);
        const quint16 httpPort = static_cast<quint16>(ports.captured(2).toUInt());
        QString log;
        const QString webhook = u"http://127.0.0.1:%1/v1/alertmanager"_s.arg(httpPort);
        QVERIFY2(RealStack::run({ u"webhook"_s, webhook }, &log), qPrintable(log));
        const QStringList trusted { u"--server"_s, url, u"--ca-file"_s, m_certificate.certFile() };

        QProcess watchChild;
        watchChild.setProcessEnvironment(cli::isolatedEnvironment(m_dir.path()));
        watchChild.start(QStringLiteral(ANTIBODYCTL), QStringList { u"watch"_s, u"--json"_s } + trusted);
        JsonLines watch(watchChild);
        QTRY_VERIFY2_WITH_TIMEOUT(!watch.ofType(u"snapshot"_s).isEmpty(), qPrintable(watch.err()), 20'000);
        const int webhooksBefore = acceptedWebhooks(httpPort);

        QVERIFY2(RealStack::run({ u"exhaust"_s }, &log), qPrintable(log));
        const QStringList idleBefore = idleAppConnectionsOldestFirst();
        const int appBefore = appConnections();
        QVERIFY2(idleBefore.size() >= 8, qPrintable(log));

        // The proposal reaches the connected client, in approve mode; Alertmanager pushed.
        const auto proposed = [&] {
            for (const QJsonObject &e : watch.ofType(u"event"_s)) {
                if (e.value(u"kind"_s) == u"proposed"_s
                    && e.value(u"data"_s).toObject().value(u"runbook"_s) == runbookName)
                    return e;
            }
            return QJsonObject();
        };
        QTRY_VERIFY2_WITH_TIMEOUT(!proposed().isEmpty(), qPrintable(watch.err() + server.errors()), 60'000);
        const QString incident = proposed().value(u"incident"_s).toString();
        QCOMPARE(proposed().value(u"data"_s).toObject().value(u"mode"_s).toString(), u"approve"_s);
        QTRY_VERIFY_WITH_TIMEOUT(acceptedWebhooks(httpPort) > webhooksBefore, 30'000);

        // The person reads the plan the server holds now, and approves exactly it.
        const CliRun listed = antibodyctl(QStringList { u"incidents"_s, u"--json"_s } + trusted, m_dir.path());
        QVERIFY2(listed.exitCode == 0, qPrintable(listed.err));
        QString fingerprint;
        for (const QJsonValue &v : listed.json().value(u"incidents"_s).toArray()) {
            if (v.toObject().value(u"id"_s).toString() == incident)
                fingerprint = v.toObject().value(u"waiting_proposal"_s).toObject().value(u"fingerprint"_s).toString();
        }
        QVERIFY2(!fingerprint.isEmpty(), qPrintable(listed.out));
        const CliRun approved = antibodyctl(
            QStringList { u"approve"_s, incident, u"--name"_s, u"oncall"_s, u"--fingerprint"_s, fingerprint } + trusted,
            m_dir.path());
        QVERIFY2(approved.exitCode == 0, qPrintable(approved.err + approved.out));

        const auto ofIncident = [&](const QString &kind) {
            QList<QJsonObject> out;
            for (const QJsonObject &e : watch.ofType(u"event"_s)) {
                if (e.value(u"kind"_s) == kind && e.value(u"incident"_s) == incident)
                    out << e;
            }
            return out;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(!ofIncident(u"resolved"_s).isEmpty() || !ofIncident(u"escalated"_s).isEmpty(),
            qPrintable(watch.err() + server.errors()), 90'000);
        QVERIFY2(!ofIncident(u"resolved"_s).isEmpty(), qPrintable(server.errors()));
        QVERIFY2(ofIncident(u"approved"_s).value(0).value(u"detail"_s).toString().contains(u"oncall"_s),
            "the approval names the person");

        // Each pass within its cap; together they took the oldest idle connections and nothing else.
        QStringList terminated;
        for (const QJsonObject &e : ofIncident(u"step_started"_s)) {
            const QJsonObject d = e.value(u"data"_s).toObject();
            if (d.value(u"step"_s).toString() != u"kill_idle"_s)
                continue;
            const int affected = d.value(u"affected"_s).toInt();
            QVERIFY2(
                affected >= 1 && affected <= d.value(u"cap"_s).toInt(), qPrintable(e.value(u"detail"_s).toString()));
            QCOMPARE(d.value(u"cap"_s).toInt(), std::max(1, int(std::floor(d.value(u"total"_s).toInt() * 0.15))));
            for (const QJsonValue &target : d.value(u"targets"_s).toArray())
                terminated << target.toString();
        }
        QVERIFY2(!terminated.isEmpty(), qPrintable(server.errors()));
        QCOMPARE(terminated, idleBefore.mid(0, terminated.size()));
        QCOMPARE(appConnections(), appBefore - int(terminated.size()));
        QTRY_VERIFY_WITH_TIMEOUT(utilization() < 0.7, 30'000);

        // Every event the client printed came once, in order.
        const QList<qint64> seqs = watch.eventSeqs();
        for (qsizetype i = 1; i < seqs.size(); ++i)
            QVERIFY(seqs.at(i) > seqs.at(i - 1));

        ::kill(static_cast<pid_t>(server.process.processId()), SIGHUP);
        QTRY_VERIFY2_WITH_TIMEOUT(server.errors().contains(u"antibody-server: SIGHUP: 1 runbooks loaded"_s),
            qPrintable(server.errors()), 10'000);
        QVERIFY(server.process.state() == QProcess::Running);

        watchChild.terminate();
        QVERIFY(watchChild.waitForFinished(10'000));
        QCOMPARE(watchChild.exitCode(), 0);
        server.process.terminate();
        QVERIFY(server.process.waitForFinished(30'000));
        QCOMPARE(server.process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(server.process.exitCode() == 0, qPrintable(server.errors()));
        QVERIFY2(server.errors().contains(u"SIGTERM: stopping"_s), qPrintable(server.errors()));

        // The store the server wrote verifies.
        const CliRun verify
            = antibodyctl({ u"audit"_s, u"verify"_s, u"--data-dir"_s, m_dir.filePath(u"data"_s) }, m_dir.path());
        QVERIFY2(verify.exitCode == 0, qPrintable(verify.out + verify.err));
    }
};

QTEST_GUILESS_MAIN(TestRealStackServer)
#include "tst_realstackserver.moc"

// `antibodyctl simulate` as a user runs it: the JSON the issue specifies, a
// timeline a person can read, the options, and errors that say what to do.
#include "engine/store/sqlitestore.h"
#include "tests/support/clirun.h"
#include "tests/support/selfsignedcertificate.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using antibody::cli::antibodyctl;
using antibody::cli::Run;

namespace {

const QStringList pipelineKinds { u"detected"_s, u"diagnosed"_s, u"proposed"_s, u"approval_requested"_s, u"approved"_s,
    u"denied"_s, u"approval_refused"_s, u"step_started"_s, u"step_finished"_s, u"step_skipped"_s,
    u"guardrail_blocked"_s, u"breaker_opened"_s, u"breaker_half_open"_s, u"breaker_closed"_s, u"breaker_reset"_s,
    u"cooldown_started"_s, u"paged"_s, u"notified"_s, u"resolved"_s, u"escalated"_s, u"interrupted"_s, u"cancelled"_s,
    u"state_changed"_s, u"feed_changed"_s, u"runbook_loaded"_s, u"runbook_rejected"_s, u"late_result"_s };

// One request over HTTPS to a server whose certificate is `ca`, answered within 10 s.
struct Answer
{
    int status = 0; // 0: no HTTP answer
    QJsonObject body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
};
Answer request(const QByteArray &method, const QUrl &url, const QByteArray &token, const QList<QSslCertificate> &ca,
    const QByteArray &contentType = {}, const QByteArray &body = {})
{
    QNetworkAccessManager manager;
    QNetworkRequest r(url);
    r.setTransferTimeout(10'000);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(ca);
    r.setSslConfiguration(tls);
    if (!token.isEmpty())
        r.setRawHeader("Authorization", "Bearer " + token);
    if (!contentType.isEmpty())
        r.setRawHeader("Content-Type", contentType);
    QNetworkReply *reply = manager.sendCustomRequest(r, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    Answer a { reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
        QJsonDocument::fromJson(reply->readAll()).object(), reply->error() };
    reply->deleteLater();
    return a;
}

} // namespace

class TestSimulate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonHasTheShapeTheIssueSpecifies()
    {
        const Run r = antibodyctl({ u"simulate"_s, u"--scenario"_s, u"connection-pool-exhaustion"_s, u"--json"_s });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = r.json();
        QCOMPARE(o.value(u"scenario"_s).toString(), u"connection-pool-exhaustion"_s);
        QCOMPARE(o.value(u"outcome"_s).toString(), u"resolved"_s);
        QVERIFY(o.value(u"mttr_seconds"_s).isDouble());
        QVERIFY(o.value(u"mttr_seconds"_s).toDouble() > 0 && o.value(u"mttr_seconds"_s).toDouble() < 45);

        const QJsonArray events = o.value(u"events"_s).toArray();
        QVERIFY(events.size() > 10);
        double last = 0;
        QStringList kinds;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            QVERIFY(e.value(u"t"_s).isDouble());
            QVERIFY(e.value(u"t"_s).toDouble() >= last); // simulated seconds, in order
            last = e.value(u"t"_s).toDouble();
            QVERIFY2(pipelineKinds.contains(e.value(u"kind"_s).toString()), qPrintable(e.value(u"kind"_s).toString()));
            QVERIFY(e.value(u"detail"_s).isString());
            kinds << e.value(u"kind"_s).toString();
        }
        for (const QString &kind :
            { u"detected"_s, u"diagnosed"_s, u"proposed"_s, u"step_started"_s, u"step_finished"_s, u"resolved"_s })
            QVERIFY2(kinds.contains(kind), qPrintable(kind));

        const QJsonObject proposal = o.value(u"proposals"_s).toArray().first().toObject();
        QCOMPARE(proposal.value(u"runbook"_s).toString(), u"connection-pool-exhaustion"_s);
        QVERIFY(QRegularExpression(u"^[0-9a-f]{64}$"_s).match(proposal.value(u"fingerprint"_s).toString()).hasMatch());
        QCOMPARE(proposal.value(u"mode"_s).toString(), u"auto"_s);
        const QJsonObject radius = proposal.value(u"blast_radius"_s).toArray().first().toObject();
        QCOMPARE(radius.value(u"step"_s).toString(), u"kill_idle"_s);
        QCOMPARE(radius.value(u"affected"_s).toInt(), 2);
        QCOMPARE(radius.value(u"fleet_size"_s).toInt(), 19);
        QCOMPARE(radius.value(u"cap_count"_s).toInt(), 2);
        QCOMPARE(radius.value(u"cycles"_s).toInt(), 4);
        const QJsonArray guardrails = proposal.value(u"guardrails"_s).toArray();
        QVERIFY(!guardrails.isEmpty());
        for (const QJsonValue &v : guardrails) {
            const QJsonObject g = v.toObject();
            QVERIFY(!g.value(u"name"_s).toString().isEmpty());
            QVERIFY(g.value(u"pass"_s).isBool());
            QVERIFY(!g.value(u"reason"_s).toString().isEmpty());
        }
        QCOMPARE(o.value(u"actions_executed"_s).toObject().value(u"terminate_connections"_s).toInt(), 3);
    }

    void theTimelineReadsLikeATimeline()
    {
        const Run r = antibodyctl({ u"simulate"_s, u"--scenario"_s, u"connection-pool-exhaustion"_s });
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(u'\n');
        QVERIFY(lines.first().startsWith(u"Scenario connection-pool-exhaustion (seed 4711): "_s));
        QVERIFY(r.out.contains(u"Starts 2026-11-27T14:00:00.000Z, runs 10m of simulated time"_s));
        const QRegularExpression entry(u"^ +\\+(\\d+):(\\d\\d)  (\\w+) +(INC-\\w+)? +\\S"_s);
        int entries = 0;
        int last = 0;
        for (const QString &line : lines) {
            const auto m = entry.match(line);
            if (!m.hasMatch())
                continue;
            ++entries;
            const int t = m.captured(1).toInt() * 60 + m.captured(2).toInt();
            QVERIFY(t >= last);
            last = t;
        }
        QVERIFY(entries > 8);
        QVERIFY(r.out.contains(u"fault "_s));
        QVERIFY(r.out.contains(u"Outcome: resolved in "_s));
        QVERIFY(r.out.contains(u"As a good run does: resolved within 45s."_s));
        QVERIFY(r.out.contains(u"Actions: query_metrics 1, terminate_connections 3, wait_for_metric 1."_s));
        QVERIFY(r.out.contains(u"Paged: nobody."_s));
        QVERIFY(!r.out.contains(u"runbook_loaded"_s)); // the JSON keeps them; a person does not need them
    }

    void optionsChangeTheRun_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("outcome");
        QTest::addColumn<QString>("kind");
        QTest::addRow("approvals left pending") << QStringList { u"--scenario"_s, u"region-degraded"_s, u"--approve"_s,
            u"none"_s } << u"unresolved"_s << u"approval_requested"_s;
        QTest::addRow("approvals denied") << QStringList { u"--scenario"_s, u"region-degraded"_s, u"--approve=deny"_s }
                                          << u"escalated"_s << u"denied"_s;
        QTest::addRow("level 0: shown, nothing proposed")
            << QStringList { u"--scenario"_s, u"connection-pool-exhaustion"_s, u"--level"_s, u"0"_s } << u"unresolved"_s
            << u"detected"_s;
        QTest::addRow("level 2: one click")
            << QStringList { u"--scenario"_s, u"connection-pool-exhaustion"_s, u"--level"_s, u"2"_s } << u"resolved"_s
            << u"approved"_s;
    }
    void optionsChangeTheRun()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, outcome);
        QFETCH(QString, kind);
        const Run r = antibodyctl(QStringList { u"simulate"_s, u"--json"_s } + args);
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = r.json();
        QCOMPARE(o.value(u"outcome"_s).toString(), outcome);
        QCOMPARE(o.value(u"mttr_seconds"_s).isNull(), outcome != u"resolved");
        bool seen = false;
        for (const QJsonValue &v : o.value(u"events"_s).toArray())
            seen |= v.toObject().value(u"kind"_s).toString() == kind;
        QVERIFY(seen);
    }

    void theSameSeedRepeatsAnotherDiffers()
    {
        const QStringList args { u"simulate"_s, u"--scenario"_s, u"checkout-cpu-saturation"_s, u"--json"_s };
        const Run a = antibodyctl(args + QStringList { u"--seed"_s, u"5"_s });
        const Run b = antibodyctl(args + QStringList { u"--seed"_s, u"5"_s });
        const Run c = antibodyctl(args + QStringList { u"--seed"_s, u"6"_s });
        QCOMPARE(a.exitCode, 0);
        QCOMPARE(a.json().value(u"seed"_s).toString(), u"5"_s);
        QCOMPARE(a.out, b.out);
        QVERIFY(a.json().value(u"events"_s) != c.json().value(u"events"_s));
    }

    void errorsExitOneAndSayWhatToDo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::addRow("no scenario") << QStringList {}
                                     << u"--scenario is required: `antibodyctl scenarios` lists them"_s;
        QTest::addRow("unknown scenario") << QStringList { u"--scenario"_s, u"pool"_s }
                                          << u"no scenario 'pool' (there are connection-pool-exhaustion, "_s;
        QTest::addRow("level out of range") << QStringList { u"--scenario"_s, u"cert-expiry"_s, u"--level"_s, u"7"_s }
                                            << u"--level takes 0, 1, 2, 3 or 4 (got '7')"_s;
        QTest::addRow("approve") << QStringList { u"--scenario"_s, u"cert-expiry"_s, u"--approve"_s, u"yes"_s }
                                 << u"--approve takes auto, deny or none (got 'yes')"_s;
        QTest::addRow("seed") << QStringList { u"--scenario"_s, u"cert-expiry"_s, u"--seed"_s, u"-1"_s }
                              << u"--seed takes a whole number"_s;
        QTest::addRow("pace zero") << QStringList { u"--scenario"_s, u"cert-expiry"_s, u"--pace"_s, u"0"_s }
                                   << u"--pace takes simulated seconds per real second"_s;
        QTest::addRow("option without value") << QStringList { u"--scenario"_s } << u"--scenario needs a value"_s;
        QTest::addRow("unknown option") << QStringList { u"--scenario"_s, u"cert-expiry"_s, u"--fast"_s }
                                        << u"unknown option '--fast'"_s;
        QTest::addRow("missing runbooks") << QStringList { u"--scenario"_s, u"cert-expiry"_s, u"--runbooks"_s,
            u"/nonexistent/runbooks"_s } << u"/nonexistent/runbooks"_s;
        const QStringList serving { u"--scenario"_s, u"cert-expiry"_s, u"--serve-metrics"_s, u"127.0.0.1:0"_s };
        QTest::addRow("engine") << QStringList { u"--scenario"_s, u"cert-expiry"_s, u"--engine"_s, u"off"_s }
                                << u"--engine takes embedded or none (got 'off')"_s;
        QTest::addRow("engine none unseen")
            << QStringList { u"--scenario"_s, u"cert-expiry"_s, u"--engine"_s, u"none"_s }
            << u"--engine none leaves the fleet to an engine outside, which sees it "
               u"through --serve-metrics"_s;
        QTest::addRow("kube option alone") << QStringList { u"--scenario"_s, u"cert-expiry"_s, u"--kube-token-file"_s,
            u"/tmp/t"_s } << u"they need --serve-kubernetes"_s;
        QTest::addRow("kube without metrics")
            << QStringList { u"--scenario"_s, u"cert-expiry"_s, u"--serve-kubernetes"_s, u"127.0.0.1:0"_s }
            << u"through --serve-metrics, which is missing"_s;
        QTest::addRow("kube address") << serving + QStringList { u"--serve-kubernetes"_s, u"6443"_s }
                                      << u"--serve-kubernetes takes HOST:PORT, such as 127.0.0.1:6443"_s;
        QTest::addRow("kube cert alone") << serving
                + QStringList { u"--serve-kubernetes"_s, u"127.0.0.1:0"_s, u"--kube-tls-cert"_s, u"/tmp/c.pem"_s,
                      u"--kube-token-file"_s, u"/tmp/t"_s }
                                         << u"--kube-tls-cert and --kube-tls-key go together"_s;
        QTest::addRow("kube no token") << serving + QStringList { u"--serve-kubernetes"_s, u"127.0.0.1:0"_s }
                                       << u"needs --kube-token-file FILE or --write-kubeconfig FILE"_s;
        QTest::addRow("kube token missing") << serving
                + QStringList { u"--serve-kubernetes"_s, u"127.0.0.1:0"_s, u"--kube-token-file"_s,
                      u"/nonexistent/token"_s }
                                            << u"--kube-token-file /nonexistent/token: "_s;
        QTest::addRow("kube cert not PEM") << serving
                + QStringList { u"--serve-kubernetes"_s, u"127.0.0.1:0"_s, u"--kube-token-file"_s, u"/etc/hostname"_s,
                      u"--kube-tls-cert"_s, u"/etc/hostname"_s, u"--kube-tls-key"_s, u"/etc/hostname"_s }
                                           << u"--kube-tls-cert /etc/hostname: no PEM certificate in it"_s;
        QTest::addRow("kube token too large") << serving
                + QStringList { u"--serve-kubernetes"_s, u"127.0.0.1:0"_s, u"--kube-token-file"_s,
                      QStringLiteral(ANTIBODYCTL) }
                                              << u"larger than 64 KiB; a token is one line"_s;
    }
    void errorsExitOneAndSayWhatToDo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = antibodyctl(QStringList { u"simulate"_s } + args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void aBrokenRunbookIsNamedWithItsLine()
    {
        QTemporaryDir dir;
        QFile bad(dir.filePath(u"broken.yaml"_s));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("name: broken\nlevel: 3\ntrigger:\n  alert: HighCpu\nsteps:\n  - name: oops\n    action: "
                  "reboot_everything\n");
        bad.close();
        const Run r = antibodyctl({ u"simulate"_s, u"--scenario"_s, u"cert-expiry"_s, u"--runbooks"_s, dir.path() });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"broken.yaml:7:"_s) && r.err.contains(u"reboot_everything"_s), qPrintable(r.err));
    }

    void aDataDirKeepsTheIncidents()
    {
        QTemporaryDir dir;
        const Run r = antibodyctl({ u"simulate"_s, u"--scenario"_s, u"cert-expiry"_s, u"--data-dir"_s, dir.path() });
        QCOMPARE(r.exitCode, 0);
        QString error;
        auto store = antibody::SqliteStore::open(QDir(dir.path()).filePath(u"antibody.db"_s), &error);
        QVERIFY2(store, qPrintable(error));
        const auto times = store->incidentTimes();
        QVERIFY(!times.isEmpty());
    }

    void aPacedRunTellsTheSameStory()
    {
        const QStringList args { u"simulate"_s, u"--scenario"_s, u"cert-expiry"_s, u"--json"_s };
        const Run fast = antibodyctl(args);
        const Run paced = antibodyctl(args + QStringList { u"--pace"_s, u"3000"_s }); // 10 simulated minutes in 0.2 s
        QCOMPARE(paced.exitCode, 0);
        QCOMPARE(paced.json().value(u"outcome"_s), fast.json().value(u"outcome"_s));
        QCOMPARE(paced.json().value(u"events"_s), fast.json().value(u"events"_s));
    }

    // The fake Kubernetes API on the wire: HTTPS with the test's certificate, the token,
    // Status errors for what a client gets wrong, the kubeconfig it writes, its summary.
    void theFakeKubernetesApiOverHttps()
    {
        antibody::test::SelfSignedCertificate certificate;
        QVERIFY2(certificate.ok(), qPrintable(certificate.error));
        QTemporaryDir dir;
        const QByteArray token = "a-token-of-the-test";
        QFile tokenFile(dir.filePath(u"token"_s));
        QVERIFY(tokenFile.open(QIODevice::WriteOnly));
        tokenFile.write(token + '\n');
        tokenFile.close();
        const QString kubeconfig = dir.filePath(u"kubeconfig"_s);
        QProcess sim;
        sim.start(QStringLiteral(ANTIBODYCTL),
            { u"simulate"_s, u"--scenario"_s, u"crashloop-restart-heals"_s, u"--engine"_s, u"none"_s,
                u"--serve-metrics"_s, u"127.0.0.1:0"_s, u"--serve-kubernetes"_s, u"127.0.0.1:0"_s, u"--kube-tls-cert"_s,
                certificate.certFile(), u"--kube-tls-key"_s, certificate.keyFile(), u"--kube-token-file"_s,
                tokenFile.fileName(), u"--write-kubeconfig"_s, kubeconfig, u"--hold"_s, u"forever"_s });
        QStringList lines;
        while (lines.size() < 4 && sim.waitForReadyRead(20'000)) {
            while (sim.canReadLine())
                lines << QString::fromUtf8(sim.readLine()).trimmed();
        }
        QVERIFY2(lines.size() >= 4, qPrintable(lines.join(u'\n') + QString::fromUtf8(sim.readAllStandardError())));
        const QString prefix = u"Serving a fake Kubernetes API over the simulated fleet on "_s;
        QVERIFY2(lines.at(1).startsWith(prefix), qPrintable(lines.at(1)));
        QVERIFY2(lines.at(1).endsWith(u" (kubeconfig: %1)"_s.arg(kubeconfig)), qPrintable(lines.at(1)));
        const QUrl api(lines.at(1).mid(prefix.size()).section(u' ', 0, 0));
        QCOMPARE(api.scheme(), u"https"_s);
        QVERIFY2(lines.at(3).contains(u"no engine of its own: an engine outside acts"_s), qPrintable(lines.at(3)));

        // The kubeconfig: owner only, the certificate as the authority, the token by its file.
        QCOMPARE(QFileInfo(kubeconfig).permissions() & ~(QFile::ReadUser | QFile::WriteUser),
            QFile::ReadOwner | QFile::WriteOwner);
        QFile config(kubeconfig);
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QByteArray text = config.readAll();
        QVERIFY2(text.contains("server: \"" + api.toString().toUtf8() + '"'), text.constData());
        QVERIFY2(text.contains("certificate-authority: \"" + certificate.certFile().toUtf8() + '"'), text.constData());
        QVERIFY2(text.contains("tokenFile: "), text.constData());
        QVERIFY(!text.contains(token));
        QVERIFY(!text.contains("insecure"));

        const QList<QSslCertificate> ca = QSslCertificate::fromData(certificate.certPem);
        QUrl deployment = api;
        deployment.setPath(u"/apis/apps/v1/namespaces/default/deployments/checkout-svc"_s);
        const Answer ok = request("GET", deployment, token, ca);
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.body.value(u"spec"_s).toObject().value(u"replicas"_s).toInt(), 5);
        const Answer anonymous = request("GET", deployment, {}, ca);
        QCOMPARE(anonymous.status, 401);
        QCOMPARE(anonymous.body.value(u"kind"_s).toString(), u"Status"_s);
        QUrl scale = deployment;
        scale.setPath(deployment.path() + u"/scale"_s);
        const Answer huge
            = request("PATCH", scale, token, ca, "application/merge-patch+json", QByteArray(2 * 1024 * 1024, ' '));
        QCOMPARE(huge.status, 413);
        QCOMPARE(huge.body.value(u"reason"_s).toString(), u"RequestEntityTooLarge"_s);
        const Answer garbled = request("PATCH", scale, token, ca, "application/json-patch+json", "[{\"op\":");
        QCOMPARE(garbled.status, 400);
        QUrl elsewhere = api;
        elsewhere.setPath(u"/api/v1/namespaces/default/secrets"_s);
        QCOMPARE(request("GET", elsewhere, token, ca).status, 404);
        QCOMPARE(request("TRACE", deployment, token, ca).status, 405);
        // TLS verification holds: without the certificate as an authority there is no answer.
        const Answer unverified = request("GET", deployment, token, {});
        QCOMPARE(unverified.status, 0);
        QCOMPARE(unverified.error, QNetworkReply::SslHandshakeFailedError);

        sim.terminate();
        QVERIFY(sim.waitForFinished(15'000));
        QCOMPARE(sim.exitCode(), 0);
        const QString out = QString::fromUtf8(sim.readAllStandardOutput());
        QVERIFY2(out.contains(u"Outcome: left to the engine outside (--engine none)"_s), qPrintable(out));
        QVERIFY2(
            out.contains(u"Fake Kubernetes API: 6 requests (5 answered with an error), 0 changes."_s), qPrintable(out));
        QVERIFY(!out.contains(QString::fromLatin1(token)));
    }

    // Without a token file the fake API makes one up: in the kubeconfig, nowhere else. Junk on
    // the wire (no HTTP, a body that never comes, a broken query) leaves it answering.
    void aMadeUpTokenIsInTheKubeconfigOnly()
    {
        QTemporaryDir dir;
        const QString kubeconfig = dir.filePath(u"kubeconfig"_s);
        QProcess sim;
        sim.start(QStringLiteral(ANTIBODYCTL),
            { u"simulate"_s, u"--scenario"_s, u"traffic-spike-scale"_s, u"--engine"_s, u"none"_s, u"--serve-metrics"_s,
                u"127.0.0.1:0"_s, u"--serve-kubernetes"_s, u"127.0.0.1:0"_s, u"--write-kubeconfig"_s, kubeconfig,
                u"--hold"_s, u"forever"_s });
        QStringList lines;
        while (lines.size() < 2 && sim.waitForReadyRead(20'000)) {
            while (sim.canReadLine())
                lines << QString::fromUtf8(sim.readLine()).trimmed();
        }
        QVERIFY2(lines.size() >= 2, qPrintable(QString::fromUtf8(sim.readAllStandardError())));
        const QUrl api(lines.at(1).section(u' ', -3, -3));
        QCOMPARE(api.scheme(), u"http"_s);
        QFile config(kubeconfig);
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(config.readAll());
        const QRegularExpressionMatch token = QRegularExpression(u"\n      token: \"([0-9a-f]{64})\"\n"_s).match(text);
        QVERIFY2(token.hasMatch(), qPrintable(text));
        QVERIFY(!text.contains(u"certificate-authority"_s));
        // Bytes that are no HTTP, and a body announced far larger than it comes, change nothing.
        for (const QByteArray &junk : { QByteArray("\x00\xff\x16\x03 not HTTP\r\n\r\n", 20),
                 QByteArray("PATCH /apis HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n{\"spec\""),
                 QByteArray("GET /api/v1/namespaces/default/pods?labelSelector=%ZZ%00 HTTP/1.1\r\nHost: x\r\n\r\n") }) {
            QTcpSocket raw;
            raw.connectToHost(api.host(), static_cast<quint16>(api.port()));
            QVERIFY(raw.waitForConnected(5'000));
            raw.write(junk);
            QVERIFY(raw.waitForBytesWritten(5'000));
            raw.waitForReadyRead(1'000);
            raw.close();
        }
        QUrl scale = api;
        scale.setPath(u"/apis/apps/v1/namespaces/default/deployments/search-svc/scale"_s);
        const Answer ok = request("GET", scale, token.captured(1).toLatin1(), {});
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.body.value(u"spec"_s).toObject().value(u"replicas"_s).toInt(), 4);
        sim.terminate();
        QVERIFY(sim.waitForFinished(15'000));
        const QString out = QString::fromUtf8(sim.readAllStandardOutput() + sim.readAllStandardError());
        QVERIFY(!out.contains(token.captured(1)));
    }

    void scenariosListsOneLineEach()
    {
        const Run r = antibodyctl({ u"scenarios"_s });
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.trimmed().split(u'\n');
        QVERIFY(lines.size() >= 10);
        QVERIFY(lines.first().startsWith(u"connection-pool-exhaustion "_s));
        QVERIFY(lines.first().contains(u"resolves < 45s"_s));
        QCOMPARE(antibodyctl({ u"scenarios"_s, u"extra"_s }).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestSimulate)
#include "tst_simulate.moc"

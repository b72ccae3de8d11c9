// Issue 22's real-stack scenarios on the simulated fleet, from fault to resolved, with the
// real engine acting (label realstack): `antibodyctl simulate --engine none` plays the
// scenario's faults and serves the fleet's metrics and its FAKE Kubernetes API (no real
// cluster runs here) over HTTPS with a certificate made for the test; Debian's Prometheus
// scrapes it with the shipped rules file unchanged and sends its alerts to Debian's
// Alertmanager (the real stack's alertmanager.yml unchanged); `antibodyctl run` with the
// real Prometheus and Alertmanager sources, the real KubernetesExecutor (TLS verified, the
// kubeconfig simulate wrote) and the shipped runbooks unchanged does the rest. Asserted:
// detected -> proposed with its blast radius -> executed (the evictions or the scale the
// fake API saw, within the cap) -> resolved, and the world healed as Prometheus and
// Alertmanager see it. Every process is the test's own, on free ports, in its temporary
// folder: nothing is shared with scripts/realstack or another suite.
//
// The crash-loop runbook's first step, collect_diagnostics, belongs to the `diagnostics`
// family, which a real configuration gets only from executors.postgres (a database's
// pool and queries, nothing about pods). None is configured here, so the step fails with
// "no diagnostics executor is configured" and the engine plans without it, as it does for
// any diagnosis step that fails; the test asserts exactly that, so a change shows.
#include "monitoringrig.h"
#include "runprocess.h"
#include "tests/support/httpget.h"
#include "tests/support/selfsignedcertificate.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace antibody::test;

namespace {

// The simulated fleet, its monitoring and the real engine, as one scenario's rig.
struct RemediatedFleet
{
    // Empty when everything runs; else what went wrong.
    QString start(const QString &scenario)
    {
        if (!dir.isValid() || !certificate.ok())
            return u"no temporary folder or no certificate: "_s + certificate.error;
        const QString tokenFile = dir.filePath(u"token"_s);
        {
            QFile f(tokenFile);
            if (!f.open(QIODevice::WriteOnly))
                return u"cannot write the token"_s;
            f.write(QByteArray::number(QRandomGenerator::global()->generate64(), 16) + '\n');
        }
        kubeconfig = dir.filePath(u"kubeconfig"_s);
        QProcess &sim = simulator.process();
        sim.setReadChannel(QProcess::StandardError);
        sim.start(QStringLiteral(ANTIBODYCTL),
            { u"simulate"_s, u"--scenario"_s, scenario, u"--engine"_s, u"none"_s, u"--serve-metrics"_s,
                u"127.0.0.1:0"_s, u"--serve-kubernetes"_s, u"127.0.0.1:0"_s, u"--kube-tls-cert"_s,
                certificate.certFile(), u"--kube-tls-key"_s, certificate.keyFile(), u"--kube-token-file"_s, tokenFile,
                u"--write-kubeconfig"_s, kubeconfig, u"--hold"_s, u"forever"_s, u"--json"_s });
        // With --json the addresses go to stderr, one line each, before the scenario starts.
        const QString metricsLine = u"Serving the simulated fleet's metrics on "_s;
        const QString kubeLine = u"Serving a fake Kubernetes API over the simulated fleet on "_s;
        QElapsedTimer waited;
        waited.start();
        while ((metrics.isEmpty() || kubeApi.isEmpty()) && waited.elapsed() < 20'000) {
            if (!sim.canReadLine() && !sim.waitForReadyRead(1'000))
                continue;
            const QString line = QString::fromUtf8(sim.readLine()).trimmed();
            if (line.startsWith(metricsLine))
                metrics = QUrl(line.mid(metricsLine.size()));
            else if (line.startsWith(kubeLine))
                kubeApi = QUrl(line.mid(kubeLine.size()).section(u' ', 0, 0));
        }
        if (metrics.port() <= 0 || kubeApi.scheme() != u"https"_s)
            return u"simulate did not say where it serves: "_s + QString::fromUtf8(sim.readAllStandardError());

        QString why = startAlertmanager(alertmanager, QDir(dir.path()), &alertmanagerUrl);
        if (why.isEmpty())
            why = startPrometheus(
                prometheus, QDir(dir.path()), u"127.0.0.1:%1"_s.arg(metrics.port()), alertmanagerUrl, &prometheusUrl);
        if (!why.isEmpty())
            return why;

        // The stack's pace (scripts/realstack config), the fake API's kubeconfig, the
        // services the runbooks may act on, and the shipped runbooks as they are.
        const QString config = dir.filePath(u"antibody.yaml"_s);
        QFile f(config);
        if (!f.open(QIODevice::WriteOnly))
            return u"cannot write antibody.yaml"_s;
        f.write(
            u"sources:\n"
            "  prometheus: { url: \"%1\", health_interval: 1s }\n"
            "  alertmanager: { url: \"%2\", poll_interval: 1s, restart_grace: 10s }\n"
            "executors:\n"
            "  kubernetes:\n"
            "    kubeconfig: \"%3\"\n"
            "    workloads: { checkout-svc: { deployment: checkout-svc }, search-svc: { deployment: search-svc } }\n"
            "engine: { evaluation_interval: 1s, pass_settle: 1s, freshness_bound: 10s }\n"
            "runbooks: [ \"%4/runbooks\" ]\n"_s
                .arg(prometheusUrl.toString(), alertmanagerUrl.toString(), kubeconfig,
                    qEnvironmentVariable("ANTIBODY_SOURCE_DIR"))
                .toUtf8());
        f.close();
        engine.start({ u"run"_s, u"--config"_s, config, u"--json"_s, u"--max-seconds"_s, u"420"_s, u"--data-dir"_s,
                         dir.filePath(u"data"_s) },
            dir.path());
        if (!engine.process().waitForStarted(10'000))
            return u"antibodyctl run did not start"_s;
        return {};
    }

    // The alerts Alertmanager has active now, as "alertname/service"; nullopt without an answer.
    std::optional<QStringList> activeAlerts() const
    {
        QUrl url = alertmanagerUrl;
        url.setPath(u"/api/v2/alerts"_s);
        const HttpAnswer answer = httpAnswer(url);
        const QJsonDocument doc = QJsonDocument::fromJson(answer.body);
        if (!answer.ok || !doc.isArray())
            return std::nullopt;
        QStringList out;
        for (const QJsonValue &a : doc.array()) {
            const QJsonObject labels = a.toObject().value(u"labels"_s).toObject();
            out << labels.value(u"alertname"_s).toString() + u'/' + labels.value(u"service"_s).toString()
                    + (labels.contains(u"pod"_s) ? u'/' + labels.value(u"pod"_s).toString() : QString());
        }
        return out;
    }

    // Whether Alertmanager answers and no active alert names `what` ("alertname/service...").
    bool alertGone(const QString &what) const
    {
        const auto alerts = activeAlerts();
        return alerts && !alerts->join(u' ').contains(what);
    }

    // One value of an instant query; NaN without exactly one series.
    double value(const QString &query) const
    {
        QUrl url = prometheusUrl;
        url.setPath(u"/api/v1/query"_s);
        url.setQuery(QUrlQuery { { u"query"_s, query } });
        const QJsonArray result = QJsonDocument::fromJson(httpAnswer(url).body)
                                      .object()
                                      .value(u"data"_s)
                                      .toObject()
                                      .value(u"result"_s)
                                      .toArray();
        if (result.size() != 1)
            return std::nan("");
        return result.first().toObject().value(u"value"_s).toArray().at(1).toString().toDouble();
    }

    // The first proposal of `runbook`.
    std::optional<Line> proposalOf(const QString &runbook)
    {
        for (const Line &l : engine.lines()) {
            if (l.kind == u"proposed"_s && l.data.value(u"runbook"_s).toString() == runbook)
                return l;
        }
        return std::nullopt;
    }

    // Stops the engine, then the simulator; the simulator's JSON says what the fake API saw.
    QJsonObject stop()
    {
        engine.process().terminate();
        engine.process().waitForFinished(30'000);
        simulator.stop();
        return QJsonDocument::fromJson(simulator.process().readAllStandardOutput()).object();
    }

    QString transcript() { return engine.transcript() + u"\n--- logs in "_s + dir.path(); }

    QTemporaryDir dir;
    SelfSignedCertificate certificate;
    Child simulator;
    Child alertmanager;
    Child prometheus;
    RunProcess engine;
    QUrl metrics;
    QUrl kubeApi;
    QUrl alertmanagerUrl;
    QUrl prometheusUrl;
    QString kubeconfig;
};

} // namespace

class TestFleetRemediation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { m_clock.start(); }
    // Where the time goes, for the log.
    void milestone(const char *what) { qInfo("%5.1f s: %s", m_clock.elapsed() / 1000.0, what); }
    void cleanup() { qInfo("%s took %.0f s", QTest::currentTestFunction(), m_clock.elapsed() / 1000.0); }

    // crashloop-restart-heals: checkout-svc-2 crash-loops on a corrupt cache in its emptyDir.
    // KubePodCrashLooping fires in Prometheus (3 restarts in 10 minutes), reaches
    // Alertmanager and the engine; pod-crashloop-restart evicts the one unhealthy pod (cap 1
    // of 5 pods); its ReplicaSet's new pod starts clean; the old pod's series end, and the
    // alert resolves in Prometheus and Alertmanager.
    void crashLoopFromFaultToResolved()
    {
        RemediatedFleet fleet;
        const QString why = fleet.start(u"crashloop-restart-heals"_s);
        QVERIFY2(why.isEmpty(), qPrintable(why));

        // The alert reaches Alertmanager (about 80 s of restarts after the fault at 10 s).
        QTRY_VERIFY2_WITH_TIMEOUT(fleet.activeAlerts()
                                      .value_or(QStringList {})
                                      .contains(u"KubePodCrashLooping/checkout-svc/checkout-svc-2"_s),
            qPrintable(fleet.transcript()), 180'000);
        milestone("KubePodCrashLooping for checkout-svc-2 in Alertmanager");

        // detected -> proposed: level 3 with high confidence runs unattended, within 15% of the pods.
        QTRY_VERIFY2_WITH_TIMEOUT(fleet.proposalOf(u"pod-crashloop-restart"_s), qPrintable(fleet.transcript()), 60'000);
        const Line proposed = *fleet.proposalOf(u"pod-crashloop-restart"_s);
        const QString incident = proposed.incident;
        QCOMPARE(proposed.data.value(u"mode"_s).toString(), u"auto"_s);
        const auto detected = fleet.engine.first(u"detected"_s, incident);
        QVERIFY2(detected && detected->t <= proposed.t, qPrintable(fleet.transcript()));
        QVERIFY2(detected->detail.contains(u"KubePodCrashLooping"_s), qPrintable(detected->detail));
        const QJsonObject radius = blastRadiusOf(proposed.data, u"restart"_s);
        QCOMPARE(radius.value(u"dimension"_s).toString(), u"pods"_s);
        QCOMPARE(radius.value(u"fleet_size"_s).toInt(), 5); // the fake API's pods of checkout-svc
        QCOMPARE(radius.value(u"cap_count"_s).toInt(), 1);
        QCOMPARE(radius.value(u"affected"_s).toInt(), 1);

        // The diagnosis step has no executor here (see the top of this file); planning goes on.
        std::optional<Line> diagnosed;
        for (const Line &l : fleet.engine.all(u"step_finished"_s, incident)) {
            if (l.data.value(u"step"_s).toString() == u"diagnose"_s)
                diagnosed = l;
        }
        QVERIFY2(diagnosed, qPrintable(fleet.transcript()));
        QCOMPARE(diagnosed->data.value(u"outcome"_s).toString(), u"failed"_s);
        QVERIFY2(diagnosed->detail.contains(u"no diagnostics executor is configured"_s), qPrintable(diagnosed->detail));

        // executed -> resolved.
        QTRY_VERIFY2_WITH_TIMEOUT(
            fleet.engine.first(u"resolved"_s, incident) || fleet.engine.first(u"escalated"_s, incident),
            qPrintable(fleet.transcript()), 60'000);
        QVERIFY2(fleet.engine.first(u"resolved"_s, incident), qPrintable(fleet.transcript()));
        milestone(qPrintable(u"resolved: "_s + fleet.engine.first(u"resolved"_s, incident)->detail));
        QStringList restarted;
        for (const Line &l : fleet.engine.all(u"step_started"_s, incident)) {
            if (l.data.value(u"step"_s).toString() != u"restart"_s)
                continue;
            QVERIFY2(l.data.value(u"affected"_s).toInt() <= l.data.value(u"cap"_s).toInt(), qPrintable(l.detail));
            for (const QJsonValue &t : l.data.value(u"targets"_s).toArray())
                restarted << t.toString();
        }
        QCOMPARE(restarted, QStringList { u"checkout-svc-2"_s });
        QVERIFY2(!fleet.engine.first(u"paged"_s, incident), qPrintable(fleet.transcript()));

        // The world healed: the old pod's series are gone, and with them the alert.
        QTRY_VERIFY2_WITH_TIMEOUT(fleet.alertGone(u"KubePodCrashLooping"_s), qPrintable(fleet.transcript()), 60'000);
        milestone("KubePodCrashLooping gone from Alertmanager");
        QCOMPARE(fleet.value(u"count(kube_pod_owner{pod=~\"checkout-svc-.*\"})"_s), 5.0);
        QVERIFY(std::isnan(fleet.value(u"kube_pod_owner{pod=\"checkout-svc-2\"}"_s))); // no such series

        // What the fake API saw: one eviction, of that pod, and nothing else changed.
        const QJsonObject simulated = fleet.stop();
        const QJsonObject kube = simulated.value(u"kubernetes"_s).toObject();
        const QJsonArray changes = kube.value(u"changes"_s).toArray();
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.first().toObject().value(u"kind"_s).toString(), u"eviction"_s);
        QCOMPARE(changes.first().toObject().value(u"object"_s).toString(), u"checkout-svc-2"_s);
        QVERIFY(kube.value(u"requests"_s).toInt() >= 3); // deployment, pods, eviction at least
        QCOMPARE(simulated.value(u"engine"_s).toString(), u"none"_s);
        QVERIFY2(fleet.engine.badLines().isEmpty(), qPrintable(fleet.engine.badLines().join(u'\n')));
    }

    // traffic-spike-scale, the composite-scale-out runbook's drill: search-svc's load climbs
    // to 1.8x from 30 s; CPU, requests in flight and p99 cross their thresholds for a minute
    // in Prometheus's recording rules, and HighLatency fires; the engine scales search-svc
    // from 4 to 5 through the scale subresource (cap 1); once the new pod carries its share,
    // requests in flight and p99 fall back under their thresholds and HighLatency leaves
    // Alertmanager. CPU stays about 82% (1.8x the load on 5 pods), over the runbook's 70%: the
    // trigger stays true, so the engine opens no second incident (see docs/simulator.md).
    void compositeScalingFromFaultToResolved()
    {
        RemediatedFleet fleet;
        const QString why = fleet.start(u"traffic-spike-scale"_s);
        QVERIFY2(why.isEmpty(), qPrintable(why));

        // HighLatency fires first (p99 over 1 s for a minute); it has to go again later.
        QTRY_VERIFY2_WITH_TIMEOUT(fleet.activeAlerts().value_or(QStringList {}).contains(u"HighLatency/search-svc"_s),
            qPrintable(fleet.transcript()), 240'000);
        milestone("HighLatency for search-svc in Alertmanager");
        QTRY_VERIFY2_WITH_TIMEOUT(fleet.proposalOf(u"composite-scale-out"_s), qPrintable(fleet.transcript()), 120'000);
        const Line proposed = *fleet.proposalOf(u"composite-scale-out"_s);
        milestone(qPrintable(u"proposed: "_s + proposed.detail));
        const QString incident = proposed.incident;
        QCOMPARE(proposed.data.value(u"mode"_s).toString(), u"auto"_s);
        const auto detected = fleet.engine.first(u"detected"_s, incident);
        QVERIFY2(detected && detected->t <= proposed.t, qPrintable(fleet.transcript()));
        const QJsonObject radius = blastRadiusOf(proposed.data, u"scale_out"_s);
        QCOMPARE(radius.value(u"dimension"_s).toString(), u"replicas"_s);
        QCOMPARE(radius.value(u"fleet_size"_s).toInt(), 4); // spec.replicas as the fake API answers it
        QCOMPARE(radius.value(u"cap_count"_s).toInt(), 1);
        QCOMPARE(radius.value(u"affected"_s).toInt(), 1);

        QTRY_VERIFY2_WITH_TIMEOUT(
            fleet.engine.first(u"resolved"_s, incident) || fleet.engine.first(u"escalated"_s, incident),
            qPrintable(fleet.transcript()), 60'000);
        QVERIFY2(fleet.engine.first(u"resolved"_s, incident), qPrintable(fleet.transcript()));
        milestone(qPrintable(u"resolved: "_s + fleet.engine.first(u"resolved"_s, incident)->detail));

        // The world follows: 5 replicas in kube-state-metrics, and every signal of the trigger
        // back under its threshold once the new pod carries its share.
        QTRY_COMPARE_WITH_TIMEOUT(
            fleet.value(u"kube_deployment_spec_replicas{deployment=\"search-svc\"}"_s), 5.0, 30'000);
        milestone("5 replicas in Prometheus");
        auto signalsText = [&] {
            return u"cpu %1, in flight %2, p99 %3"_s
                .arg(fleet.value(u"service:container_cpu_usage:ratio{service=\"search-svc\"}"_s))
                .arg(fleet.value(u"service:http_server_active_requests:sum{service=\"search-svc\"}"_s))
                .arg(fleet.value(u"service:http_server_request_duration_seconds:p99{service=\"search-svc\"}"_s));
        };
        milestone(qPrintable(signalsText()));
        QTRY_VERIFY2_WITH_TIMEOUT(
            fleet.value(u"service:http_server_active_requests:sum{service=\"search-svc\"}"_s) <= 50
                && fleet.value(u"service:http_server_request_duration_seconds:p99{service=\"search-svc\"}"_s) <= 1,
            qPrintable(signalsText() + u"\n"_s + fleet.transcript()), 240'000);
        milestone(qPrintable(u"requests in flight and p99 under their thresholds: "_s + signalsText()));
        QTRY_VERIFY2_WITH_TIMEOUT(
            fleet.alertGone(u"HighLatency/search-svc"_s), qPrintable(fleet.transcript()), 120'000);
        milestone("HighLatency for search-svc gone from Alertmanager");

        const QJsonObject simulated = fleet.stop();
        const QJsonArray changes = simulated.value(u"kubernetes"_s).toObject().value(u"changes"_s).toArray();
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.first().toObject().value(u"kind"_s).toString(), u"scale"_s);
        QVERIFY2(changes.first()
                     .toObject()
                     .value(u"detail"_s)
                     .toString()
                     .startsWith(u"scaled default/search-svc from 4 to 5 replicas"_s),
            qPrintable(changes.first().toObject().value(u"detail"_s).toString()));
        QVERIFY2(fleet.engine.badLines().isEmpty(), qPrintable(fleet.engine.badLines().join(u'\n')));
    }

private:
    QElapsedTimer m_clock;
};

QTEST_GUILESS_MAIN(TestFleetRemediation)
#include "tst_fleetremediation.moc"

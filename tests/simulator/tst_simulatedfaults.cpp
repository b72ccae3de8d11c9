#include "simrig.h"
#include "simulator/ports/diagnosis.h"

using namespace antibody;
using namespace antibody::sim;
using namespace antibody::sim::test;

namespace {

Fault faultNamed(const QString &name)
{
    if (name == u"crash loop")
        return Fault::crashLoop(u"checkout-svc"_s, { u"checkout-svc-3"_s }, u"exit code 1: bad config"_s, 25s);
    if (name == u"bad deploy")
        return Fault::badDeploy(u"checkout-svc"_s, u"v2.15.0"_s, 0.12, 0.3, 0.7);
    if (name == u"certificate")
        return Fault::certificateExpiry(u"api.example.com"_s, 6 * 24h);
    if (name == u"replication lag")
        return Fault::replicationLag(u"orders-db-replica-2"_s, 40);
    if (name == u"primary down")
        return Fault::primaryDown(u"disk gone"_s);
    if (name == u"region")
        return Fault::regionDegraded(u"us-east-1"_s, 0.35, 0.4);
    if (name == u"corruption")
        return Fault::dataCorruption(u"orders pages"_s);
    if (name == u"security")
        return Fault::securitySignal(u"worker-3"_s, u"outbound to 185.220.101.4"_s);
    if (name == u"cascade")
        return Fault::unknownCascade({ u"search-svc"_s, u"catalog-svc"_s }, 0.22, 1.2, u"DNS"_s);
    if (name == u"payments")
        return Fault::paymentsInFlight(u"provider hangs"_s);
    if (name == u"spike")
        return Fault::trafficSpike(u"search-svc"_s, 1.8, 2min);
    return Fault::connectionLeak(u"orders-worker"_s, 2min, 9);
}

QString alertLabels(Rig &rig, const QString &name)
{
    QStringList out;
    for (const Alert &a : rig.world().firingAlerts()) {
        if (a.name != name)
            continue;
        QStringList labels;
        for (auto it = a.labels.cbegin(); it != a.labels.cend(); ++it) {
            if (it.key() != u"alertname" && it.key() != u"severity")
                labels << it.key() + u'=' + it.value();
        }
        out << labels.join(u',');
    }
    out.sort();
    return out.join(u" | "_s);
}

} // namespace

class TestSimulatedFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void checkoutSaturationLooksLikeTheSeed()
    {
        // The seed's pipeline: CPU over 95% on 3 of 5 checkout-svc pods, p99 4.2 s, errors 8.3%.
        Rig rig;
        rig.advance(30s);
        rig.world().inject(Fault::poolSaturation(
            u"checkout-svc"_s, { u"checkout-svc-1"_s, u"checkout-svc-2"_s, u"checkout-svc-3"_s }, 5));
        rig.advance(4min);
        for (const QString &pod : { u"checkout-svc-1"_s, u"checkout-svc-2"_s, u"checkout-svc-3"_s }) {
            const double cpu = rig.value(u"service_pod:container_cpu_usage:ratio{pod=\"%1\"}"_s.arg(pod));
            QVERIFY2(cpu > 0.95, qPrintable(pod + u" at "_s + QString::number(cpu)));
        }
        for (const QString &pod : { u"checkout-svc-4"_s, u"checkout-svc-5"_s })
            QVERIFY(rig.value(u"service_pod:container_cpu_usage:ratio{pod=\"%1\"}"_s.arg(pod)) < 0.92);
        const double p99 = rig.value(u"service:http_server_request_duration_seconds:p99{service=\"checkout-svc\"}"_s);
        QVERIFY2(p99 > 4.0 && p99 < 4.4, qPrintable(QString::number(p99)));
        const double errors = rig.value(u"service:http_server_requests:error_ratio{service=\"checkout-svc\"}"_s);
        QVERIFY2(errors > 0.073 && errors < 0.093, qPrintable(QString::number(errors)));
        // No CPU alert: the runbook's trigger is the expression (rules/antibody.rules.yml records it).
        QVERIFY(rig.value(u"service:container_cpu_usage:ratio{service=\"checkout-svc\"}"_s) > 0.9);
        QVERIFY(rig.firing(u"HighLatency"_s, u"checkout-svc"_s));
        QVERIFY(rig.firing(u"HighErrorRate"_s, u"checkout-svc"_s));
        QCOMPARE(diagnose(rig.fleet(), u"checkout-svc"_s, {}, rig.clock.now()).facts.value(u"cause"_s).toString(),
            u"pool_saturation"_s);
    }

    void leakFillsThePoolWithOldIdleSessions()
    {
        Rig rig(3, *parseTime(u"2026-11-27T14:00:00Z"));
        rig.advance(10s);
        rig.world().inject(Fault::connectionLeak(u"orders-worker"_s, 2min, 9));
        rig.advance(30s);
        QCOMPARE(rig.value(u"service:pg_connection_utilization:ratio"_s), 0.95);
        QVERIFY(rig.firing(u"DbConnectionPoolExhausted"_s, u"orders-db"_s));
        const Fleet sessions = rig.targets(u"database"_s, u"connections"_s, u"orders-db"_s);
        int oldIdleLeaks = 0;
        for (const Target &t : sessions.members)
            oldIdleLeaks += t.labels.value(u"application"_s) == u"orders-worker" && t.state == u"idle"
                && t.metrics.value(u"state_seconds"_s) > 300;
        QCOMPARE(oldIdleLeaks, 7); // leaked 2, 4, ... 18 minutes ago: 7 of 9 idle for over 5 minutes
        // It keeps leaking: at 20 of 20 the pooler cannot get sessions and checkout fails.
        rig.advance(3min);
        QCOMPARE(rig.value(u"service:pg_connection_utilization:ratio"_s), 1.0);
        QVERIFY(rig.value(u"service:http_server_requests:error_ratio{service=\"checkout-svc\"}"_s) > 0.1);
        QCOMPARE(
            diagnose(rig.fleet(), u"orders-db"_s, {}, rig.clock.now()).facts.value(u"cause"_s).toString(), u"leak"_s);
    }

    void faultRaisesItsAlert_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("alert");
        QTest::addColumn<QString>("labels");
        QTest::addColumn<int>("withinSeconds");
        QTest::addRow("crash loop") << u"crash loop"_s << u"KubePodCrashLooping"_s
                                    << u"deployment=checkout-svc,pod=checkout-svc-3,service=checkout-svc"_s << 180;
        QTest::addRow("bad deploy") << u"bad deploy"_s << u"HighErrorRate"_s << u"service=checkout-svc"_s << 360;
        QTest::addRow("certificate") << u"certificate"_s << u"BlackboxSslCertificateWillExpireSoon"_s
                                     << u"instance=api.example.com,service=api-gateway"_s << 10;
        QTest::addRow("replication lag") << u"replication lag"_s << u"ReplicationLagHigh"_s << u"service=orders-db"_s
                                         << 180;
        QTest::addRow("primary down") << u"primary down"_s << u"PostgreSQLDown"_s << u"service=orders-db"_s << 30;
        QTest::addRow("region") << u"region"_s << u"RegionDegraded"_s << u"region=us-east-1,service=api-gateway"_s
                                << 180;
        QTest::addRow("corruption") << u"corruption"_s << u"DataCorruptionSuspected"_s
                                    << u"guard=data_corruption,service=orders-db"_s << 10;
        QTest::addRow("security: every service on the host")
            << u"security"_s << u"SecurityIncident"_s
            << u"guard=security_incident,host=worker-3,service=api-gateway | guard=security_incident,host=worker-3,service=checkout-svc"_s
            << 10;
        QTest::addRow("cascade")
            << u"cascade"_s << u"CascadingFailure"_s
            << u"guard=unknown_cascade,service=api-gateway | guard=unknown_cascade,service=catalog-svc | guard=unknown_cascade,service=search-svc"_s
            << 180;
        QTest::addRow("payments") << u"payments"_s << u"PaymentsInFlight"_s
                                  << u"guard=transactions_in_flight,service=payments-svc"_s << 120;
        // The gateway waits for search-svc: its p99 shows the spike too.
        QTest::addRow("traffic spike") << u"spike"_s << u"HighLatency"_s
                                       << u"service=api-gateway | service=search-svc"_s << 300;
        QTest::addRow("leak") << u"leak"_s << u"DbConnectionPoolExhausted"_s << u"service=orders-db"_s << 30;
    }
    void faultRaisesItsAlert()
    {
        QFETCH(QString, fault);
        QFETCH(QString, alert);
        QFETCH(QString, labels);
        QFETCH(int, withinSeconds);
        Rig rig(21, *parseTime(u"2026-11-27T18:00:00Z"));
        rig.advance(10s);
        QVERIFY(rig.world().firingAlerts().isEmpty());
        rig.world().inject(faultNamed(fault));
        QVERIFY2(rig.runUntil([&] { return alertLabels(rig, alert) == labels; }, Duration { withinSeconds * 1000 }),
            qPrintable(u"firing: "_s + alertLabels(rig, alert)));
    }

    void aDegradedRegionIsNotAnUnknownCascade()
    {
        Rig rig(21, *parseTime(u"2026-11-27T18:00:00Z"));
        rig.world().inject(Fault::regionDegraded(u"us-east-1"_s, 0.35, 0.4));
        rig.advance(5min);
        QVERIFY(rig.firing(u"RegionDegraded"_s));
        QVERIFY(!rig.firing(u"CascadingFailure"_s)); // every service fails in us-east-1, and the region says why
    }

    void badDeployRollsOutAndLosesOrders()
    {
        Rig rig(8, *parseTime(u"2026-11-27T15:00:00Z"));
        rig.advance(2min);
        const double ordersBefore = rig.value(u"service:orders_created:per_minute"_s);
        rig.world().inject(Fault::badDeploy(u"checkout-svc"_s, u"v2.15.0"_s, 0.12, 0.3, 0.7));
        rig.advance(30s);
        // One pod at a time: the rollout is in progress.
        QCOMPARE(rig.service(u"checkout-svc"_s).rolloutTo, u"v2.15.0"_s);
        QVERIFY(rig.runUntil([&] { return rig.service(u"checkout-svc"_s).rolloutTo.isEmpty(); }, 5min));
        rig.advance(2min);
        QCOMPARE(rig.service(u"checkout-svc"_s).currentVersion, u"v2.15.0"_s);
        QCOMPARE(rig.service(u"checkout-svc"_s).previousVersion, u"v2.14.0"_s);
        const double orders = rig.value(u"service:orders_created:per_minute"_s);
        QVERIFY2(orders < 0.7 * ordersBefore, qPrintable(u"%1 -> %2"_s.arg(ordersBefore).arg(orders)));
        QVERIFY(rig.value(u"service:http_server_requests:status_5xx_ratio{service=\"checkout-svc\"}"_s) > 0.1);
        const Diagnosis d = diagnose(rig.fleet(), u"checkout-svc"_s, {}, rig.clock.now());
        QCOMPARE(d.facts.value(u"cause"_s).toString(), u"bad_deploy"_s);
        QCOMPARE(d.facts.value(u"recent_deploy"_s).toBool(), true);
    }

    void crashLoopBacksOff()
    {
        Rig rig;
        rig.world().inject(faultNamed(u"crash loop"_s));
        rig.advance(10min);
        const Pod *pod = rig.fleet().pod(u"checkout-svc-3");
        // 10 s, 20 s, 40 s, 80 s, 160 s of back-off between 25-second lives: five or six restarts in ten minutes.
        QVERIFY2(
            pod->restarts.size() >= 5 && pod->restarts.size() <= 6, qPrintable(QString::number(pod->restarts.size())));
        QVERIFY(pod->backoff >= Duration { 160s });
        QCOMPARE(rig.value(u"kube_deployment_spec_replicas{service=\"checkout-svc\"}"_s), 5.0);
        QVERIFY(rig.value(u"kube_deployment_status_replicas_available{service=\"checkout-svc\"}"_s) <= 4.0);
    }
};

QTEST_GUILESS_MAIN(TestSimulatedFaults)
#include "tst_simulatedfaults.moc"

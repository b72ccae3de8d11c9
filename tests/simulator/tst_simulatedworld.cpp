#include "simrig.h"
#include "simulator/world/scrape.h"
#include "simulator/world/servicephysics.h"

#include <QSignalSpy>

using namespace antibody;
using namespace antibody::sim;
using namespace antibody::sim::test;

namespace {

// Every sample of every series over the run, to the last bit.
QStringList trace(Rig &rig, TimePoint from)
{
    QStringList lines;
    for (const QString &name : metricNames()) {
        for (const RangeSeries &s : rig.world().history().range(name, {}, from, rig.clock.now(), 5s, 0s)) {
            QStringList labels;
            for (auto it = s.labels.cbegin(); it != s.labels.cend(); ++it)
                labels << it.key() + u'=' + it.value();
            for (const auto &[t, v] : s.points)
                lines << u"%1 %2 %3"_s.arg(
                    labels.join(u','), QString::number(toMillis(t)), QString::number(v, 'g', 17));
        }
    }
    return lines;
}

QStringList runScripted(quint64 seed)
{
    Rig rig(seed);
    const TimePoint start = rig.clock.now();
    rig.advance(1min);
    rig.world().inject(Fault::connectionLeak(u"orders-worker"_s, 2min, 9));
    rig.world().inject(Fault::poolSaturation(u"checkout-svc"_s, { u"checkout-svc-1"_s }, 5));
    rig.advance(2min);
    rig.execute(u"workload"_s,
        request(u"restart_pods"_s, u"checkout-svc"_s, { u"checkout-svc-5"_s }, { { u"only_unhealthy"_s, false } }));
    rig.advance(20min);
    return trace(rig, start);
}

} // namespace

class TestSimulatedWorld : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sameSeedSameWorldBitForBit()
    {
        const QStringList first = runScripted(11);
        const QStringList second = runScripted(11);
        QVERIFY(first.size() > 10'000);
        QCOMPARE(first, second);
    }

    void anotherSeedAnotherWorld()
    {
        const QStringList a = runScripted(11);
        const QStringList b = runScripted(12);
        QCOMPARE(a.size(), b.size()); // the same series at the same instants...
        QVERIFY(a != b); // ...with other values
    }

    void samplesCarryTheTimeTheyWereTaken()
    {
        Rig rig;
        rig.advance(62s); // scrapes happen every 5 s: the last one was at 60 s
        const TimePoint scrapedAt = *rig.world().history().lastScrape();
        QCOMPARE(scrapedAt, peakHour() + 60s);
        const MetricResult r = rig.query(u"service:pg_connection_utilization:ratio"_s);
        QVERIFY(r.ok);
        QCOMPARE(r.samples.size(), 1);
        QCOMPARE(r.samples.front().at, scrapedAt); // not the time of the query
        rig.advance(5s);
        QCOMPARE(rig.query(u"service:pg_connection_utilization:ratio"_s).samples.front().at, scrapedAt + 5s);
    }

    void vocabularyIsExported_data()
    {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<int>("series");
        QTest::addRow("cpu per pod") << u"service_pod:container_cpu_usage:ratio{service=\"checkout-svc\"}"_s << 5;
        QTest::addRow("cpu per service") << u"service:container_cpu_usage:ratio"_s << 5;
        QTest::addRow("queue") << u"service:http_server_active_requests:sum"_s << 5;
        QTest::addRow("p99") << u"service:http_server_request_duration_seconds:p99"_s << 5;
        QTest::addRow("errors per service") << u"service:http_server_requests:error_ratio"_s << 5;
        QTest::addRow("errors per region")
            << u"service_region:http_server_requests:error_ratio{service=\"api-gateway\"}"_s << 2;
        QTest::addRow("5xx") << u"service:http_server_requests:status_5xx_ratio"_s << 5;
        QTest::addRow("rps") << u"service:http_server_requests:rate1m"_s << 5;
        QTest::addRow("orders") << u"service:orders_created:per_minute{service=\"checkout-svc\"}"_s << 1;
        QTest::addRow("replicas") << u"kube_deployment_spec_replicas"_s << 5;
        QTest::addRow("ready") << u"kube_deployment_status_replicas_available"_s << 5;
        QTest::addRow("restarts") << u"kube_pod_container_status_restarts_total{service=\"checkout-svc\"}"_s << 5;
        QTest::addRow("pool") << u"service:pg_connection_utilization:ratio{service=\"orders-db\"}"_s << 1;
        QTest::addRow("primary") << u"pg_up{service=\"orders-db\"}"_s << 1;
        QTest::addRow("active") << u"pg_stat_activity_count{state=\"active\"}"_s << 1;
        QTest::addRow("idle") << u"pg_stat_activity_count{state=\"idle\"}"_s << 1;
        QTest::addRow("max") << u"pg_settings_max_connections"_s << 1;
        QTest::addRow("lag") << u"pg_replication_lag"_s << 2; // one series per replica
        QTest::addRow("certificates") << u"instance:probe_ssl_earliest_cert_expiry:remaining_seconds"_s << 4;
        QTest::addRow("certificate probes") << u"probe_ssl_earliest_cert_expiry"_s << 4;
    }
    void vocabularyIsExported()
    {
        QFETCH(QString, selector);
        QFETCH(int, series);
        Rig rig;
        rig.advance(10s);
        const MetricResult r = rig.query(selector);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.samples.size(), series);
    }

    void healthyFleetLooksHealthy()
    {
        Rig rig;
        rig.advance(2min);
        QCOMPARE(rig.value(u"pg_settings_max_connections"_s), 20.0);
        QCOMPARE(rig.value(u"service:pg_connection_utilization:ratio"_s),
            0.5); // 10 of 20: pooler 6, worker 2, BI 1, exporter 1
        QCOMPARE(rig.value(u"kube_deployment_spec_replicas{service=\"checkout-svc\"}"_s), 5.0);
        const double cpu = rig.value(u"service:container_cpu_usage:ratio{service=\"checkout-svc\"}"_s);
        QVERIFY2(cpu > 0.80 && cpu < 0.90, qPrintable(QString::number(cpu))); // runs hot at the evening peak
        QVERIFY(rig.value(u"service:http_server_request_duration_seconds:p99{service=\"checkout-svc\"}"_s) < 1.0);
        QVERIFY(rig.value(u"service:http_server_requests:error_ratio{service=\"checkout-svc\"}"_s) < 0.01);
        QVERIFY(rig.value(u"service:orders_created:per_minute"_s) > 1500);
    }

    void quietFleetRaisesNoAlerts_data()
    {
        QTest::addColumn<QString>("start");
        QTest::addRow("03:00") << u"2026-11-27T03:00:00Z"_s;
        QTest::addRow("08:00 trough") << u"2026-11-27T08:00:00Z"_s;
        QTest::addRow("14:00") << u"2026-11-27T14:00:00Z"_s;
        QTest::addRow("20:00 peak") << u"2026-11-27T20:00:00Z"_s;
    }
    void quietFleetRaisesNoAlerts()
    {
        QFETCH(QString, start);
        Rig rig(5, *parseTime(start));
        QSignalSpy spy(&rig.world(), &World::alertsChanged);
        rig.advance(30min);
        QStringList fired;
        for (const auto &args : spy) {
            for (const AlertChange &c : args.at(0).value<QList<AlertChange>>())
                fired << c.alert.name + u' ' + c.alert.service();
        }
        QVERIFY2(fired.isEmpty(), qPrintable(fired.join(u", "_s)));
    }

    void trafficFollowsTheTimeOfDay()
    {
        Rig evening(3, *parseTime(u"2026-11-27T20:00:00Z"));
        Rig morning(3, *parseTime(u"2026-11-27T08:00:00Z"));
        evening.advance(1min);
        morning.advance(1min);
        const double ratio = evening.value(u"service:http_server_requests:rate1m{service=\"api-gateway\"}"_s)
            / morning.value(u"service:http_server_requests:rate1m{service=\"api-gateway\"}"_s);
        QVERIFY2(ratio > 2.6 && ratio < 3.1, qPrintable(QString::number(ratio))); // 1.0 against 0.35
        QCOMPARE(dailyShape(*parseTime(u"2026-11-27T20:00:00Z")), 1.0);
    }

    void alertsWaitForTheirForDurationAndKeepTheirFingerprint()
    {
        Rig rig(9, *parseTime(u"2026-11-27T14:00:00Z"));
        QSignalSpy spy(&rig.world(), &World::alertsChanged);
        rig.advance(10s);
        rig.world().inject(Fault::connectionLeak(u"orders-worker"_s, 2min, 9));
        rig.advance(10s);
        QVERIFY(!rig.firing(u"DbConnectionPoolExhausted"_s)); // over the threshold, not yet for 15 s
        rig.advance(15s);
        QVERIFY(rig.firing(u"DbConnectionPoolExhausted"_s, u"orders-db"_s));
        const Alert first = rig.world().firingAlerts().front();
        QCOMPARE(first.labels.value(u"severity"_s), u"critical"_s);
        QCOMPARE(first.source, u"simulator"_s);
        QVERIFY(first.annotations.value(u"summary"_s).contains(u"95%"_s));

        rig.fleet().database.sessions.removeIf([](const DbSession &s) { return s.leaked; });
        rig.advance(10s);
        QVERIFY(!rig.firing(u"DbConnectionPoolExhausted"_s));
        bool resolvedSeen = false;
        for (const auto &args : spy) {
            for (const AlertChange &c : args.at(0).value<QList<AlertChange>>())
                resolvedSeen |= c.kind == AlertChange::Kind::Resolved && c.alert.fingerprint == first.fingerprint;
        }
        QVERIFY(resolvedSeen);
        rig.world().inject(Fault::connectionLeak(u"orders-worker"_s, 2min, 9));
        rig.advance(30s);
        QCOMPARE(
            rig.world().firingAlerts().front().fingerprint, first.fingerprint); // the same condition, the same alert
    }
};

QTEST_GUILESS_MAIN(TestSimulatedWorld)
#include "tst_simulatedworld.moc"

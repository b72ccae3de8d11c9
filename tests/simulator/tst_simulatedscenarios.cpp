#include "simrig.h"

#include <QSignalSpy>

using namespace antibody;
using namespace antibody::sim;
using namespace antibody::sim::test;

namespace {

QStringList playAndRecord(const Scenario &s, Duration length)
{
    Rig rig(s.seed, s.start());
    QStringList changes;
    QObject context;
    QObject::connect(&rig.world(), &World::alertsChanged, &context, [&](const QList<AlertChange> &list) {
        for (const AlertChange &c : list)
            changes << u"%1 %2 %3 %4"_s.arg(formatTime(rig.clock.now()))
                           .arg(int(c.kind))
                           .arg(c.alert.name, c.alert.fingerprint);
    });
    rig.env.play(s);
    rig.advance(length);
    return changes;
}

} // namespace

class TestSimulatedScenarios : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theIssuesScenariosAreThere()
    {
        for (const QString &name : { u"connection-pool-exhaustion"_s, u"checkout-cpu-saturation"_s,
                 u"crashloop-restart-fails"_s, u"bad-deploy-rollback"_s, u"traffic-spike-scale"_s, u"cert-expiry"_s,
                 u"data-corruption"_s, u"security-incident"_s, u"unknown-cascade"_s, u"db-failover-replication-lag"_s })
            QVERIFY2(findScenario(name), qPrintable(name));
        QVERIFY(!findScenario(u"no-such-scenario"));
    }

    void everyScenarioSaysWhatAGoodRunIs_data()
    {
        QTest::addColumn<QString>("name");
        for (const Scenario &s : scenarios())
            QTest::addRow("%s", qPrintable(s.name)) << s.name;
    }
    void everyScenarioSaysWhatAGoodRunIs()
    {
        QFETCH(QString, name);
        const Scenario &s = *findScenario(name);
        QVERIFY(!s.description.isEmpty() && !s.description.contains(u'\n') && s.description.size() <= 120);
        QVERIFY(s.seed != 0);
        QVERIFY(parseTime(s.startsAt).has_value());
        QVERIFY(!s.script.isEmpty());
        for (const Scenario::Step &step : s.script)
            QVERIFY(step.at < s.horizon);
        QVERIFY(s.expect.outcome == u"resolved" || s.expect.outcome == u"escalated");
        QCOMPARE(s.expect.maxMttr.has_value(), s.expect.outcome == u"resolved");
        QVERIFY(!s.expect.story.isEmpty());
        for (const QString &action : s.expect.executes)
            QVERIFY(!s.expect.neverExecutes.contains(action));
    }

    void everyScenarioRaisesItsSignal_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("alert");
        QTest::addColumn<QString>("service");
        QTest::addColumn<int>("withinSeconds");
        QTest::addRow("connection-pool-exhaustion")
            << u"connection-pool-exhaustion"_s << u"DbConnectionPoolExhausted"_s << u"orders-db"_s << 60;
        // Its runbook triggers on the CPU expression; the alert the saturation raises is the latency's.
        QTest::addRow("checkout-cpu-saturation")
            << u"checkout-cpu-saturation"_s << u"HighLatency"_s << u"checkout-svc"_s << 300;
        QTest::addRow("crashloop-restart-fails")
            << u"crashloop-restart-fails"_s << u"KubePodCrashLooping"_s << u"checkout-svc"_s << 180;
        // Crashes 5 s after each start: the third restart comes sooner than above.
        QTest::addRow("crashloop-restart-heals")
            << u"crashloop-restart-heals"_s << u"KubePodCrashLooping"_s << u"checkout-svc"_s << 100;
        QTest::addRow("bad-deploy-rollback")
            << u"bad-deploy-rollback"_s << u"HighErrorRate"_s << u"checkout-svc"_s << 360;
        QTest::addRow("traffic-spike-scale") << u"traffic-spike-scale"_s << u"HighLatency"_s << u"search-svc"_s << 360;
        QTest::addRow("cert-expiry") << u"cert-expiry"_s << u"BlackboxSslCertificateWillExpireSoon"_s
                                     << u"api-gateway"_s << 60;
        QTest::addRow("data-corruption") << u"data-corruption"_s << u"DataCorruptionSuspected"_s << u"orders-db"_s
                                         << 60;
        QTest::addRow("security-incident")
            << u"security-incident"_s << u"SecurityIncident"_s << u"checkout-svc"_s << 60;
        QTest::addRow("unknown-cascade") << u"unknown-cascade"_s << u"CascadingFailure"_s << u"search-svc"_s << 240;
        QTest::addRow("db-failover-replication-lag: lag")
            << u"db-failover-replication-lag"_s << u"ReplicationLagHigh"_s << u"orders-db"_s << 180;
        QTest::addRow("db-failover-replication-lag: primary")
            << u"db-failover-replication-lag"_s << u"PostgreSQLDown"_s << u"orders-db"_s << 240;
        QTest::addRow("payments-in-flight")
            << u"payments-in-flight"_s << u"PaymentsInFlight"_s << u"payments-svc"_s << 180;
        QTest::addRow("region-degraded") << u"region-degraded"_s << u"RegionDegraded"_s << u"api-gateway"_s << 240;
    }
    void everyScenarioRaisesItsSignal()
    {
        QFETCH(QString, name);
        QFETCH(QString, alert);
        QFETCH(QString, service);
        QFETCH(int, withinSeconds);
        const Scenario &s = *findScenario(name);
        Rig rig(s.seed, s.start());
        rig.env.play(s);
        QVERIFY(rig.runUntil([&] { return rig.firing(alert, service); }, Duration { withinSeconds * 1000 }));
    }

    void everyFaultHasAScenarioToDrillIt()
    {
        const QStringList names = faultNames();
        QCOMPARE(names.size(), 13); // every kind of Fault
        for (const QString &name : names) {
            const Scenario *s = scenarioForFault(name);
            QVERIFY2(s, qPrintable(name));
            QVERIFY(std::any_of(s->script.cbegin(), s->script.cend(),
                [&](const Scenario::Step &step) { return step.fault.kindName() == name; }));
        }
        QCOMPARE(scenarioForFault(u"connection_leak")->name, u"connection-pool-exhaustion"_s);
        QCOMPARE(scenarioForFault(u"primary_down")->name, u"db-failover-replication-lag"_s);
        QVERIFY(!scenarioForFault(u"meteor_strike"));
    }

    void playingAScenarioTwiceGivesTheSameAlerts()
    {
        const Scenario &s = *findScenario(u"checkout-cpu-saturation");
        const QStringList first = playAndRecord(s, 10min);
        QVERIFY(first.size() >= 3);
        QCOMPARE(playAndRecord(s, 10min), first);
    }
};

QTEST_GUILESS_MAIN(TestSimulatedScenarios)
#include "tst_simulatedscenarios.moc"

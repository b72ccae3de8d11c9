// One incident per problem, one page per problem: the same alert again (a new
// count in its summary) stays in its incident, even once escalated; alerts that
// agree on the runbook's `group_by` are one incident; `symptoms` join the incident
// that causes them; a level 3 fix that did not work tries again inside its
// incident until the breaker opens; never-automate conditions page at once.
#include "tests/engine/doubles/enginerig.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using namespace antibody::test;
using Kind = EngineEvent::Kind;

namespace {

Runbook restartRunbook()
{
    return RunbookBuilder(u"crashloop"_s)
        .level(3)
        .alert(u"PodCrashLooping"_s)
        .step(u"restart"_s, u"restart_pods"_s, {}, u"15%"_s, {}, 1)
        .step(u"verify"_s, u"wait_for_metric"_s,
            { { u"metric"_s, u"pods_ready"_s }, { u"above"_s, u"4.5"_s }, { u"timeout"_s, u"60s"_s } })
        .step(u"page"_s, u"page_oncall"_s, { { u"context"_s, u"restarts did not help"_s } }, {}, u"verify.failed"_s)
        .build();
}

void crashloopFleet(EngineRig &rig)
{
    rig.workload.setFleet(u"pods"_s, u"catalog-svc"_s,
        { pod(u"catalog-svc-1"_s, 0.2, false, u"crashloop"_s), pod(u"catalog-svc-2"_s), pod(u"catalog-svc-3"_s),
            pod(u"catalog-svc-4"_s), pod(u"catalog-svc-5"_s) });
    rig.metrics.set(u"pods_ready"_s, u"catalog-svc"_s, 4); // restarts never bring the fifth pod back
}

Runbook levelZero(const QString &name, const QString &alert)
{
    return RunbookBuilder(name).level(0).alert(alert).step(u"look"_s, u"collect_diagnostics"_s).build();
}

} // namespace

class TestProblems : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aFailingFixTriesAgainInsideOneIncidentUntilTheBreakerOpens()
    {
        EngineRig rig;
        crashloopFleet(rig);
        rig.start({ restartRunbook() });
        const Labels labels { { u"service"_s, u"catalog-svc"_s }, { u"pod"_s, u"catalog-svc-1"_s } };
        rig.alerts.fire(u"PodCrashLooping"_s, labels);
        // The alert keeps firing, its count growing, for 15 minutes.
        for (int i = 0; i < 30; ++i) {
            rig.run(30s);
            rig.alerts.fire(u"PodCrashLooping"_s, labels);
        }
        const Incident only = rig.onlyIncident();
        QCOMPARE(only.state, IncidentState::Escalated);
        QCOMPARE(rig.workload.executed.size(), 3); // three attempts, cooldowns apart, then the breaker
        QCOMPARE(rig.count(Kind::BreakerOpened), 1);
        QVERIFY2(only.history.last().reason.contains(u"breaker"_s)
                || rig.timeline().contains(u"breaker for crashloop opened"_s),
            qPrintable(rig.timeline()));
        // One page for the failed fix, one more when it grew critical (the breaker); the
        // runbook's page step on attempts 2 and 3 said nothing new.
        QCOMPARE(rig.pager.pages(), 2);
        int notAgain = 0;
        for (const EngineEvent &e : rig.eventsOf(Kind::StepFinished))
            notAgain += e.detail.contains(u"not paged again"_s);
        QCOMPARE(notAgain, 2);
    }

    void attemptsAreBoundedWhenTheBreakerWindowIsShorterThanTheCooldown()
    {
        Runbook rb = restartRunbook();
        rb.breaker.window = Duration { 60'000 }; // failures fall out of the window before the next try
        EngineRig rig;
        crashloopFleet(rig);
        rig.start({ rb });
        const Labels labels { { u"service"_s, u"catalog-svc"_s } };
        rig.alerts.fire(u"PodCrashLooping"_s, labels);
        rig.run(60min);
        QCOMPARE(rig.onlyIncident().state, IncidentState::Escalated);
        QCOMPARE(rig.workload.executed.size(), 3); // the breaker's `failures`, never more
        QCOMPARE(rig.count(Kind::BreakerOpened), 0);
    }

    void anEscalatedIncidentKeepsItsStillFiringAlert()
    {
        EngineRig rig;
        rig.start({ levelZero(u"look"_s, u"DiskFilling"_s) });
        const Labels labels { { u"service"_s, u"orders-db"_s } };
        rig.alerts.fire(u"DiskFilling"_s, labels);
        rig.run(10s);
        const QString id = rig.onlyIncident().id;
        rig.engine->cancel(id, u"alice"_s); // a human takes it
        rig.run(10s);
        QCOMPARE(rig.onlyIncident().state, IncidentState::Escalated);
        rig.alerts.fire(u"DiskFilling"_s, labels); // the same alert, still firing
        rig.run(10s);
        QCOMPARE(rig.engine->incidents().size(), 1);
    }

    void alertsAgreeingOnGroupByAreOneIncident()
    {
        Runbook rb = levelZero(u"region"_s, u"RegionDegraded"_s);
        rb.groupBy = { u"region"_s };
        EngineRig rig;
        rig.start({ rb });
        for (const QString &service : { u"checkout-svc"_s, u"orders-svc"_s, u"search-svc"_s })
            rig.alerts.fire(u"RegionDegraded"_s, { { u"service"_s, service }, { u"region"_s, u"us-east-1"_s } });
        rig.alerts.fire(u"RegionDegraded"_s, { { u"service"_s, u"checkout-svc"_s }, { u"region"_s, u"eu-west-1"_s } });
        rig.run(10s);
        const QList<Incident> incidents = rig.engine->incidents();
        QCOMPARE(incidents.size(), 2);
        for (const Incident &i : incidents) {
            const int expected = i.labels.value(u"region"_s) == u"us-east-1"_s ? 3 : 1;
            QCOMPARE(i.alertFingerprints.size(), expected);
            QCOMPARE(i.diagnostics.value(u"alerts"_s).toArray().size(), expected);
        }
    }

    void symptomsJoinTheIncidentThatCausesThem()
    {
        Runbook region = levelZero(u"region"_s, u"RegionDegraded"_s);
        region.groupBy = { u"region"_s };
        region.symptoms << *TriggerExpression::parse(u"HighErrorRate", nullptr);
        EngineRig rig;
        rig.start({ region });
        rig.alerts.fire(u"HighErrorRate"_s, { { u"service"_s, u"search-svc"_s } }); // before: its own incident
        rig.run(5s);
        rig.alerts.fire(u"RegionDegraded"_s, { { u"service"_s, u"checkout-svc"_s }, { u"region"_s, u"us-east-1"_s } });
        rig.run(5s);
        for (const QString &service : { u"checkout-svc"_s, u"orders-svc"_s })
            rig.alerts.fire(u"HighErrorRate"_s, { { u"service"_s, service } });
        rig.alerts.fire(u"HighLatency"_s, { { u"service"_s, u"orders-svc"_s } }); // not a symptom it names
        rig.run(5s);
        QCOMPARE(rig.engine->incidents().size(), 3);
        int grouped = 0;
        for (const Incident &i : rig.engine->incidents()) {
            if (i.runbook == u"region"_s) {
                // The error rate that fired first was folded in when the region's incident opened.
                QCOMPARE(i.alertFingerprints.size(), 4);
                grouped = 1;
            } else if (i.labels.value(u"alertname"_s) == u"HighErrorRate"_s) {
                QCOMPARE(i.state, IncidentState::Resolved);
                QVERIFY2(i.history.last().reason.contains(u"grouped into"_s), qPrintable(i.history.last().reason));
            } else {
                QCOMPARE(i.labels.value(u"alertname"_s), u"HighLatency"_s);
                QVERIFY(!isFinal(i.state));
            }
        }
        QCOMPARE(grouped, 1);
    }

    void theSameAlertWithANewCountIsListedOnce()
    {
        EngineRig rig;
        rig.start({ levelZero(u"look"_s, u"PodCrashLooping"_s) });
        const Labels labels { { u"service"_s, u"checkout-svc"_s }, { u"pod"_s, u"checkout-svc-3"_s } };
        for (int times : { 3, 5, 9 }) {
            rig.alerts.fire(u"PodCrashLooping"_s, labels);
            Q_UNUSED(times);
            rig.run(30s);
        }
        QCOMPARE(rig.engine->incidents().size(), 1);
        QCOMPARE(rig.onlyIncident().diagnostics.value(u"alerts"_s).toArray().size(), 1);
    }

    void aNeverAutomateConditionPagesAtOnce_data()
    {
        QTest::addColumn<QString>("guard");
        QTest::addColumn<bool>("slowDiagnosis");
        QTest::addRow("security incident") << u"security_incident"_s << false;
        QTest::addRow("data corruption") << u"data_corruption"_s << false;
        QTest::addRow("security incident, diagnosis hangs") << u"security_incident"_s << true;
    }

    void aNeverAutomateConditionPagesAtOnce()
    {
        QFETCH(QString, guard);
        const Runbook rb = RunbookBuilder(u"never"_s)
                               .level(2)
                               .alert(u"{guard=~\".+\"}"_s)
                               .step(u"preserve"_s, u"collect_diagnostics"_s)
                               .step(u"isolate"_s, u"isolate_host"_s, {}, u"1"_s)
                               .step(u"page"_s, u"page_oncall"_s, { { u"severity"_s, u"critical"_s } })
                               .build();
        EngineRig rig;
        rig.start({ rb });
        QFETCH(bool, slowDiagnosis);
        rig.diagnostics.setSilent(slowDiagnosis); // a diagnosis that never answers does not hold the page back
        rig.alerts.fire(u"Intrusion"_s,
            { { u"service"_s, u"payments-svc"_s }, { u"host"_s, u"worker-3"_s }, { u"guard"_s, guard } });
        rig.run(slowDiagnosis ? 29s : 1s);
        QCOMPARE(rig.pager.pages(), slowDiagnosis ? 0 : 1);
        rig.run(2s);
        QCOMPARE(rig.pager.pages(), 1);
        QCOMPARE(rig.pager.sent.front().details.contains(u"steps"_s),
            !slowDiagnosis); // the diagnosis rides along when it is in
        QCOMPARE(rig.pager.sent.front().severity, u"critical"_s);
        QVERIFY2(
            rig.pager.sent.front().summary.contains(u"never-automate"_s), qPrintable(rig.pager.sent.front().summary));
        rig.run(30min); // whatever waits for approval meanwhile, the human was told once
        QCOMPARE(rig.pager.pages(), 1);
    }
};

QTEST_GUILESS_MAIN(TestProblems)
#include "tst_problems.moc"

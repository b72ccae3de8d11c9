// What a restart finds in the store: executions a crash left in flight are
// marked interrupted and escalated, never re-run; open breakers and running
// cooldowns still hold.
#include "tests/engine/doubles/enginerig.h"

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
        .alert(u"PodCrashLooping"_s)
        .step(u"restart"_s, u"restart_pods"_s, {}, u"1"_s, {}, 1)
        .build();
}

} // namespace

class TestRecovery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void inFlightExecutionIsInterruptedEscalatedAndNeverRerun()
    {
        EngineRig rig;
        Proposal stored;
        stored.id = u"INC-dead01-P1"_s;
        stored.incidentId = u"INC-dead01"_s;
        stored.plan.fingerprint = u"fp"_s;
        stored.decision.mode = Mode::Approve;
        stored.expiresAt = rig.clock.now() + Duration { 15 * 60'000 };
        rig.store.saveProposal(stored);
        rig.store.recordApproval({ stored.id, u"fp"_s, u"alice"_s, rig.clock.now(), true, {} });
        const auto claim = rig.store.claimExecution(
            u"INC-dead01-P1"_s, u"fp"_s, u"alice@laptop (pid 4711)"_s, u"alice"_s, rig.clock.now());
        StepRecord step;
        step.executionId = claim.executionId;
        step.incidentId = u"INC-dead01"_s;
        step.step = u"kill_idle"_s;
        step.action = u"terminate_connections"_s;
        step.targets = { u"pid 4019"_s, u"pid 4018"_s };
        step.startedAt = rig.clock.now();
        step.id = rig.store.recordStepIntent(step); // the process died here, before the outcome
        rig.run(1min);
        rig.start({});
        rig.run(1min);
        QCOMPARE(rig.count(Kind::Interrupted), 1);
        const EngineEvent interrupted = rig.eventsOf(Kind::Interrupted).front();
        QCOMPARE(interrupted.incidentId, u"INC-dead01"_s);
        QVERIFY2(interrupted.detail.contains(u"not re-run"_s) && interrupted.detail.contains(u"kill_idle"_s),
            qPrintable(interrupted.detail));
        QCOMPARE(rig.count(Kind::Escalated), 1);
        QVERIFY(rig.eventsOf(Kind::Escalated).front().detail.contains(u"pid 4019"_s));
        QCOMPARE(rig.pager.pages(), 1);
        QCOMPARE(rig.store.executions().value(claim.executionId).outcome, std::optional(ExecutionOutcome::Interrupted));
        QVERIFY(rig.store.unfinishedExecutions().isEmpty());
        QCOMPARE(rig.database.executed.size(), 0);
        // and the interrupted proposal can never be executed again
        QVERIFY(!rig.store.claimExecution(u"INC-dead01-P1"_s, u"fp"_s, u"bob"_s, u"bob"_s, rig.clock.now()).granted);
    }

    void openBreakerSurvivesARestart()
    {
        EngineRig rig;
        BreakerState open;
        open.type = u"crashloop"_s;
        open.state = BreakerState::State::Open;
        open.openedAt = rig.clock.now();
        open.failures = { rig.clock.now(), rig.clock.now(), rig.clock.now() };
        rig.store.saveBreaker(open);
        rig.workload.setFleet(u"pods"_s, u"catalog-svc"_s, { pod(u"a"_s, 0.1, false) });
        rig.start({ restartRunbook() });
        rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s } });
        rig.run(1min);
        QCOMPARE(rig.workload.executed.size(), 0);
        QCOMPARE(rig.onlyIncident().state, IncidentState::Escalated);
    }

    void runningCooldownSurvivesARestart()
    {
        EngineRig rig;
        rig.store.saveCooldown({ u"service/catalog-svc"_s, rig.clock.now() + 2min, u"crashloop ran (resolved)"_s });
        rig.workload.setFleet(u"pods"_s, u"catalog-svc"_s, { pod(u"a"_s, 0.1, false) });
        rig.start({ restartRunbook() });
        rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s } });
        rig.run(1min);
        QCOMPARE(rig.workload.executed.size(), 0);
        rig.run(2min);
        QCOMPARE(rig.workload.executed.size(), 1);
    }

    void cancelStopsBetweenPasses()
    {
        EngineRig rig;
        QList<Target> pods;
        for (int i = 0; i < 6; ++i)
            pods << pod(u"p%1"_s.arg(i), 0.1, false);
        rig.workload.setFleet(u"pods"_s, u"catalog-svc"_s, pods);
        rig.workload.setLatency(20s);
        const Runbook rb = RunbookBuilder(u"crashloop"_s)
                               .alert(u"PodCrashLooping"_s)
                               .step(u"restart"_s, u"restart_pods"_s, {}, u"1"_s, {}, 6)
                               .build();
        rig.start({ rb });
        rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s } });
        rig.run(5s);
        QCOMPARE(rig.workload.executed.size(), 1);
        rig.engine->cancel(rig.onlyIncident().id, u"alice"_s);
        rig.run(5min);
        QCOMPARE(rig.workload.executed.size(), 1);
        QCOMPARE(rig.onlyIncident().state, IncidentState::Escalated);
        QCOMPARE(rig.count(Kind::Cancelled), 1);
        QCOMPARE(rig.store.executions().begin()->outcome, std::optional(ExecutionOutcome::Cancelled));
    }

    void destroyingTheEngineMidFlightIsSafe()
    {
        auto rig = std::make_unique<EngineRig>();
        rig->workload.setFleet(u"pods"_s, u"catalog-svc"_s, { pod(u"a"_s, 0.1, false) });
        rig->workload.setLatency(20s);
        rig->start({ restartRunbook() });
        rig->alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s } });
        rig->run(5s);
        rig->engine.reset();
        rig->run(5min); // pending timers and answers find no engine, and do nothing
        QCOMPARE(rig->workload.executed.size(), 1);
    }

    void dryRunPlansWithoutTouchingAnything()
    {
        EngineRig rig;
        rig.workload.setFleet(u"pods"_s, u"catalog-svc"_s, { pod(u"a"_s, 0.1, false), pod(u"b"_s), pod(u"c"_s) });
        rig.start({});
        std::optional<Proposal> result;
        rig.engine->dryRun(
            restartRunbook(), { { u"service"_s, u"catalog-svc"_s } }, [&](const Proposal &p) { result = p; });
        rig.run(1s);
        QVERIFY(result);
        QCOMPARE(result->decision.mode, Mode::Auto);
        QCOMPARE(result->plan.step(u"restart")->blastRadius->chosen, QStringList { u"a"_s });
        QCOMPARE(rig.workload.executed.size(), 0);
        QVERIFY(rig.events.isEmpty());
        QVERIFY(rig.store.events().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRecovery)
#include "tst_recovery.moc"

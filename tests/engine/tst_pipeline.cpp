// The pipeline end to end on test doubles, in virtual time: detect, diagnose,
// plan with blast radius, decide, execute in passes, verify, resolve or escalate.
#include "engine/pipeline/steprunner.h"
#include "engine/runbook/actioncatalog.h"
#include "tests/engine/doubles/enginerig.h"
#include "tests/engine/doubles/poolworld.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using namespace antibody::test;
using Kind = EngineEvent::Kind;

namespace {

// The seed's runbook at level 3, as docs/runbook-format.md shows it (docs/design.md, "The article").
Runbook seedRunbook(int level = 3)
{
    return RunbookBuilder(u"connection-pool-exhaustion"_s)
        .level(level)
        .alert(u"db_connection_pool_utilization > 90%"_s)
        .step(u"diagnose"_s, u"query_metrics"_s,
            { { u"metric"_s, u"db_active_connections"_s }, { u"window"_s, u"5m"_s } })
        .step(u"kill_idle"_s, u"terminate_connections"_s, { { u"state"_s, u"idle"_s }, { u"older_than"_s, u"300s"_s } },
            u"15%"_s)
        .step(u"verify_recovery"_s, u"wait_for_metric"_s,
            { { u"metric"_s, u"db_pool_utilization"_s }, { u"below"_s, u"70%"_s }, { u"timeout"_s, u"120s"_s } })
        .step(u"escalate_if_failed"_s, u"page_oncall"_s,
            { { u"severity"_s, u"high"_s }, { u"context"_s, u"Auto-remediation failed"_s } }, {},
            u"verify_recovery.failed"_s)
        .build();
}

} // namespace

class TestPipeline : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void seedPoolHealsItselfInCappedPasses()
    {
        EngineRig rig;
        PoolWorld pool(rig.metrics, rig.database);
        QCOMPARE(pool.used(), 19); // 95%
        rig.start({ seedRunbook() });
        rig.run(5min);

        const Incident inc = rig.onlyIncident();
        QVERIFY2(inc.state == IncidentState::Resolved, qPrintable(rig.timeline()));
        // 15% per pass of what is in use: 19 -> 17 -> 15 -> 13, the goal (< 70%) holds after the third.
        QCOMPARE(rig.database.executed.size(), 3);
        QCOMPARE(rig.database.executed.at(0).targets.size(), 2);
        QCOMPARE(rig.database.executed.at(1).targets.size(), 2);
        QCOMPARE(rig.database.executed.at(2).targets.size(), 2);
        QCOMPARE(pool.used(), 13);
        // Oldest idle connections first, never an active one.
        QCOMPARE(rig.database.executed.at(0).targets, (QStringList { u"pid 4019"_s, u"pid 4018"_s }));
        const Duration mttr = *inc.resolvedAt - inc.detectedAt;
        QVERIFY2(mttr < 45s, qPrintable(formatDuration(mttr)));
        QCOMPARE(rig.pager.pages(), 0); // healed: nobody woken up
        QVERIFY(rig.count(Kind::Notified) >= 1); // "healed, notified after"
        QCOMPARE(rig.count(Kind::Resolved), 1);
        QCOMPARE(rig.count(Kind::Approved), 0);
        if (qEnvironmentVariableIsSet("SHOW_TIMELINE"))
            qInfo().noquote() << rig.timeline();
        // The proposal said what it would touch before it ran.
        const auto proposed = rig.eventsOf(Kind::Proposed);
        QCOMPARE(proposed.size(), 1);
        const QJsonObject radius = proposed.front().data.value(u"blast_radius"_s).toArray().at(0).toObject();
        QCOMPARE(radius.value(u"affected"_s).toInt(), 2);
        QCOMPARE(radius.value(u"fleet_size"_s).toInt(), 19);
        QCOMPARE(radius.value(u"cap_count"_s).toInt(), 2);
        QCOMPARE(radius.value(u"cap"_s).toString(), u"15%"_s);
        QCOMPARE(proposed.front().data.value(u"mode"_s).toString(), u"auto"_s);
    }

    void intentIsStoredBeforeEverySideEffect()
    {
        EngineRig rig;
        PoolWorld pool(rig.metrics, rig.database);
        rig.start({ seedRunbook() });
        rig.run(5min);
        const auto executions = rig.store.executions();
        QCOMPARE(executions.size(), 1);
        const ExecutionRecord &x = executions.begin().value();
        QCOMPARE(x.outcome, std::optional(ExecutionOutcome::Resolved));
        QCOMPARE(x.steps.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const StepRecord &s = x.steps.at(i);
            QCOMPARE(s.pass, i + 1);
            QCOMPARE(s.outcome, std::optional(StepResult::Succeeded));
            // the intent's start is not after the executor saw the request
            QVERIFY(s.startedAt <= rig.database.executed.at(i).at);
            QCOMPARE(s.targets, rig.database.executed.at(i).targets);
        }
        // Every event reached the audit trail, in the order observers saw them.
        QCOMPARE(rig.store.events().size(), rig.events.size());
    }

    void failedVerificationEscalatesWithDiagnostics()
    {
        EngineRig rig;
        PoolWorld pool(rig.metrics, rig.database, 18, 1); // almost all active: killing idle ones cannot help
        rig.start({ seedRunbook() });
        rig.run(10min);
        const Incident inc = rig.onlyIncident();
        QVERIFY2(inc.state == IncidentState::Escalated, qPrintable(rig.timeline()));
        QCOMPARE(rig.pager.pages(), 1); // the runbook's own escalation step, and only it
        const Notification page = rig.pager.sent.front();
        QVERIFY(page.summary.contains(u"Auto-remediation failed"_s));
        QVERIFY2(page.details.contains(u"steps"_s), "the page carries the diagnostics already collected");
        QVERIFY(page.details.value(u"steps"_s).toObject().contains(u"diagnose"_s));
        // the target states the plan was made from are in the bundle too
        const QJsonArray members = page.details.value(u"targets"_s)
                                       .toObject()
                                       .value(u"kill_idle"_s)
                                       .toObject()
                                       .value(u"members"_s)
                                       .toArray();
        QCOMPARE(members.size(), 19);
        QCOMPARE(members.at(0).toObject().value(u"state"_s).toString(), u"active"_s);
        QCOMPARE(inc.facts.value(u"verify_recovery.failed"_s).toBool(), true);
        QCOMPARE(inc.facts.value(u"escalate_if_failed.succeeded"_s).toBool(), true);
    }

    void nothingQualifiesThenEscalates()
    {
        EngineRig rig;
        PoolWorld pool(rig.metrics, rig.database, 19, 0);
        rig.start({ seedRunbook() });
        rig.run(10min);
        QCOMPARE(rig.database.executed.size(), 0);
        QCOMPARE(rig.onlyIncident().state, IncidentState::Escalated);
    }

    void branchesOnDiagnosisFacts()
    {
        EngineRig rig;
        rig.workload.setFleet(
            u"pods"_s, u"checkout-svc"_s, { pod(u"c-1"_s), pod(u"c-2"_s), pod(u"c-3"_s), pod(u"c-4"_s) });
        rig.diagnostics.onExecute([](const ActionRequest &) {
            ActionResult r;
            r.ok = true;
            r.facts = { { u"cause"_s, u"traffic_spike"_s }, { u"traffic_ratio"_s, 2.4 } };
            r.detail = u"traffic is 2.4x its usual level"_s;
            return r;
        });
        const Runbook rb
            = RunbookBuilder(u"pool-or-traffic"_s)
                  .alert(u"HighLatency{service=\"checkout-svc\"}"_s)
                  .step(u"diagnose"_s, u"collect_diagnostics"_s)
                  .step(u"reset_pool"_s, u"reset_connection_pool"_s, {}, u"1"_s, u"diagnose.cause == leak"_s)
                  .step(u"scale_out"_s, u"scale"_s, { { u"by"_s, u"1"_s }, { u"max"_s, u"10"_s } }, u"50%"_s,
                      u"diagnose.cause == traffic_spike"_s)
                  .build();
        rig.start({ rb });
        rig.alerts.fire(u"HighLatency"_s, { { u"service"_s, u"checkout-svc"_s }, { u"severity"_s, u"critical"_s } });
        rig.run(2min);
        const auto proposed = rig.eventsOf(Kind::Proposed);
        QCOMPARE(proposed.size(), 1);
        const QJsonArray skipped = proposed.front().data.value(u"skipped"_s).toArray();
        QCOMPARE(skipped.size(), 1);
        QVERIFY(skipped.at(0).toString().startsWith(u"reset_pool"_s));
        QCOMPARE(rig.workload.executed.size(), 1);
        QCOMPARE(rig.workload.executed.front().action, u"scale"_s);
        QCOMPARE(rig.workload.executed.front().params.value(u"scale_to"_s).toInt(), 5);
        QVERIFY2(rig.onlyIncident().state == IncidentState::Resolved, qPrintable(rig.timeline()));
    }

    // A diagnosis whose only step fails says so, not that there were no steps.
    void aFailedDiagnosisSaysItFoundNothing()
    {
        EngineRig rig;
        rig.workload.setFleet(u"pods"_s, u"checkout-svc"_s, { pod(u"c-1"_s), pod(u"c-2"_s) });
        rig.diagnostics.onExecute([](const ActionRequest &) {
            ActionResult r;
            r.error = u"no diagnostics executor answers"_s;
            return r;
        });
        rig.start({ RunbookBuilder(u"look-then-scale"_s)
                        .alert(u"HighLatency{service=\"checkout-svc\"}"_s)
                        .step(u"diagnose"_s, u"collect_diagnostics"_s)
                        .step(u"scale_out"_s, u"scale"_s, { { u"by"_s, u"1"_s }, { u"max"_s, u"10"_s } }, u"50%"_s)
                        .build() });
        rig.alerts.fire(u"HighLatency"_s, { { u"service"_s, u"checkout-svc"_s } });
        rig.run(1min);
        const auto diagnosed = rig.eventsOf(Kind::Diagnosed);
        QCOMPARE(diagnosed.size(), 1);
        QVERIFY2(diagnosed.front().detail.startsWith(u"diagnosis found nothing to go on"_s),
            qPrintable(diagnosed.front().detail));
    }

    // Review finding 13: `hold:` is met by fresh samples spanning the hold, not by one good
    // sample read again and again while the data stopped.
    void holdNeedsFreshSamplesAcrossTheHold_data()
    {
        QTest::addColumn<bool>("dataStops");
        QTest::addColumn<StepResult>("outcome");
        QTest::addRow("data keeps coming") << false << StepResult::Succeeded;
        QTest::addRow("data stops after one good sample") << true << StepResult::TimedOut;
    }

    void holdNeedsFreshSamplesAcrossTheHold()
    {
        QFETCH(bool, dataStops);
        QFETCH(StepResult, outcome);
        VirtualClock clock(*parseTime(u"2026-12-04T03:00:00Z"_s));
        TestMetrics metrics(clock);
        metrics.set(u"db_pool_utilization"_s, u"orders-db"_s, 0.5); // under the goal from the start
        const Runbook rb = RunbookBuilder(u"verify"_s)
                               .alert(u"X"_s)
                               .step(u"verify"_s, u"wait_for_metric"_s,
                                   { { u"metric"_s, u"db_pool_utilization"_s }, { u"below"_s, u"70%"_s },
                                       { u"hold"_s, u"60s"_s }, { u"timeout"_s, u"3m"_s } })
                               .build();
        StepRunner::Context ctx;
        ctx.clock = &clock;
        ctx.metrics = &metrics;
        ctx.incident.service = u"orders-db"_s;
        ctx.lastActionAt = clock.now() - Duration { 1'000 };
        if (dataStops)
            metrics.freeze(clock.now()); // the one sample newer than the action, then nothing new
        std::optional<StepOutcome> done;
        StepRunner::run(rb.steps.front(), *ActionCatalog::instance().find(u"wait_for_metric"_s), ctx,
            [&done](const StepOutcome &o) { done = o; });
        clock.advanceBy(Duration { 4 * 60'000 });
        QVERIFY(done);
        QVERIFY2(done->result == outcome, qPrintable(done->text() + u": "_s + done->detail));
    }

    void silentExecutorTimesOut()
    {
        EngineRig rig;
        PoolWorld pool(rig.metrics, rig.database);
        rig.database.setSilent(true);
        rig.start({ seedRunbook() });
        rig.run(10min);
        const Incident inc = rig.onlyIncident();
        QCOMPARE(inc.state, IncidentState::Escalated);
        QCOMPARE(inc.facts.value(u"kill_idle.timed_out"_s).toBool(), true);
        QCOMPARE(inc.facts.value(u"kill_idle.failed"_s).toBool(), true);
        const auto x = rig.store.executions().begin().value();
        QCOMPARE(x.steps.front().outcome, std::optional(StepResult::TimedOut));
    }

    void lateResultOfATimedOutPassIsAudited()
    {
        // Review finding 11: a pass that answers after its step's timeout (60 s) has acted all
        // the same. The step stays timed_out (its outcome was unknown when it was recorded),
        // and the audit trail says what the pass did instead of the answer vanishing.
        EngineRig rig;
        PoolWorld pool(rig.metrics, rig.database);
        rig.database.setLatency(90s);
        rig.start({ seedRunbook() });
        rig.run(5min);
        const Incident inc = rig.onlyIncident();
        QCOMPARE(inc.facts.value(u"kill_idle.timed_out"_s).toBool(), true);
        const auto x = rig.store.executions().begin().value();
        QCOMPARE(x.steps.front().outcome, std::optional(StepResult::TimedOut));
        QList<EngineEvent> late;
        for (const EngineEvent &e : rig.store.events()) {
            if (e.kindName() == u"late_result"_s)
                late << e;
        }
        QVERIFY2(late.size() == 1, qPrintable(rig.timeline()));
        const EngineEvent &e = late.front();
        const ExecutedAction &pass = rig.database.executed.front();
        QCOMPARE(e.incidentId, inc.id);
        QCOMPARE(e.at, pass.at + 90s);
        QCOMPARE(e.data.value(u"step"_s).toString(), u"kill_idle"_s);
        QCOMPARE(e.data.value(u"pass"_s).toInt(), 1);
        QCOMPARE(e.data.value(u"outcome"_s).toString(), u"succeeded"_s);
        QCOMPARE(e.data.value(u"affected"_s).toVariant().toStringList(), pass.targets);
        QCOMPARE(e.data.value(u"facts"_s).toObject().value(u"terminated"_s).toDouble(), double(pass.targets.size()));
        QVERIFY2(e.detail.startsWith(u"late result of kill_idle pass 1 (terminate_connections), which was recorded "
                                     u"timed_out: succeeded after all: terminated pid"_s),
            qPrintable(e.detail));
    }

    void duplicateAlertsMakeOneIncident()
    {
        EngineRig rig;
        rig.workload.setFleet(u"pods"_s, u"catalog-svc"_s, { pod(u"a"_s, 0.5, false), pod(u"b"_s), pod(u"c"_s) });
        const Runbook rb = RunbookBuilder(u"restart"_s)
                               .level(2)
                               .alert(u"PodCrashLooping"_s)
                               .step(u"restart"_s, u"restart_pods"_s, {}, u"1"_s)
                               .build();
        rig.start({ rb });
        rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s }, { u"pod"_s, u"a"_s } });
        rig.alerts.fire(
            u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s }, { u"pod"_s, u"a"_s } }); // the same again
        rig.alerts.fire(
            u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s }, { u"pod"_s, u"b"_s } }); // the same problem
        rig.alerts.fire(
            u"PodCrashLooping"_s, { { u"service"_s, u"search-svc"_s }, { u"pod"_s, u"x"_s } }); // another service
        rig.run(1min);
        QCOMPARE(rig.engine->incidents().size(), 2);
        QCOMPARE(rig.count(Kind::Detected), 2);
    }

    // Review finding 8: alert labels are untrusted (Alertmanager's API is usually open to
    // anyone on the network). A runbook with `services:` handles only the services it
    // lists: an alert for another service, or for none, is not its incident, and the
    // timeline names the runbook that passed on it and why.
    void aRunbookActsOnlyOnTheServicesItLists()
    {
        EngineRig rig;
        rig.workload.setFleet(u"pods"_s, u"catalog-svc"_s, { pod(u"a"_s, 0.5, false), pod(u"b"_s), pod(u"c"_s) });
        rig.workload.setFleet(u"pods"_s, u"payments-svc"_s, { pod(u"p"_s, 0.5, false), pod(u"q"_s), pod(u"r"_s) });
        const Runbook rb = RunbookBuilder(u"crashloop"_s)
                               .alert(u"PodCrashLooping"_s)
                               .services({ u"catalog-svc"_s, u"search-svc"_s })
                               .step(u"restart"_s, u"restart_pods"_s, {}, u"1"_s, {}, 1)
                               .build();
        rig.start({ rb });
        rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"payments-svc"_s } });
        rig.alerts.fire(u"PodCrashLooping"_s, { { u"pod"_s, u"p"_s } }); // no service label
        rig.run(1min);
        QCOMPARE(rig.engine->incidents().size(), 2);
        for (const Incident &i : rig.engine->incidents()) {
            QVERIFY2(i.runbook.isEmpty(), qPrintable(rig.timeline()));
            QCOMPARE(i.level, 0);
        }
        QCOMPARE(rig.workload.fleetQueries, 0);
        QVERIFY(rig.workload.executed.isEmpty());
        QStringList detected;
        for (const EngineEvent &e : rig.eventsOf(Kind::Detected))
            detected << e.detail;
        const QString passedOver
            = u"no runbook matches: alert only; crashloop matches PodCrashLooping but its `services` do not list payments-svc"_s;
        QVERIFY2(detected.filter(passedOver).size() == 1, qPrintable(detected.join(u'\n')));
        QVERIFY2(detected.filter(u"crashloop matches PodCrashLooping but the alert names no service"_s).size() == 1,
            qPrintable(detected.join(u'\n')));

        rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s } });
        rig.run(1min);
        QCOMPARE(rig.engine->incidents().size(), 3);
        QCOMPARE(rig.workload.executed.size(), 1);
        QCOMPARE(rig.workload.executed.front().targets, QStringList { u"a"_s });
    }

    // A runbook that lists services leaves the others to the runbooks that take them.
    void anotherRunbookTakesTheServicesOneDoesNotList()
    {
        EngineRig rig;
        const Runbook narrow
            = RunbookBuilder(u"narrow"_s)
                  .level(0)
                  .alert(u"PodCrashLooping{severity=\"critical\"}"_s) // more specific: wins where it applies
                  .services({ u"catalog-svc"_s })
                  .step(u"look"_s, u"collect_diagnostics"_s)
                  .build();
        const Runbook broad = RunbookBuilder(u"broad"_s)
                                  .level(0)
                                  .alert(u"PodCrashLooping"_s)
                                  .step(u"look"_s, u"collect_diagnostics"_s)
                                  .build();
        rig.start({ narrow, broad });
        rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s }, { u"severity"_s, u"critical"_s } });
        rig.alerts.fire(
            u"PodCrashLooping"_s, { { u"service"_s, u"payments-svc"_s }, { u"severity"_s, u"critical"_s } });
        rig.run(10s);
        QMap<QString, QString> runbookOf;
        for (const Incident &i : rig.engine->incidents())
            runbookOf.insert(i.service, i.runbook);
        QCOMPARE(runbookOf,
            (QMap<QString, QString> { { u"catalog-svc"_s, u"narrow"_s }, { u"payments-svc"_s, u"broad"_s } }));
    }

    // The same for a metric trigger: it fires for the services listed, never for the others.
    void aMetricTriggerFiresOnlyForTheServicesItLists()
    {
        EngineRig rig;
        rig.metrics.set(u"cpu_utilization"_s, u"catalog-svc"_s, 0.97);
        rig.metrics.set(u"cpu_utilization"_s, u"payments-svc"_s, 0.98);
        const Runbook rb = RunbookBuilder(u"hot"_s)
                               .level(0)
                               .alert(u"cpu_utilization > 90%"_s)
                               .services({ u"catalog-svc"_s })
                               .step(u"look"_s, u"collect_diagnostics"_s)
                               .build();
        rig.start({ rb });
        rig.run(1min);
        QCOMPARE(rig.engine->incidents().size(), 1);
        QCOMPARE(rig.onlyIncident().service, u"catalog-svc"_s);
        QCOMPARE(rig.onlyIncident().runbook, u"hot"_s);
    }

    void alertForDurationIsWaitedOut()
    {
        EngineRig rig;
        const Runbook rb = RunbookBuilder(u"slow"_s)
                               .level(1)
                               .alert(u"HighLatency"_s)
                               .holdFor(2min)
                               .step(u"look"_s, u"query_metrics"_s, { { u"metric"_s, u"latency_p99_seconds"_s } })
                               .build();
        rig.start({ rb });
        const QString fp = rig.alerts.fire(u"HighLatency"_s, { { u"service"_s, u"search-svc"_s } });
        rig.run(1min);
        QCOMPARE(rig.engine->incidents().size(), 0);
        rig.run(90s);
        QCOMPARE(rig.engine->incidents().size(), 1);
        Q_UNUSED(fp);
    }

    // Issue 19, item 8: the wait for `for:` held a raw pointer to the engine on a clock
    // that outlives it (the console's world). Gone with the engine, it does nothing.
    void aForWaitOutlivingTheEngineDoesNothing()
    {
        EngineRig rig;
        rig.start({ RunbookBuilder(u"slow"_s)
                        .level(1)
                        .alert(u"HighLatency"_s)
                        .holdFor(2min)
                        .step(u"look"_s, u"query_metrics"_s, { { u"metric"_s, u"latency_p99_seconds"_s } })
                        .build() });
        rig.alerts.fire(u"HighLatency"_s, { { u"service"_s, u"search-svc"_s } });
        rig.run(1min);
        rig.engine.reset();
        rig.run(5min); // under ASan, the unguarded wait read freed memory here
        QVERIFY(rig.events.isEmpty() || rig.events.last().kind != EngineEvent::Kind::Detected);
    }

    void alertResolvingFirstResolvesTheIncident()
    {
        EngineRig rig;
        PoolWorld pool(rig.metrics, rig.database);
        const Runbook rb
            = RunbookBuilder(u"pool"_s)
                  .level(2)
                  .alert(u"DbConnectionPoolExhausted"_s)
                  .step(u"kill_idle"_s, u"terminate_connections"_s, { { u"older_than"_s, u"300s"_s } }, u"15%"_s)
                  .build();
        rig.start({ rb });
        const QString fp = rig.alerts.fire(u"DbConnectionPoolExhausted"_s, { { u"service"_s, u"orders-db"_s } });
        rig.run(30s);
        QCOMPARE(rig.onlyIncident().state, IncidentState::AwaitingApproval);
        rig.alerts.resolve(fp);
        rig.run(30s);
        QCOMPARE(rig.onlyIncident().state, IncidentState::Resolved);
        QCOMPARE(rig.database.executed.size(), 0);
    }

    void levelZeroShowsAndLevelOneProposesAChecklist()
    {
        EngineRig rig;
        PoolWorld pool(rig.metrics, rig.database);
        const Runbook zero = RunbookBuilder(u"zero"_s)
                                 .level(0)
                                 .alert(u"A"_s)
                                 .step(u"kill_idle"_s, u"terminate_connections"_s, {}, u"15%"_s)
                                 .build();
        const Runbook one = RunbookBuilder(u"one"_s)
                                .level(1)
                                .alert(u"B"_s)
                                .step(u"kill_idle"_s, u"terminate_connections"_s, {}, u"15%"_s)
                                .build();
        rig.start({ zero, one });
        rig.alerts.fire(u"A"_s, { { u"service"_s, u"orders-db"_s } });
        rig.alerts.fire(u"B"_s, { { u"service"_s, u"orders-db"_s } });
        rig.alerts.fire(u"Unmatched"_s, { { u"service"_s, u"orders-db"_s } });
        rig.run(1min);
        QCOMPARE(rig.engine->incidents().size(), 3);
        for (const Incident &inc : rig.engine->incidents()) {
            if (inc.runbook == u"one") {
                QCOMPARE(inc.state, IncidentState::Proposed);
                const Proposal p = rig.currentProposal(inc);
                QCOMPARE(p.decision.mode, Mode::Show);
                QCOMPARE(rig.engine->approve(p.id, p.plan.fingerprint, u"alice"_s).status,
                    Engine::ApprovalResult::Status::Refused);
            } else {
                QCOMPARE(inc.state, IncidentState::Open);
                QVERIFY(inc.proposalId.isEmpty());
            }
        }
        QCOMPARE(rig.database.executed.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"

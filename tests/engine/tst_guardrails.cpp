// Each guardrail passes and fails, directly and through the engine, in virtual time.
#include "engine/pipeline/decision.h"
#include "engine/pipeline/guardrails.h"
#include "tests/engine/doubles/enginerig.h"
#include "tests/engine/doubles/poolworld.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using namespace antibody::test;
using Kind = EngineEvent::Kind;
using Verdict = GuardrailResult::Verdict;

namespace {

Runbook restartRunbook(int level = 3)
{
    return RunbookBuilder(u"crashloop"_s)
        .level(level)
        .alert(u"PodCrashLooping"_s)
        .step(u"restart"_s, u"restart_pods"_s, {}, u"15%"_s, {}, 1)
        .step(u"verify"_s, u"wait_for_metric"_s,
            { { u"metric"_s, u"pods_ready"_s }, { u"above"_s, u"4.5"_s }, { u"timeout"_s, u"60s"_s } })
        .step(u"page"_s, u"page_oncall"_s, { { u"context"_s, u"restarts did not help"_s } }, {}, u"verify.failed"_s)
        .build();
}

void crashloopFleet(EngineRig &rig, double ready = 4)
{
    rig.workload.setFleet(u"pods"_s, u"catalog-svc"_s,
        { pod(u"catalog-svc-1"_s, 0.2, false, u"crashloop"_s), pod(u"catalog-svc-2"_s), pod(u"catalog-svc-3"_s),
            pod(u"catalog-svc-4"_s), pod(u"catalog-svc-5"_s) });
    rig.metrics.set(u"pods_ready"_s, u"catalog-svc"_s, ready);
}

Plan planWith(const QString &action, Tier tier, Effect effect, int affected = 1, int fleet = 5, int cap = 1)
{
    Plan p;
    PlannedStep s;
    s.name = action;
    s.action = action;
    s.tier = tier;
    s.effect = effect;
    if (effect == Effect::Mutates) {
        BlastRadius b;
        b.dimension = u"pods"_s;
        for (int i = 0; i < fleet; ++i)
            b.fleet << u"p%1"_s.arg(i);
        b.candidates = b.fleet.mid(0, affected);
        b.chosen = b.candidates;
        b.capCount = cap;
        s.blastRadius = b;
    }
    p.steps << s;
    return p;
}

} // namespace

class TestGuardrails : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // --- each check on its own -------------------------------------------------
    void blastRadiusCheck()
    {
        QCOMPARE(Guardrails::blastRadius(planWith(u"restart_pods"_s, Tier::Safe, Effect::Mutates, 1, 5, 1)).verdict,
            Verdict::Pass);
        const auto over = Guardrails::blastRadius(planWith(u"restart_pods"_s, Tier::Safe, Effect::Mutates, 3, 5, 2));
        QCOMPARE(over.verdict, Verdict::Block);
        QVERIFY(over.reason.contains(u"over its cap"_s));
    }

    void capacityChangeOverHalfTheFleetNeedsApproval()
    {
        QCOMPARE(Guardrails::capacityChange(planWith(u"scale"_s, Tier::Safe, Effect::Mutates, 2, 5, 5)).verdict,
            Verdict::Pass);
        QCOMPARE(Guardrails::capacityChange(planWith(u"scale"_s, Tier::Safe, Effect::Mutates, 3, 5, 5)).verdict,
            Verdict::NeedsApproval);
    }

    void checksOnInput_data()
    {
        QTest::addColumn<QString>("check");
        QTest::addColumn<bool>("failing");
        QTest::addColumn<int>("verdict");
        QTest::addColumn<QString>("fragment");
        for (const char *c : { "cooldown", "circuit_breaker", "freshness", "stale_feed", "never_automate",
                 "one_at_a_time", "rate_limit", "runbook_guard" }) {
            QTest::addRow("%s passes", c) << QString::fromLatin1(c) << false << int(Verdict::Pass) << QString();
        }
        QTest::addRow("cooldown fails") << u"cooldown"_s << true << int(Verdict::Block) << u"cooldown ends in 2m"_s;
        QTest::addRow("breaker fails") << u"circuit_breaker"_s << true << int(Verdict::Block) << u"is open"_s;
        QTest::addRow("freshness fails") << u"freshness"_s << true << int(Verdict::Block) << u"beyond the 2m bound"_s;
        QTest::addRow("stale feed fails")
            << u"stale_feed"_s << true << int(Verdict::Block) << u"alertmanager is down"_s;
        QTest::addRow("never automate fails")
            << u"never_automate"_s << true << int(Verdict::Block) << u"forensic evidence"_s;
        QTest::addRow("one at a time fails") << u"one_at_a_time"_s << true << int(Verdict::Block) << u"INC-other"_s;
        QTest::addRow("rate limit fails") << u"rate_limit"_s << true << int(Verdict::Block) << u"reached the limit"_s;
        QTest::addRow("runbook guard fails")
            << u"runbook_guard"_s << true << int(Verdict::Block) << u"replication lag"_s;
    }
    void checksOnInput()
    {
        QFETCH(QString, check);
        QFETCH(bool, failing);
        QFETCH(int, verdict);
        QFETCH(QString, fragment);
        const TimePoint now = fromMillis(1'780'000'000'000);
        Runbook rb = RunbookBuilder(u"rb"_s)
                         .guard(u"lag"_s, u"diagnose.replication_lag_seconds > 5"_s, u"replication lag is high"_s)
                         .build();
        Incident inc;
        inc.id = u"INC-1"_s;
        inc.service = u"catalog-svc"_s;
        inc.facts.insert(u"diagnose.replication_lag_seconds"_s, failing && check == u"runbook_guard" ? 30.0 : 0.5);
        if (failing && check == u"never_automate")
            inc.guards.insert(Guard::SecurityIncident);
        Plan plan = planWith(u"restart_pods"_s, Tier::Safe, Effect::Mutates);
        plan.dataAsOf = failing && check == u"freshness" ? now - 5min : now - 10s;
        GuardrailInput in;
        in.runbook = &rb;
        in.incident = &inc;
        in.plan = &plan;
        in.now = now;
        in.breaker.type = rb.name;
        if (failing && check == u"circuit_breaker")
            in.breaker.state = BreakerState::State::Open;
        if (failing && check == u"cooldown")
            in.cooldown = Cooldown { u"service/catalog-svc"_s, now + 2min, u"crashloop ran"_s };
        if (failing && check == u"stale_feed")
            in.unhealthyFeeds << FeedHealth { u"alertmanager"_s, FeedHealth::State::Down, u"connection refused"_s,
                now - 1min };
        if (failing && check == u"one_at_a_time")
            in.busyWith = u"INC-other"_s;
        in.automatedInWindow = failing && check == u"rate_limit" ? 10 : 3;
        const QList<GuardrailResult> results = Guardrails::evaluate(in);
        const QString name = check == u"stale_feed" ? u"freshness"_s : check;
        const auto it = std::find_if(
            results.begin(), results.end(), [&](const GuardrailResult &r) { return r.name.startsWith(name); });
        QVERIFY2(it != results.end(), qPrintable(name));
        QCOMPARE(int(it->verdict), verdict);
        QVERIFY(!it->reason.isEmpty());
        QVERIFY2(it->reason.contains(fragment), qPrintable(it->reason));
        if (!failing) {
            for (const GuardrailResult &r : results)
                QVERIFY2(r.pass(), qPrintable(r.name + u": "_s + r.reason));
        }
    }

    void neverAutomateAllowsOnlyApprovedContainment()
    {
        Runbook rb = RunbookBuilder(u"rb"_s).build();
        Incident inc;
        inc.guards.insert(Guard::SecurityIncident);
        const Plan isolate = planWith(u"isolate_host"_s, Tier::Approve, Effect::Mutates);
        const Plan pageOnly = planWith(u"page_oncall"_s, Tier::Safe, Effect::Notifies);
        GuardrailInput in;
        in.runbook = &rb;
        in.incident = &inc;
        in.plan = &isolate;
        QCOMPARE(Guardrails::neverAutomate(in).verdict, Verdict::NeedsApproval);
        in.plan = &pageOnly;
        QCOMPARE(Guardrails::neverAutomate(in).verdict, Verdict::Pass);
    }

    // --- decisions: the strictest contributor wins -----------------------------
    void decisionModes_data()
    {
        QTest::addColumn<int>("level");
        QTest::addColumn<int>("tier");
        QTest::addColumn<int>("confidence");
        QTest::addColumn<int>("guard");
        QTest::addColumn<int>("mode");
        QTest::addRow("level 0") << 0 << int(Tier::Safe) << int(Confidence::High) << int(Verdict::Pass)
                                 << int(Mode::Show);
        QTest::addRow("level 1") << 1 << int(Tier::Safe) << int(Confidence::High) << int(Verdict::Pass)
                                 << int(Mode::Show);
        QTest::addRow("level 2") << 2 << int(Tier::Safe) << int(Confidence::High) << int(Verdict::Pass)
                                 << int(Mode::Approve);
        QTest::addRow("level 3") << 3 << int(Tier::Safe) << int(Confidence::High) << int(Verdict::Pass)
                                 << int(Mode::Auto);
        QTest::addRow("level 4") << 4 << int(Tier::Safe) << int(Confidence::High) << int(Verdict::Pass)
                                 << int(Mode::Auto);
        QTest::addRow("approve tier at level 3")
            << 3 << int(Tier::Approve) << int(Confidence::High) << int(Verdict::Pass) << int(Mode::Approve);
        QTest::addRow("medium confidence at level 3")
            << 3 << int(Tier::Safe) << int(Confidence::Medium) << int(Verdict::Pass) << int(Mode::Approve);
        QTest::addRow("guardrail asks a human")
            << 3 << int(Tier::Safe) << int(Confidence::High) << int(Verdict::NeedsApproval) << int(Mode::Approve);
        QTest::addRow("guardrail blocks at level 3")
            << 3 << int(Tier::Safe) << int(Confidence::High) << int(Verdict::Block) << int(Mode::Blocked);
        QTest::addRow("guardrail blocks at level 2")
            << 2 << int(Tier::Approve) << int(Confidence::Low) << int(Verdict::Block) << int(Mode::Blocked);
        QTest::addRow("never tier") << 3 << int(Tier::Never) << int(Confidence::High) << int(Verdict::Pass)
                                    << int(Mode::Blocked);
    }
    void decisionModes()
    {
        QFETCH(int, level);
        QFETCH(int, tier);
        QFETCH(int, confidence);
        QFETCH(int, guard);
        QFETCH(int, mode);
        Runbook rb = RunbookBuilder(u"rb"_s).build();
        rb.trigger.confidence = Confidence(confidence);
        const Plan plan = planWith(u"restart_pods"_s, Tier(tier), Effect::Mutates);
        const QList<GuardrailResult> guards { GuardrailResult::of(
            GuardrailResult::Check::BlastRadius, Verdict(guard), u"the check's reason"_s) };
        const Decision d = decide(rb, level, plan, guards);
        QCOMPARE(int(d.mode), mode);
        QVERIFY(!d.reasons.isEmpty());
        if (Verdict(guard) != Verdict::Pass && level >= 2)
            QVERIFY2(d.reasons.contains(u"the check's reason"_s), qPrintable(d.reasons.join(u" | "_s)));
    }

    // Why a level 2 plan waits names how many people it waits for: the policy's number
    // for its tier when that is more than the runbook's.
    void theReasonNamesThePeopleThePlanWaitsFor()
    {
        const Runbook rb = RunbookBuilder(u"rb"_s).build();
        const Plan plan = planWith(u"restart_pods"_s, Tier::Safe, Effect::Mutates);
        QVERIFY(decide(rb, 2, plan, {}).reasons.contains(u"level 2: the plan waits for one click of approval"_s));
        const Decision four = decide(rb, 2, plan, {}, 2);
        QVERIFY2(four.reasons.contains(u"level 2: the plan waits for 2 distinct people to approve it"_s),
            qPrintable(four.reasons.join(u" | "_s)));
    }

    // --- through the engine ---------------------------------------------------
    void breakerOpensAfterThreeFailuresAndNoFourthRestartHappens()
    {
        EngineRig rig;
        crashloopFleet(rig); // restarts never bring the fifth pod back
        rig.start({ restartRunbook() });
        for (int i = 0; i < 4; ++i) {
            const QString fp = rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s } });
            rig.run(3min + 5s);
            rig.alerts.resolve(fp);
            rig.run(5s);
        }
        QCOMPARE(rig.workload.executed.size(), 3);
        QCOMPARE(rig.count(Kind::BreakerOpened), 1);
        const auto breakers = rig.engine->breakers();
        QCOMPARE(breakers.size(), 1);
        QCOMPARE(breakers.front().state, BreakerState::State::Open);
        // The fourth incident is escalated with the reason, not remediated. The first
        // three each waited to try again when their alert resolved.
        const auto incidents = rig.engine->incidents();
        QCOMPARE(incidents.size(), 4);
        int blocked = 0;
        for (const Incident &inc : incidents) {
            QVERIFY(isFinal(inc.state));
            if (inc.history.last().reason.contains(u"breaker for crashloop is open"_s)) {
                QCOMPARE(inc.state, IncidentState::Escalated);
                ++blocked;
            }
        }
        if (blocked != 1)
            qInfo().noquote() << rig.timeline();
        QCOMPARE(blocked, 1);
        QVERIFY(rig.pager.pages() >= 4); // three runbook pages, the breaker's page, the blocked one
        QVERIFY2(rig.store.loadBreakers().front().state == BreakerState::State::Open,
            "an open breaker is stored: a restart must not reset it");
    }

    void halfOpenBreakerLetsOneAttemptThrough()
    {
        EngineRig rig;
        crashloopFleet(rig);
        rig.start({ restartRunbook() });
        for (int i = 0; i < 3; ++i) {
            const QString fp = rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s } });
            rig.run(3min + 5s);
            rig.alerts.resolve(fp);
            rig.run(5s);
        }
        QCOMPARE(rig.engine->breakers().front().state, BreakerState::State::Open);
        rig.run(16min);
        rig.metrics.set(u"pods_ready"_s, u"catalog-svc"_s, 5); // the root cause was fixed meanwhile
        rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s } });
        rig.run(2min);
        QCOMPARE(rig.count(Kind::BreakerHalfOpen), 1);
        QCOMPARE(rig.workload.executed.size(), 4);
        QCOMPARE(rig.count(Kind::BreakerClosed), 1);
        QCOMPARE(rig.engine->breakers().front().state, BreakerState::State::Closed);
    }

    void manualResetIsAudited()
    {
        EngineRig rig;
        crashloopFleet(rig);
        rig.start({ restartRunbook() });
        rig.engine->resetBreaker(u"crashloop"_s, u"alice"_s);
        const auto resets = rig.eventsOf(Kind::BreakerReset);
        QCOMPARE(resets.size(), 1);
        QVERIFY(resets.front().detail.contains(u"alice"_s));
        QCOMPARE(rig.store.events().last().kind, Kind::BreakerReset);
    }

    void cooldownDelaysTheNextRemediationOfTheSameService()
    {
        EngineRig rig;
        crashloopFleet(rig, 5); // restarts work
        rig.start({ restartRunbook() });
        const QString fp = rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s } });
        rig.run(1min);
        QCOMPARE(rig.workload.executed.size(), 1);
        rig.alerts.resolve(fp);
        rig.run(5s);
        rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s } });
        rig.run(30s);
        QCOMPARE(rig.workload.executed.size(), 1); // inside the 3 min cooldown
        QVERIFY(rig.eventsOf(Kind::GuardrailBlocked).last().detail.contains(u"cooldown"_s));
        const TimePoint firstRun = rig.workload.executed.front().at;
        rig.run(3min);
        QCOMPARE(rig.workload.executed.size(), 2);
        QVERIFY(rig.workload.executed.last().at - firstRun >= 3min);
    }

    void neverAutomateGuardEscalatesWithoutTouchingAnything()
    {
        EngineRig rig;
        crashloopFleet(rig);
        rig.start({ restartRunbook() });
        rig.alerts.fire(
            u"DataCorruptionSuspected"_s, { { u"service"_s, u"catalog-svc"_s }, { u"guard"_s, u"data_corruption"_s } });
        rig.run(5s);
        rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s } });
        rig.run(2min);
        QCOMPARE(rig.workload.executed.size(), 0);
        bool escalated = false;
        for (const Incident &inc : rig.engine->incidents()) {
            if (inc.runbook == u"crashloop") {
                QCOMPARE(inc.state, IncidentState::Escalated);
                QVERIFY(inc.guards.contains(Guard::DataCorruption));
                QVERIFY(inc.history.last().reason.contains(u"preserve it"_s));
                escalated = true;
            }
        }
        QVERIFY(escalated);
        QVERIFY(rig.pager.pages() >= 1);
    }

    void guardRaisedMidExecutionStopsTheNextPass()
    {
        EngineRig rig;
        PoolWorld pool(rig.metrics, rig.database, 18, 1);
        const Runbook rb
            = RunbookBuilder(u"pool"_s)
                  .alert(u"DbConnectionPoolExhausted"_s)
                  .step(u"kill_idle"_s, u"terminate_connections"_s, { { u"older_than"_s, u"300s"_s } }, u"1"_s, {}, 5)
                  .step(u"verify"_s, u"wait_for_metric"_s,
                      { { u"metric"_s, u"db_pool_utilization"_s }, { u"below"_s, u"10%"_s } })
                  .build();
        // more idle connections so several passes are possible
        auto &conns = rig.database.members(u"connections"_s, u"orders-db"_s);
        for (int i = 0; i < 6; ++i)
            conns << connection(5000 + i, u"idle"_s, 900);
        rig.start({ rb });
        rig.alerts.fire(u"DbConnectionPoolExhausted"_s, { { u"service"_s, u"orders-db"_s } });
        rig.run(3s);
        QCOMPARE(rig.database.executed.size(), 1);
        rig.alerts.fire(
            u"PaymentsInFlight"_s, { { u"service"_s, u"orders-db"_s }, { u"guard"_s, u"transactions_in_flight"_s } });
        rig.run(5min);
        QCOMPARE(rig.database.executed.size(), 1);
        const auto x = rig.store.executions().begin().value();
        QCOMPARE(x.outcome, std::optional(ExecutionOutcome::Escalated));
    }

    void staleFeedWaitsAndRecovers()
    {
        EngineRig rig;
        crashloopFleet(rig, 5);
        rig.start({ restartRunbook() });
        rig.alerts.health(FeedHealth::State::Degraded, u"HTTP 500 from /api/v2/alerts"_s);
        rig.run(1s);
        rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s } });
        rig.run(1min);
        QCOMPARE(rig.workload.executed.size(), 0);
        QCOMPARE(rig.onlyIncident().state, IncidentState::Proposed);
        QVERIFY(rig.onlyIncident().history.last().reason.contains(u"stale"_s));
        rig.alerts.health(FeedHealth::State::Healthy, u"answers again"_s);
        rig.run(1min);
        QCOMPARE(rig.workload.executed.size(), 1);
        QCOMPARE(rig.count(Kind::FeedChanged), 2);
    }

    void staleMetricsNeverTrigger()
    {
        EngineRig rig;
        PoolWorld pool(rig.metrics, rig.database);
        rig.metrics.freeze(rig.clock.now() - 5min); // the exporter stopped five minutes ago
        const Runbook rb = RunbookBuilder(u"pool"_s)
                               .alert(u"db_pool_utilization > 90%"_s)
                               .step(u"kill_idle"_s, u"terminate_connections"_s, {}, u"15%"_s)
                               .build();
        rig.start({ rb });
        rig.run(10min);
        QCOMPARE(rig.engine->incidents().size(), 0);
    }

    // Review finding 12: data that went stale (or vanished) while a metric trigger fired
    // proves nothing: the incident is held, never "resolved by itself".
    void staleDataHoldsAFiringTriggerInsteadOfResolvingIt()
    {
        EngineRig rig;
        PoolWorld pool(rig.metrics, rig.database);
        const Runbook rb = RunbookBuilder(u"pool"_s)
                               .level(2)
                               .alert(u"db_pool_utilization > 90%"_s)
                               .step(u"kill_idle"_s, u"terminate_connections"_s, {}, u"15%"_s)
                               .build();
        rig.start({ rb });
        rig.run(1min);
        QCOMPARE(rig.onlyIncident().state, IncidentState::AwaitingApproval);
        rig.metrics.freeze(rig.clock.now()); // the exporter stops
        rig.run(10min);
        QVERIFY2(!isFinal(rig.onlyIncident().state), qPrintable(rig.timeline()));
        QCOMPARE(rig.count(Kind::Resolved), 0);
        // Fresh data that shows the pool recovered resolves it.
        pool.db.members(u"connections"_s, u"orders-db"_s).resize(8);
        rig.metrics.freeze(TimePoint::max());
        rig.run(1min);
        QCOMPARE(rig.onlyIncident().state, IncidentState::Resolved);
    }

    void runbookGuardRefusesFailoverWhileLagIsHigh()
    {
        EngineRig rig;
        rig.diagnostics.onExecute([](const ActionRequest &) {
            ActionResult r;
            r.ok = true;
            r.facts.insert(u"replication_lag_seconds"_s, 42.0);
            r.detail = u"replica lag 42 s"_s;
            return r;
        });
        Target replica;
        replica.name = u"replica-1"_s;
        replica.labels.insert(u"role"_s, u"replica"_s);
        rig.database.setFleet(u"databases"_s, u"orders-db"_s, { replica });
        const Runbook rb = RunbookBuilder(u"failover"_s)
                               .level(2)
                               .alert(u"DatabasePrimaryDown"_s)
                               .guard(u"replication_lag"_s, u"diagnose.replication_lag_seconds > 5"_s,
                                   u"replication lag is high: a promotion would lose writes"_s)
                               .step(u"diagnose"_s, u"collect_diagnostics"_s)
                               .step(u"failover"_s, u"failover_database"_s, {}, u"1"_s)
                               .build();
        rig.start({ rb });
        rig.alerts.fire(u"DatabasePrimaryDown"_s, { { u"service"_s, u"orders-db"_s } });
        rig.run(1min);
        const Incident inc = rig.onlyIncident();
        QCOMPARE(inc.state, IncidentState::Escalated);
        const Proposal p = rig.currentProposal(inc);
        QCOMPARE(p.decision.mode, Mode::Blocked);
        QVERIFY2(p.blockReason().contains(u"lose writes"_s), qPrintable(p.blockReason()));
        QCOMPARE(
            rig.engine->approve(p.id, p.plan.fingerprint, u"alice"_s).status, Engine::ApprovalResult::Status::Refused);
        QCOMPARE(rig.database.executed.size(), 0);
    }

    void oneRemediationAtATimePerService()
    {
        EngineRig rig;
        crashloopFleet(rig, 5);
        rig.workload.setLatency(30s);
        const Runbook other = RunbookBuilder(u"latency"_s)
                                  .alert(u"HighLatency"_s)
                                  .step(u"reset"_s, u"reset_connection_pool"_s, {}, u"1"_s, {}, 1)
                                  .build();
        rig.start({ restartRunbook(), other });
        rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"catalog-svc"_s } });
        rig.run(2s);
        rig.alerts.fire(u"HighLatency"_s, { { u"service"_s, u"catalog-svc"_s } });
        rig.run(10s);
        QCOMPARE(rig.workload.executed.size(), 1);
        QVERIFY(rig.eventsOf(Kind::GuardrailBlocked).last().detail.contains(u"one remediation at a time"_s));
    }

    void globalRateLimitHoldsAStormOfFixes()
    {
        Engine::Settings s;
        s.rateLimit = 2;
        EngineRig rig(s);
        const Runbook rb = RunbookBuilder(u"restart"_s)
                               .alert(u"PodCrashLooping"_s)
                               .step(u"restart"_s, u"restart_pods"_s, {}, u"1"_s, {}, 1)
                               .build();
        for (const QString &svc : { u"a"_s, u"b"_s, u"c"_s })
            rig.workload.setFleet(u"pods"_s, svc, { pod(svc + u"-1"_s, 0.1, false) });
        rig.start({ rb });
        for (const QString &svc : { u"a"_s, u"b"_s, u"c"_s })
            rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, svc } });
        rig.run(1min);
        QCOMPARE(rig.workload.executed.size(), 2);
        rig.run(10min);
        QCOMPARE(rig.workload.executed.size(), 3); // the window moved on
    }

    void missingExecutorBlocksAndSaysWhatToConfigure()
    {
        EngineRig rig;
        const Runbook rb = RunbookBuilder(u"certs"_s)
                               .alert(u"CertificateExpiringSoon"_s)
                               .step(u"renew"_s, u"renew_certificate"_s, {}, u"1"_s)
                               .build();
        rig.start({ rb });
        rig.alerts.fire(u"CertificateExpiringSoon"_s, { { u"service"_s, u"api-gateway"_s } });
        rig.run(1min);
        const Proposal p = rig.currentProposal(rig.onlyIncident());
        QVERIFY2(p.blockReason().contains(u"certificates"_s) && p.blockReason().contains(u"configure"_s),
            qPrintable(p.blockReason()));
    }

    void levelFourUsesSmallerBatchesUnderHighTraffic()
    {
        EngineRig rig;
        QList<Target> pods;
        for (int i = 0; i < 20; ++i)
            pods << pod(u"p%1"_s.arg(i), 0.2, false);
        rig.workload.setFleet(u"pods"_s, u"search-svc"_s, pods);
        rig.diagnostics.onExecute([](const ActionRequest &) {
            ActionResult r;
            r.ok = true;
            r.facts.insert(u"traffic_ratio"_s, 1.9);
            return r;
        });
        const Runbook rb = RunbookBuilder(u"adaptive"_s)
                               .level(4)
                               .alert(u"PodCrashLooping"_s)
                               .step(u"diagnose"_s, u"collect_diagnostics"_s)
                               .step(u"restart"_s, u"restart_pods"_s, {}, u"15%"_s, {}, 1)
                               .build();
        rig.start({ rb });
        rig.alerts.fire(u"PodCrashLooping"_s, { { u"service"_s, u"search-svc"_s } });
        rig.run(1min);
        QCOMPARE(rig.workload.executed.size(), 1);
        QCOMPARE(rig.workload.executed.front().targets.size(), 1); // cap allows 3; traffic says 1
        const Proposal p = rig.currentProposal(rig.onlyIncident());
        QVERIFY2(p.plan.step(u"restart")->explanation.contains(u"traffic is 1.9"_s),
            qPrintable(p.plan.step(u"restart")->explanation));
    }
};

QTEST_GUILESS_MAIN(TestGuardrails)
#include "tst_guardrails.moc"

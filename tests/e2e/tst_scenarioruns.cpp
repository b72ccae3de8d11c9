// Every scenario of the simulated fleet through the real engine and the shipped
// runbooks: outcome, MTTR bound, blast-radius figures, guardrail results and the
// actions that ran. Virtual time: the whole suite simulates a few hours in seconds.
#include "engine/runbook/actioncatalog.h"
#include "scenariorig.h"

#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>

using namespace antibody;
using namespace antibody::e2e;
using namespace std::chrono_literals;

namespace {

QStringList timeline(const ScenarioRig &rig)
{
    QStringList out;
    for (const EngineEvent &e : rig.run->events())
        out << u"%1 %2 %3 %4"_s.arg(formatTime(e.at), e.kindName(), e.incidentId, e.detail);
    return out;
}

// Each event of `kind` for `incident` comes after an approval of that incident.
bool approvedBefore(const ScenarioRig &rig, const QString &action)
{
    QSet<QString> approved;
    for (const EngineEvent &e : rig.run->events()) {
        if (e.kind == EngineEvent::Kind::Approved)
            approved.insert(e.incidentId);
        if (e.kind == EngineEvent::Kind::StepStarted && e.data.value(u"action"_s).toString() == action
            && !approved.contains(e.incidentId))
            return false;
    }
    return true;
}

QStringList mutatingActionsRun(const ScenarioRig &rig)
{
    QStringList out;
    for (const EngineEvent &e : rig.events(EngineEvent::Kind::StepStarted)) {
        const ActionSpec *spec = ActionCatalog::instance().find(e.data.value(u"action"_s).toString());
        if (spec && spec->mutates())
            out << spec->name;
    }
    return out;
}

// The shipped database-failover runbook without its own lag guard: what the action itself does.
QList<Runbook> failoverWithoutItsGuard()
{
    QFile file(runbooksFolder() + u"/database-failover.yaml"_s);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QString text = QString::fromUtf8(file.readAll());
    // The `guards:` block: the key and its indented lines.
    text.replace(QRegularExpression(u"\\nguards:\\n(?:  .*\\n)+"_s), u"\n"_s);
    if (text.contains(u"guards:"_s))
        return {};
    const LoadResult loaded = loadRunbookText(text.toUtf8(), u"database-failover-unguarded.yaml"_s);
    if (!loaded.runbook)
        return {};
    QList<Runbook> out;
    for (const Runbook &rb : shippedRunbooks())
        out << (rb.name == loaded.runbook->name ? *loaded.runbook : rb);
    return out;
}

} // namespace

class TestScenarioRuns : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyScenarioEndsAsAGoodRunDoes_data()
    {
        QTest::addColumn<QString>("name");
        for (const sim::Scenario &s : sim::scenarios())
            QTest::addRow("%s", qPrintable(s.name)) << s.name;
    }
    void everyScenarioEndsAsAGoodRunDoes()
    {
        QFETCH(QString, name);
        ScenarioRig rig(name);
        const auto &expect = rig.scenario.expect;
        for (const QString &action : expect.neverExecutes)
            QVERIFY2(rig.executed(action) == 0, qPrintable(action + u" ran"_s));
        for (const QString &action : expect.executes)
            QVERIFY2(rig.executed(action) > 0, qPrintable(action + u" never ran"_s));
        QVERIFY2(rig.run->evidenceLost().isEmpty(), qPrintable(rig.run->evidenceLost().join(u"; "_s)));
        const auto r = rig.run->result();
        QVERIFY(r.incident);
        QCOMPARE(r.outcome, expect.outcome);
        if (expect.maxMttr) {
            QVERIFY(r.mttr);
            QVERIFY2(*r.mttr <= *expect.maxMttr, qPrintable(formatDuration(*r.mttr)));
        }
    }

    void connectionPoolExhaustionHealsWithoutAHuman()
    {
        ScenarioRig rig(u"connection-pool-exhaustion"_s);
        const auto r = rig.run->result();
        QCOMPARE(r.outcome, u"resolved"_s);
        QCOMPARE(r.incident->runbook, u"connection-pool-exhaustion"_s);
        QVERIFY(*r.mttr < 45s);
        QCOMPARE(rig.executed(u"terminate_connections"_s), 3); // 19 -> 17 -> 15 -> 13
        const BlastRadius *kill = rig.radius(u"kill_idle"_s);
        QVERIFY(kill);
        QCOMPARE(kill->affected(), 2);
        QCOMPARE(kill->fleetSize(), 19);
        QCOMPARE(kill->capCount, 2); // 15% of 19
        QCOMPARE(kill->cycles, 4);
        for (const GuardrailResult &g : rig.primary->guardrails)
            QVERIFY2(g.pass(), qPrintable(g.name + u": "_s + g.reason));
        QCOMPARE(rig.run->pages().size(), 0); // healed, notified after
        QCOMPARE(rig.events(EngineEvent::Kind::Notified).size(), 1);
        const auto &sessions = rig.run->environment().world().fleet().database.sessions;
        QVERIFY(std::any_of(sessions.cbegin(), sessions.cend(),
            [](const sim::DbSession &s) { return s.application == u"postgres_exporter" && s.pid == 4720; }));
    }

    void checkoutSaturationFollowsTheSeedsPipeline()
    {
        ScenarioRig rig(u"checkout-cpu-saturation"_s);
        const auto r = rig.run->result();
        QCOMPARE(r.outcome, u"resolved"_s);
        QCOMPARE(r.incident->runbook, u"cpu-saturation-pool-reset"_s);
        QVERIFY2(*r.mttr < 4min, qPrintable(formatDuration(*r.mttr))); // the seed's manual baseline: about 28 minutes
        QCOMPARE(r.incident->facts.value(u"diagnose.cause"_s).toString(), u"pool_saturation"_s);
        const BlastRadius *reset = rig.radius(u"reset_pool"_s);
        QVERIFY(reset);
        QCOMPARE(reset->affected(), 2); // 2 of 5 pods, cap 2 per cycle
        QCOMPARE(reset->fleetSize(), 5);
        QCOMPARE(reset->capCount, 2);
        QCOMPARE(reset->cycles, 2); // 3 pods above 95%
        const BlastRadius *scale = rig.radius(u"scale_out"_s);
        QVERIFY(scale);
        QCOMPARE(scale->affected(), 2);
        QCOMPARE(scale->fleetSize(), 5);
        QVERIFY(rig.executed(u"reset_connection_pool"_s) >= 1);
        QCOMPARE(rig.executed(u"scale"_s), 1);
        QCOMPARE(rig.run->environment().world().fleet().service(u"checkout-svc")->observed.replicas, 7);
        QCOMPARE(rig.run->pages().size(), 0);
    }

    void crashLoopOpensTheBreakerAfterThreeRestarts()
    {
        ScenarioRig rig(u"crashloop-restart-fails"_s);
        QCOMPARE(rig.run->result().outcome, u"escalated"_s);
        QCOMPARE(rig.executed(u"restart_pods"_s), 3); // no fourth
        const QList<EngineEvent> restarts = [&] {
            QList<EngineEvent> out;
            for (const EngineEvent &e : rig.events(EngineEvent::Kind::StepStarted)) {
                if (e.data.value(u"action"_s).toString() == u"restart_pods")
                    out << e;
            }
            return out;
        }();
        QVERIFY(restarts.back().at - restarts.front().at <= 10min);
        const QList<EngineEvent> opened = rig.events(EngineEvent::Kind::BreakerOpened);
        QCOMPARE(opened.size(), 1);
        QVERIFY(opened.front().at >= restarts.back().at);
        QVERIFY(rig.radius(u"restart"_s));
        QCOMPARE(rig.radius(u"restart"_s)->affected(), 1);
        QCOMPARE(rig.radius(u"restart"_s)->fleetSize(), 5);
        // A human is paged with the diagnostics, about the breaker too.
        bool pagedAboutTheBreaker = false;
        for (const auto &page : rig.run->pages())
            pagedAboutTheBreaker |= page.notification.summary.contains(u"breaker for pod-crashloop-restart opened"_s);
        QVERIFY(pagedAboutTheBreaker);
        // Once the breaker is open, the alert that keeps firing stays with the escalated
        // incident: no new proposal, no new restart, no page every 30 s. Any proposal made
        // later (after the alert resolved and fired again) is stopped by the breaker.
        int pagesAfter = 0;
        for (const auto &page : rig.run->pages())
            pagesAfter += page.at > opened.front().at;
        QVERIFY2(pagesAfter <= 1, qPrintable(u"%1 pages after the breaker opened"_s.arg(pagesAfter)));
        for (const Proposal &p : rig.run->proposals()) {
            const GuardrailResult *g = rig.guardrail(p, u"circuit_breaker"_s);
            QVERIFY(!g || g->verdict == GuardrailResult::Verdict::Block || p.plan.madeAt <= opened.front().at);
        }
    }

    // One change to the deployment (review finding 1: passes of a rollback flip-flop on a
    // cluster); its rollout replaces the pods one at a time, within the cap of 1.
    void badDeployIsRolledBackInOneChange()
    {
        ScenarioRig rig(u"bad-deploy-rollback"_s);
        const auto r = rig.run->result();
        QCOMPARE(r.outcome, u"resolved"_s);
        QCOMPARE(r.incident->facts.value(u"diagnose.cause"_s).toString(), u"bad_deploy"_s);
        QCOMPARE(r.incident->facts.value(u"diagnose.recent_deploy"_s).toBool(), true);
        QCOMPARE(rig.executed(u"rollback_deployment"_s), 1);
        const BlastRadius *rollback = rig.radius(u"rollback"_s);
        QVERIFY(rollback);
        QCOMPARE(rollback->affected(), 1); // 15% of 5
        QCOMPARE(rollback->fleetSize(), 5);
        QCOMPARE(rollback->cycles, 5); // run by the rollout, not by passes
        const auto &fleet = rig.run->environment().world().fleet();
        QCOMPARE(fleet.service(u"checkout-svc")->currentVersion, u"v2.14.0"_s);
        for (const sim::Pod *p : fleet.podsOf(u"checkout-svc"))
            QCOMPARE(p->version, u"v2.14.0"_s);
    }

    void trafficSpikeScalesOutOneReplicaAtATime()
    {
        ScenarioRig rig(u"traffic-spike-scale"_s);
        QCOMPARE(rig.run->result().outcome, u"resolved"_s);
        const BlastRadius *scale = rig.radius(u"scale_out"_s);
        QVERIFY(scale);
        QCOMPARE(scale->affected(), 1);
        QCOMPARE(scale->fleetSize(), 4);
        QCOMPARE(scale->capCount, 1);
        QVERIFY(rig.run->environment().world().fleet().service(u"search-svc")->observed.replicas >= 5);
        QCOMPARE(rig.executed(u"restart_pods"_s), 0);
        for (const Incident &i : rig.run->incidents())
            QVERIFY2(i.runbook != u"composite-scale-in"_s, "scale-in fought the scale-out");
    }

    // composite-scale-in's drill: its p99 bound must sit above search-svc's idle p99,
    // or the trigger never holds (issue 17: "the trigger never fired").
    void trafficEbbScalesInOnePodAndStops()
    {
        ScenarioRig rig(u"traffic-ebb-scale-in"_s);
        const auto r = rig.run->result();
        QVERIFY(r.incident);
        QCOMPARE(r.incident->runbook, u"composite-scale-in"_s);
        QCOMPARE(r.outcome, u"resolved"_s);
        const BlastRadius *scale = rig.radius(u"scale_in"_s);
        QVERIFY(scale);
        QCOMPARE(scale->affected(), 1);
        QCOMPARE(scale->fleetSize(), 4);
        QCOMPARE(rig.executed(u"scale"_s), 1); // 4 -> 3; on three pods CPU is back over 30%
        QCOMPARE(rig.run->environment().world().fleet().service(u"search-svc")->observed.replicas, 3);
        for (const Incident &i : rig.run->incidents())
            QVERIFY2(i.runbook != u"composite-scale-out"_s, "scale-out fought the scale-in");
    }

    void certificateIsRenewedBeforeItExpires()
    {
        ScenarioRig rig(u"cert-expiry"_s);
        QCOMPARE(rig.run->result().outcome, u"resolved"_s);
        QCOMPARE(rig.executed(u"renew_certificate"_s), 1);
        QCOMPARE(rig.radius(u"renew"_s)->affected(), 1);
        QCOMPARE(rig.radius(u"renew"_s)->fleetSize(), 1);
        auto &fleet = rig.run->environment().world().fleet();
        QVERIFY(fleet.certificate(u"api.example.com")->notAfter - rig.clock.now() > 89 * 24h);
    }

    void neverAutomateScenariosTouchNothing_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addRow("data-corruption") << u"data-corruption"_s;
        QTest::addRow("unknown-cascade") << u"unknown-cascade"_s;
        QTest::addRow("payments-in-flight") << u"payments-in-flight"_s;
    }
    void neverAutomateScenariosTouchNothing()
    {
        QFETCH(QString, name);
        ScenarioRig rig(name);
        QCOMPARE(mutatingActionsRun(rig), QStringList());
        QVERIFY(rig.executed(u"collect_diagnostics"_s) >= 1); // diagnostics collected, state preserved
        QVERIFY(!rig.run->pages().isEmpty());
        QVERIFY(rig.run->evidenceLost().isEmpty());
    }

    void theCascadeGuardStopsScalingAndRestarts()
    {
        ScenarioRig rig(u"unknown-cascade"_s);
        bool guarded = false;
        for (const Proposal &p : rig.run->proposals()) {
            const GuardrailResult *g = rig.guardrail(p, u"never_automate"_s);
            if (p.plan.runbook == u"composite-scale-out" && g && g->verdict == GuardrailResult::Verdict::Block)
                guarded = g->reason.contains(u"cascading"_s);
        }
        QVERIFY(guarded);
        QCOMPARE(rig.executed(u"scale"_s), 0);
    }

    void securityIncidentIsolatesOnlyWithApproval()
    {
        ScenarioRig approved(u"security-incident"_s);
        QVERIFY(approved.executed(u"isolate_host"_s) >= 1);
        QVERIFY(approvedBefore(approved, u"isolate_host"_s));
        QCOMPARE(approved.run->environment().world().fleet().host(u"worker-3")->state, u"isolated"_s);
        QCOMPARE(approved.executed(u"terminate_host"_s), 0);

        ScenarioRig pending(u"security-incident"_s, { .approvals = ScenarioRun::Approvals::None });
        QCOMPARE(pending.executed(u"isolate_host"_s), 0);
        QVERIFY(!pending.events(EngineEvent::Kind::ApprovalRequested).isEmpty());
        QCOMPARE(pending.run->environment().world().fleet().host(u"worker-3")->state, u"running"_s);
        QCOMPARE(pending.run->result().outcome, u"unresolved"_s);
        QVERIFY(pending.run->evidenceLost().isEmpty());
    }

    void failoverIsRefusedWhileReplicasLag()
    {
        ScenarioRig rig(u"db-failover-replication-lag"_s, { .level = 3 });
        const auto r = rig.run->result();
        QCOMPARE(r.outcome, u"escalated"_s);
        QCOMPARE(r.incident->runbook, u"database-failover"_s);
        QCOMPARE(rig.executed(u"failover_database"_s), 0);
        const GuardrailResult *lag = rig.guardrail(*rig.primary, u"runbook_guard:replication_lag"_s);
        QVERIFY(lag);
        QCOMPARE(lag->verdict, GuardrailResult::Verdict::Block);
        QCOMPARE(rig.primary->decision.mode, Mode::Blocked);
        QCOMPARE(rig.radius(u"failover"_s)->affected(), 1);
        QCOMPARE(rig.radius(u"failover"_s)->fleetSize(), 3);
        QVERIFY(!rig.run->pages().isEmpty());
    }

    void withoutTheRunbooksGuardTheFailoverStillWaitsAndIsRefused()
    {
        const QList<Runbook> runbooks = failoverWithoutItsGuard();
        QVERIFY(!runbooks.isEmpty());
        ScenarioRig rig(u"db-failover-replication-lag"_s, { .level = 3, .runbooks = runbooks });
        QCOMPARE(rig.primary->decision.mode, Mode::Approve); // approve-tier: a human approves at every level
        QVERIFY(approvedBefore(rig, u"failover_database"_s));
        QCOMPARE(rig.executed(u"failover_database"_s), 1);
        // The system refuses a 38-second-behind replica: blocked, not a failed fix.
        bool refused = false;
        for (const EngineEvent &e : rig.events(EngineEvent::Kind::StepFinished)) {
            if (e.data.value(u"action"_s).toString() == u"failover_database")
                refused
                    = e.data.value(u"outcome"_s).toString() == u"blocked" && e.detail.contains(u"behind the primary"_s);
        }
        QVERIFY(refused);
        QCOMPARE(rig.run->result().outcome, u"escalated"_s);
        QVERIFY(!rig.run->environment().world().fleet().database.primary());
    }

    // The seed: security incidents and data corruption alert humans at once, even while
    // the isolation that may follow waits for approval.
    void neverAutomateConditionsPageWithinAMinute_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addRow("security incident") << u"security-incident"_s;
        QTest::addRow("data corruption") << u"data-corruption"_s;
    }

    void neverAutomateConditionsPageWithinAMinute()
    {
        QFETCH(QString, scenario);
        ScenarioRig rig(scenario, { .approvals = ScenarioRun::Approvals::None });
        const auto r = rig.run->result();
        QVERIFY(r.incident);
        const auto pages = rig.run->pages();
        QVERIFY2(!pages.isEmpty(), "nobody was paged");
        QVERIFY2(pages.front().at - r.incident->detectedAt <= Duration { 60'000 },
            qPrintable(formatDuration(pages.front().at - r.incident->detectedAt)));
        QCOMPARE(pages.front().notification.severity, u"critical"_s);
        // One problem, one page: the rest of the scenario adds none about the same incident.
        int aboutIt = 0;
        for (const auto &p : pages)
            aboutIt += p.notification.incidentId == r.incident->id;
        QCOMPARE(aboutIt, 1);
    }

    void aFailoverNobodyApprovesPagesTheOnCall()
    {
        ScenarioRig pending(u"region-degraded"_s, { .approvals = ScenarioRun::Approvals::None });
        const auto r = pending.run->result();
        QVERIFY(r.incident);
        QCOMPARE(r.incident->state, IncidentState::AwaitingApproval);
        std::optional<TimePoint> requested;
        for (const EngineEvent &e : pending.events(EngineEvent::Kind::ApprovalRequested)) {
            if (e.incidentId == r.incident->id && !requested)
                requested = e.at;
        }
        QVERIFY(requested);
        QList<sim::RecordingNotifier::Received> pages;
        for (const auto &p : pending.run->pages()) {
            if (p.notification.incidentId == r.incident->id)
                pages << p;
        }
        QVERIFY2(!pages.isEmpty(), "a critical failover waited unanswered and nobody was paged");
        // Critical: 2 minutes after the wait began, naming what waits.
        QVERIFY2(pages.front().at - *requested == Duration { 120'000 },
            qPrintable(formatDuration(pages.front().at - *requested) + u": "_s + pages.front().notification.summary));
        QVERIFY2(
            pages.front().notification.summary.contains(u"waited"_s), qPrintable(pages.front().notification.summary));
        QCOMPARE(pages.front().notification.details.value(u"waiting"_s).toObject().value(u"incident"_s).toString(),
            r.incident->id);
    }

    void regionFailoverWaitsForItsApproval()
    {
        ScenarioRig approved(u"region-degraded"_s);
        QCOMPARE(approved.run->result().outcome, u"resolved"_s);
        QCOMPARE(approved.executed(u"failover_region"_s), 1);
        QVERIFY(approvedBefore(approved, u"failover_region"_s));
        QCOMPARE(approved.radius(u"shift_traffic"_s)->affected(), 1);
        QCOMPARE(approved.radius(u"shift_traffic"_s)->fleetSize(), 2);
        QCOMPARE(approved.run->environment().world().fleet().region(u"us-east-1")->state, u"drained"_s);

        ScenarioRig denied(u"region-degraded"_s, { .approvals = ScenarioRun::Approvals::Deny });
        QCOMPARE(denied.executed(u"failover_region"_s), 0);
        QVERIFY(!denied.events(EngineEvent::Kind::Denied).isEmpty());
        QCOMPARE(denied.run->result().outcome, u"escalated"_s);

        ScenarioRig pending(u"region-degraded"_s, { .approvals = ScenarioRun::Approvals::None });
        QCOMPARE(pending.executed(u"failover_region"_s), 0);
        QCOMPARE(pending.run->result().outcome, u"unresolved"_s);
        QCOMPARE(pending.run->result().incident->state, IncidentState::AwaitingApproval);
    }

    void theSameSeedGivesTheSameTimeline_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addRow("connection-pool-exhaustion") << u"connection-pool-exhaustion"_s;
        QTest::addRow("checkout-cpu-saturation") << u"checkout-cpu-saturation"_s;
        QTest::addRow("crashloop-restart-fails") << u"crashloop-restart-fails"_s;
    }
    void theSameSeedGivesTheSameTimeline()
    {
        QFETCH(QString, name);
        const QStringList first = timeline(ScenarioRig(name));
        QVERIFY(first.size() > 10);
        QCOMPARE(timeline(ScenarioRig(name)), first);
        QVERIFY(timeline(ScenarioRig(name, { .seed = 99 })) != first);
    }
};

QTEST_GUILESS_MAIN(TestScenarioRuns)
#include "tst_scenarioruns.moc"

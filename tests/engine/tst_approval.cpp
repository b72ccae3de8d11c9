// Approval binds to the exact plan that was shown: its fingerprint, within its
// time to live, by enough distinct people, and exactly once.
#include "tests/engine/doubles/poolincident.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using namespace antibody::test;
using Kind = EngineEvent::Kind;
using Status = Engine::ApprovalResult::Status;

using Waiting = PoolIncident; // a level 2 plan that waits for people

class TestApproval : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void levelTwoWaitsAndOneClickRunsThePlanShown()
    {
        Waiting w(poolRunbook());
        QCOMPARE(w.rig.onlyIncident().state, IncidentState::AwaitingApproval);
        QCOMPARE(w.rig.count(Kind::ApprovalRequested), 1);
        QCOMPARE(w.rig.database.executed.size(), 0);
        const Proposal p = w.proposal();
        QCOMPARE(p.decision.mode, Mode::Approve);
        const auto r = w.rig.engine->approve(p.id, p.plan.fingerprint, u"alice"_s);
        QCOMPARE(r.status, Status::Executing);
        w.rig.run(30s);
        QCOMPARE(w.rig.database.executed.size(), 1);
        QCOMPARE(w.rig.database.executed.front().targets, p.plan.step(u"kill_idle")->blastRadius->chosen);
        const auto executions = w.rig.store.executions();
        QCOMPARE(executions.begin()->approvedBy, u"alice"_s);
    }

    void staleFingerprintIsRefusedWithTheReason()
    {
        Waiting w(poolRunbook());
        const Proposal p = w.proposal();
        const auto r = w.rig.engine->approve(p.id, u"0123456789abcdef"_s, u"alice"_s);
        QCOMPARE(r.status, Status::Refused);
        QVERIFY2(r.reason.contains(u"not the plan now"_s), qPrintable(r.reason));
        QCOMPARE(w.rig.count(Kind::ApprovalRefused), 1);
        w.rig.run(1min);
        QCOMPARE(w.rig.database.executed.size(), 0);
    }

    void worldChangesWhileWaitingThenOldPlanCannotBeApproved()
    {
        Waiting w(poolRunbook());
        const Proposal shown = w.proposal();
        // The two oldest idle connections go away by themselves: the plan's targets change.
        auto &conns = w.rig.database.members(u"connections"_s, u"orders-db"_s);
        for (const QString &t : shown.plan.step(u"kill_idle")->blastRadius->chosen)
            conns.removeIf([&](const Target &c) { return c.name == t; });
        w.rig.run(20s); // the engine re-plans while it waits
        const Proposal now = w.proposal();
        QVERIFY(now.id != shown.id);
        QVERIFY(now.plan.fingerprint != shown.plan.fingerprint);
        const auto proposed = w.rig.eventsOf(Kind::Proposed);
        QCOMPARE(proposed.size(), 2);
        QVERIFY2(proposed.last().detail.contains(u"targets changed"_s), qPrintable(proposed.last().detail));
        QCOMPARE(w.rig.engine->approve(shown.id, shown.plan.fingerprint, u"alice"_s).status, Status::Refused);
        QCOMPARE(w.rig.engine->approve(now.id, shown.plan.fingerprint, u"alice"_s).status, Status::Refused);
        QCOMPARE(w.rig.engine->approve(now.id, now.plan.fingerprint, u"alice"_s).status, Status::Executing);
    }

    // A person reads the card for minutes before clicking; the plan they read is
    // re-made against fresh data while it waits, so the click still runs it.
    void aLateClickOnAnUnchangedWorldRunsThePlanShown_data()
    {
        QTest::addColumn<int>("waitSeconds");
        QTest::addRow("30 s") << 30;
        QTest::addRow("3 min") << 180;
        QTest::addRow("14 min") << 14 * 60;
    }

    void aLateClickOnAnUnchangedWorldRunsThePlanShown()
    {
        QFETCH(int, waitSeconds);
        Waiting w(poolRunbook());
        const Proposal shown = w.proposal();
        w.rig.run(Duration { waitSeconds * 1000LL });
        const auto r = w.rig.engine->approve(shown.id, shown.plan.fingerprint, u"alice"_s);
        QVERIFY2(r.status == Status::Executing, qPrintable(r.reason + u"\n"_s + w.rig.timeline()));
        w.rig.run(30s);
        QCOMPARE(w.rig.database.executed.size(), 1);
        QCOMPARE(w.rig.database.executed.front().targets, shown.plan.step(u"kill_idle")->blastRadius->chosen);
        QCOMPARE(w.rig.count(Kind::ApprovalRefused), 0);
    }

    void aPlanNobodyAnswersPagesByTheAlertsSeverity_data()
    {
        QTest::addColumn<QString>("severity");
        QTest::addColumn<int>("pageAfterSeconds");
        QTest::addRow("critical") << u"critical"_s << 120;
        QTest::addRow("high") << u"high"_s << 300;
        QTest::addRow("warning") << u"warning"_s << 600;
        QTest::addRow("unknown word") << u"whatever"_s << 600;
    }

    void aPlanNobodyAnswersPagesByTheAlertsSeverity()
    {
        QFETCH(QString, severity);
        QFETCH(int, pageAfterSeconds);
        EngineRig rig;
        PoolWorld pool { rig.metrics, rig.database };
        rig.start({ poolRunbook() });
        rig.alerts.fire(
            u"DbConnectionPoolExhausted"_s, { { u"service"_s, u"orders-db"_s }, { u"severity"_s, severity } });
        rig.run(20s);
        const TimePoint waitingFrom = rig.eventsOf(Kind::ApprovalRequested).value(0).at;
        QVERIFY(waitingFrom.time_since_epoch().count() != 0);
        rig.clock.advanceTo(waitingFrom + Duration { pageAfterSeconds * 1000LL - 1000 });
        QCOMPARE(rig.pager.pages(), 0); // re-made plans meanwhile do not restart the wait, nor page early
        rig.run(2s);
        QCOMPARE(rig.pager.pages(), 1);
        const Notification page = rig.pager.sent.back();
        QVERIFY2(page.summary.contains(u"waited"_s) && page.summary.contains(rig.onlyIncident().id),
            qPrintable(page.summary));
        const QJsonObject waiting = page.details.value(u"waiting"_s).toObject();
        QCOMPARE(waiting.value(u"proposal"_s).toString(), rig.currentProposal(rig.onlyIncident()).id);
        QCOMPARE(waiting.value(u"open"_s).toString(), u"antibody --open "_s + rig.onlyIncident().id);
        rig.run(30min); // one page per problem: the expired and re-made plan does not page again
        QCOMPARE(rig.pager.pages(), 1);
    }

    void aRunbookSetsItsOwnWaitBeforePaging()
    {
        Runbook rb = poolRunbook();
        rb.pageWaitingAfter = Duration { 45'000 };
        EngineRig rig;
        PoolWorld pool { rig.metrics, rig.database };
        rig.start({ rb });
        rig.alerts.fire(
            u"DbConnectionPoolExhausted"_s, { { u"service"_s, u"orders-db"_s }, { u"severity"_s, u"info"_s } });
        rig.run(40s);
        QCOMPARE(rig.pager.pages(), 0);
        rig.run(10s);
        QCOMPARE(rig.pager.pages(), 1);
    }

    void anAnsweredPlanDoesNotPage()
    {
        Waiting w(poolRunbook());
        const Proposal p = w.proposal();
        w.rig.run(60s);
        QCOMPARE(w.rig.engine->approve(p.id, p.plan.fingerprint, u"alice"_s).status, Status::Executing);
        w.rig.run(20min);
        QCOMPARE(w.rig.pager.pages(), 0);
    }

    void approvalExpiresAfterItsTtl()
    {
        Waiting w(poolRunbook());
        const Proposal first = w.proposal();
        w.rig.run(16min);
        const auto r = w.rig.engine->approve(first.id, first.plan.fingerprint, u"alice"_s);
        QCOMPARE(r.status, Status::Refused);
        QVERIFY2(r.reason.contains(u"expired"_s), qPrintable(r.reason));
        const Proposal fresh = w.proposal();
        QVERIFY(fresh.id != first.id);
        QCOMPARE(fresh.state, Proposal::State::Pending);
        QCOMPARE(w.rig.engine->approve(fresh.id, fresh.plan.fingerprint, u"alice"_s).status, Status::Executing);
    }

    void distinctApproversAreCounted()
    {
        Waiting w(poolRunbook(2, 2));
        const Proposal p = w.proposal();
        QCOMPARE(w.rig.engine->approve(p.id, p.plan.fingerprint, u"alice"_s).status, Status::NeedsMore);
        const auto again = w.rig.engine->approve(p.id, p.plan.fingerprint, u"alice"_s);
        QCOMPARE(again.status, Status::Refused);
        QVERIFY(again.reason.contains(u"alice already approved"_s));
        w.rig.run(1min);
        QCOMPARE(w.rig.database.executed.size(), 0);
        QCOMPARE(w.rig.engine->approve(p.id, p.plan.fingerprint, u"bob"_s).status, Status::Executing);
        w.rig.run(1min);
        QCOMPARE(w.rig.database.executed.size(), 1);
        QCOMPARE(w.rig.store.executions().begin()->approvedBy, u"alice, bob"_s);
    }

    void approvingTwiceExecutesOnce()
    {
        Waiting w(poolRunbook());
        const Proposal p = w.proposal();
        QCOMPARE(w.rig.engine->approve(p.id, p.plan.fingerprint, u"alice"_s).status, Status::Executing);
        const auto second = w.rig.engine->approve(p.id, p.plan.fingerprint, u"bob"_s);
        QCOMPARE(second.status, Status::AlreadyClaimed);
        w.rig.run(1min);
        QCOMPARE(w.rig.database.executed.size(), 1);
    }

    void anotherProcessAlreadyExecutedIt()
    {
        Waiting w(poolRunbook());
        const Proposal p = w.proposal();
        // Another console on the same store claimed it first, with bob's stored approval.
        QVERIFY(
            w.rig.store.recordApproval({ p.id, p.plan.fingerprint, u"bob"_s, w.rig.clock.now(), true, {} }).accepted);
        w.rig.store.claimExecution(p.id, p.plan.fingerprint, u"bob@desk (pid 99)"_s, u"bob"_s, w.rig.clock.now());
        const auto r = w.rig.engine->approve(p.id, p.plan.fingerprint, u"alice"_s);
        QCOMPARE(r.status, Status::AlreadyClaimed);
        QVERIFY2(r.reason.contains(u"bob@desk"_s) && r.reason.contains(u"approved by bob"_s), qPrintable(r.reason));
        w.rig.run(1min);
        QCOMPARE(w.rig.database.executed.size(), 0);
    }

    void denialNeedsAReasonAndHandsOver()
    {
        Waiting w(poolRunbook());
        const Proposal p = w.proposal();
        QCOMPARE(w.rig.engine->deny(p.id, p.plan.fingerprint, u"alice"_s, u"  "_s).status, Status::Refused);
        QCOMPARE(w.rig.onlyIncident().state, IncidentState::AwaitingApproval);
        w.rig.engine->deny(p.id, p.plan.fingerprint, u"alice"_s, u"schema migration running"_s);
        QCOMPARE(w.rig.onlyIncident().state, IncidentState::Escalated);
        QCOMPARE(w.rig.store.denials().size(), 1);
        QCOMPARE(w.rig.store.denials().front().reason, u"schema migration running"_s);
        QCOMPARE(w.rig.engine->approve(p.id, p.plan.fingerprint, u"bob"_s).status, Status::Refused);
        w.rig.run(5min);
        QCOMPARE(w.rig.database.executed.size(), 0);
    }

    void approveTierActionsWaitEvenAtLevelThree()
    {
        EngineRig rig;
        auto replica = [](const QString &name, const QString &role, double lag) {
            Target t;
            t.name = name;
            t.labels.insert(u"role"_s, role);
            t.metrics.insert(u"lag_seconds"_s, lag);
            return t;
        };
        rig.database.setFleet(u"databases"_s, u"orders-db"_s,
            { replica(u"primary"_s, u"primary"_s, 0), replica(u"replica-1"_s, u"replica"_s, 0.5) });
        const Runbook rb = RunbookBuilder(u"failover"_s)
                               .level(3)
                               .alert(u"DatabasePrimaryDown"_s)
                               .step(u"failover"_s, u"failover_database"_s, {}, u"1"_s)
                               .build();
        rig.start({ rb });
        rig.alerts.fire(u"DatabasePrimaryDown"_s, { { u"service"_s, u"orders-db"_s } });
        rig.run(1min);
        const Proposal p = rig.currentProposal(rig.onlyIncident());
        QCOMPARE(p.decision.mode, Mode::Approve);
        QVERIFY2(p.decision.reasons.front().contains(u"approve-tier"_s), qPrintable(p.decision.reasons.join(u" | "_s)));
        QCOMPARE(rig.database.executed.size(), 0);
    }

    void onlyHighConfidenceRunsUnattended()
    {
        EngineRig rig;
        PoolWorld pool(rig.metrics, rig.database);
        Runbook rb = poolRunbook(3);
        rb.trigger.confidence = Confidence::Medium;
        rig.start({ rb });
        rig.alerts.fire(u"DbConnectionPoolExhausted"_s, { { u"service"_s, u"orders-db"_s } });
        rig.run(1min);
        const Proposal p = rig.currentProposal(rig.onlyIncident());
        QCOMPARE(p.decision.mode, Mode::Approve);
        QVERIFY(p.decision.reasons.front().contains(u"confidence is medium"_s));
    }

    void autoApproveSettingApprovesAsProposed()
    {
        Engine::Settings s;
        s.autoApprove = true;
        Waiting w(poolRunbook(), s);
        w.rig.run(1min);
        QCOMPARE(w.rig.database.executed.size(), 1);
        QCOMPARE(w.rig.eventsOf(Kind::Approved).front().data.value(u"approver"_s).toString(), u"auto-approver"_s);
    }

    // Review finding 6: `run --approve auto` against real executors approves safe-tier
    // plans only; approve-tier actions and never-automate containment wait for a human.
    void autoApproveLeavesApproveTierAndContainmentToAHuman_data()
    {
        QTest::addColumn<bool>("risky");
        QTest::addRow("real executors") << false;
        QTest::addRow("simulated fleet") << true;
    }

    void autoApproveLeavesApproveTierAndContainmentToAHuman()
    {
        QFETCH(bool, risky);
        Engine::Settings s;
        s.autoApprove = true;
        s.autoApproveRisky = risky;
        EngineRig rig(s);
        Target primary;
        primary.name = u"primary"_s;
        primary.labels.insert(u"role"_s, u"primary"_s);
        Target replica;
        replica.name = u"replica-1"_s;
        replica.labels.insert(u"role"_s, u"replica"_s);
        replica.metrics.insert(u"lag_seconds"_s, 0.5);
        rig.database.setFleet(u"databases"_s, u"orders-db"_s, { primary, replica });
        rig.hosts.setFleet(u"hosts"_s, u"payments-svc"_s, { pod(u"worker-3"_s), pod(u"worker-4"_s) });
        const Runbook failover = RunbookBuilder(u"failover"_s)
                                     .level(2)
                                     .alert(u"DatabasePrimaryDown"_s)
                                     .step(u"failover"_s, u"failover_database"_s, {}, u"1"_s)
                                     .build();
        const Runbook contain = RunbookBuilder(u"contain"_s)
                                    .level(2)
                                    .alert(u"Intrusion"_s)
                                    .step(u"isolate"_s, u"isolate_host"_s, {}, u"1"_s)
                                    .build();
        rig.start({ failover, contain });
        rig.alerts.fire(u"DatabasePrimaryDown"_s, { { u"service"_s, u"orders-db"_s } });
        rig.alerts.fire(u"Intrusion"_s,
            { { u"service"_s, u"payments-svc"_s }, { u"host"_s, u"worker-3"_s },
                { u"guard"_s, u"security_incident"_s } });
        rig.run(1min);
        const int approved = rig.count(Kind::Approved);
        if (risky) {
            QCOMPARE(approved, 2);
            return;
        }
        QCOMPARE(approved, 0);
        QCOMPARE(rig.database.executed.size(), 0);
        QCOMPARE(rig.hosts.executed.size(), 0);
        QStringList refusals;
        for (const EngineEvent &e : rig.eventsOf(Kind::ApprovalRequested)) {
            if (e.data.value(u"auto_approval"_s).toString() == u"refused"_s)
                refusals << e.detail;
        }
        QCOMPARE(refusals.size(), 2);
        QVERIFY2(refusals.join(u"\n"_s).contains(u"approve-tier"_s), qPrintable(refusals.join(u"\n"_s)));
        QVERIFY2(refusals.join(u"\n"_s).contains(u"never-automate guard"_s), qPrintable(refusals.join(u"\n"_s)));
        for (const Incident &i : rig.engine->incidents())
            QCOMPARE(i.state, IncidentState::AwaitingApproval);
    }

    void targetsChangingBetweenApprovalAndActionNeedANewApproval()
    {
        Waiting w(poolRunbook());
        const Proposal p = w.proposal();
        // The world changes in the instant between the click and the first pass.
        w.rig.database.setLatency(Duration { 1'000 });
        QCOMPARE(w.rig.engine->approve(p.id, p.plan.fingerprint, u"alice"_s).status, Status::Executing);
        auto &conns = w.rig.database.members(u"connections"_s, u"orders-db"_s);
        conns.removeIf(
            [&](const Target &c) { return c.name == p.plan.step(u"kill_idle")->blastRadius->chosen.front(); });
        w.rig.run(30s);
        QCOMPARE(w.rig.database.executed.size(), 0);
        const Proposal next = w.proposal();
        QVERIFY(next.id != p.id);
        QCOMPARE(w.rig.onlyIncident().state, IncidentState::AwaitingApproval);
        QVERIFY(w.rig.eventsOf(Kind::ApprovalRefused).last().detail.contains(u"approved again"_s));
    }
};

QTEST_GUILESS_MAIN(TestApproval)
#include "tst_approval.moc"

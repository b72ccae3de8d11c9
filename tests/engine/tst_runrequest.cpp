// A person asks the engine to run a level 1 checklist instead of running its steps by hand:
// the plan then waits for someone else's approval, and the requester never counts.
#include "tests/engine/doubles/poolincident.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using namespace antibody::test;
using Kind = EngineEvent::Kind;
using Status = Engine::ApprovalResult::Status;

namespace {

// A plan the engine shows only (level 1) unless told otherwise.
struct Shown : PoolIncident
{
    explicit Shown(int level = 1)
        : PoolIncident(poolRunbook(level))
    {
    }
};

} // namespace

class TestRunRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aRequestedChecklistWaitsForSomeoneElse()
    {
        Shown s;
        const Proposal shown = s.proposal();
        QCOMPARE(shown.decision.mode, Mode::Show);
        QCOMPARE(s.rig.engine->approve(shown.id, shown.plan.fingerprint, u"alice"_s).status, Status::Refused);

        const auto noReason = s.rig.engine->request(shown.id, shown.plan.fingerprint, u"alice"_s, u"  "_s);
        QCOMPARE(noReason.status, Status::Refused);
        QVERIFY2(noReason.reason.contains(u"needs a reason"_s), qPrintable(noReason.reason));

        // She reads the checklist for minutes first: the plan shown rests on data older than
        // the freshness bound by then, so it is planned again before it waits.
        s.rig.run(3min);
        const auto asked = s.rig.engine->request(
            shown.id, shown.plan.fingerprint, u"alice"_s, u"the checklist by hand takes 20 minutes"_s);
        QCOMPARE(asked.status, Status::NeedsMore);
        QVERIFY2(asked.reason.contains(u"someone other than alice"_s), qPrintable(asked.reason));
        s.rig.run(1s);
        const Proposal waiting = s.proposal();
        QCOMPARE(waiting.id, shown.id);
        QCOMPARE(waiting.plan.fingerprint, shown.plan.fingerprint);
        QCOMPARE(waiting.decision.mode, Mode::Approve);
        QCOMPARE(waiting.requestedBy, u"alice"_s);
        QVERIFY2(waiting.decision.reasons.value(0).startsWith(u"requested by alice"_s),
            qPrintable(waiting.decision.reasons.join(u"; "_s)));
        QCOMPARE(s.rig.onlyIncident().state, IncidentState::AwaitingApproval);
        const auto requested = s.rig.eventsOf(Kind::RunRequested);
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.front().data.value(u"requested_by"_s).toString(), u"alice"_s);
        QCOMPARE(requested.front().data.value(u"reason"_s).toString(), u"the checklist by hand takes 20 minutes"_s);
        QCOMPARE(s.rig.count(Kind::ApprovalRequested), 1);

        // The requester cannot approve their own request, however long they wait.
        s.rig.run(3min);
        const auto own = s.rig.engine->approve(shown.id, shown.plan.fingerprint, u"alice"_s);
        QCOMPARE(own.status, Status::Refused);
        QVERIFY2(own.reason.contains(u"alice requested this action"_s), qPrintable(own.reason));
        QCOMPARE(s.rig.database.executed.size(), 0);

        // A colleague reads it for minutes, then approves: it runs once, approved by the colleague.
        s.rig.run(5min);
        const Proposal now = s.proposal();
        QCOMPARE(now.plan.fingerprint, shown.plan.fingerprint);
        const auto bob = s.rig.engine->approve(now.id, now.plan.fingerprint, u"bob"_s);
        QVERIFY2(bob.status == Status::Executing, qPrintable(bob.reason + u"\n"_s + s.rig.timeline()));
        s.rig.run(30s);
        QCOMPARE(s.rig.database.executed.size(), 1);
        QCOMPARE(s.rig.store.executions().begin()->approvedBy, u"bob"_s);
    }

    void onlyAShownPlanIsRequested()
    {
        Shown approveMode(2);
        const Proposal p = approveMode.proposal();
        QCOMPARE(p.decision.mode, Mode::Approve);
        const auto r = approveMode.rig.engine->request(p.id, p.plan.fingerprint, u"alice"_s, u"quicker"_s);
        QCOMPARE(r.status, Status::Refused);
        QVERIFY2(r.reason.contains(u"only a shown plan"_s), qPrintable(r.reason));
        QCOMPARE(approveMode.rig.count(Kind::RunRequested), 0);
    }

    void aRequestBindsToThePlanShownAndIsTakenOnce()
    {
        Shown s;
        const Proposal shown = s.proposal();
        const auto stale = s.rig.engine->request(shown.id, u"0123456789abcdef"_s, u"alice"_s, u"quicker"_s);
        QCOMPARE(stale.status, Status::Refused);
        QVERIFY2(stale.reason.contains(u"not the plan now"_s), qPrintable(stale.reason));
        const auto unknown = s.rig.engine->request(u"INC-nope-P1"_s, shown.plan.fingerprint, u"alice"_s, u"x"_s);
        QCOMPARE(unknown.status, Status::Refused);

        QCOMPARE(s.rig.engine->request(shown.id, shown.plan.fingerprint, u"alice"_s, u"quicker"_s).status,
            Status::NeedsMore);
        const auto again = s.rig.engine->request(shown.id, shown.plan.fingerprint, u"carol"_s, u"me too"_s);
        QCOMPARE(again.status, Status::Refused);
        QVERIFY2(again.reason.contains(u"alice already requested"_s), qPrintable(again.reason));
        QCOMPARE(s.rig.count(Kind::RunRequested), 1);
    }

    // The world moves while the request waits: the new plan is still the requester's request,
    // still waits for someone else, and an approval of the old plan is refused.
    void theRequestOutlivesARePlan()
    {
        Shown s;
        const Proposal shown = s.proposal();
        QCOMPARE(s.rig.engine->request(shown.id, shown.plan.fingerprint, u"alice"_s, u"quicker"_s).status,
            Status::NeedsMore);
        s.rig.run(1s);
        auto &conns = s.rig.database.members(u"connections"_s, u"orders-db"_s);
        for (const QString &t : shown.plan.step(u"kill_idle")->blastRadius->chosen)
            conns.removeIf([&](const Target &c) { return c.name == t; });
        s.rig.run(20s);
        const Proposal now = s.proposal();
        QVERIFY(now.id != shown.id);
        QCOMPARE(now.decision.mode, Mode::Approve);
        QCOMPARE(now.requestedBy, u"alice"_s);
        QCOMPARE(s.rig.engine->approve(shown.id, shown.plan.fingerprint, u"bob"_s).status, Status::Refused);
        QCOMPARE(s.rig.engine->approve(now.id, now.plan.fingerprint, u"alice"_s).status, Status::Refused);
        QCOMPARE(s.rig.engine->approve(now.id, now.plan.fingerprint, u"bob"_s).status, Status::Executing);
    }

    // Nobody answers: the window closes, a fresh plan is made, and it still waits for someone else.
    void anUnansweredRequestExpiresIntoAFreshRequestedPlan()
    {
        Shown s;
        const Proposal shown = s.proposal();
        QCOMPARE(s.rig.engine->request(shown.id, shown.plan.fingerprint, u"alice"_s, u"quicker"_s).status,
            Status::NeedsMore);
        s.rig.run(16min);
        const Proposal fresh = s.proposal();
        QVERIFY(fresh.id != shown.id);
        QCOMPARE(fresh.decision.mode, Mode::Approve);
        QCOMPARE(fresh.requestedBy, u"alice"_s);
        QCOMPARE(s.rig.database.executed.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRunRequest)
#include "tst_runrequest.moc"

#include "models/present/approvalgate.h"
#include "tests/support/samples.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using State = ApprovalGate::State;

namespace {

Proposal first()
{
    return samples::proposal(u"P-1"_s, samples::poolPlan(u"INC-1"_s));
}

Proposal replanned()
{
    return samples::proposal(u"P-2"_s, samples::poolPlan(u"INC-1"_s, { u"checkout-svc-3"_s }));
}

} // namespace

// The rule behind the Approve button: an approval binds to the plan on screen.
class TestApprovalGate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void armedForTheShownPlan()
    {
        ApprovalGate gate;
        QCOMPARE(gate.state(), State::Empty);
        QVERIFY(!gate.canApprove());
        gate.show(first());
        QCOMPARE(gate.state(), State::Armed);
        QVERIFY(gate.canApprove());
        QCOMPARE(gate.shownFingerprint(), first().plan.fingerprint);
        QCOMPARE(gate.buttonText(), u"Approve"_s);
        QCOMPARE(gate.reason(), QString());
    }

    void aNewPlanDisarmsUntilReviewed()
    {
        ApprovalGate gate;
        gate.show(first());
        gate.offer(replanned());
        QCOMPARE(gate.state(), State::Stale);
        QVERIFY(!gate.canApprove());
        QVERIFY(!gate.canDeny());
        // What is on screen is still the old plan, and it is the old fingerprint that is shown.
        QCOMPARE(gate.shown()->id, u"P-1"_s);
        QCOMPARE(gate.replacement()->id, u"P-2"_s);
        QCOMPARE(gate.changes(),
            QStringList { u"reset_pool: targets changed (checkout-svc-1, checkout-svc-2 -> checkout-svc-3)"_s });
        QCOMPARE(gate.buttonText(), u"Plan changed: review it first"_s);

        // A state update of the old proposal (the engine retires it) keeps the gate stale.
        Proposal retired = first();
        retired.state = Proposal::State::Superseded;
        gate.offer(retired);
        QCOMPARE(gate.state(), State::Stale);

        gate.acknowledge();
        QCOMPARE(gate.state(), State::Armed);
        QCOMPARE(gate.shown()->id, u"P-2"_s);
        QCOMPARE(gate.shownFingerprint(), replanned().plan.fingerprint);
        QVERIFY(gate.replacedEarlierPlan());
        QCOMPARE(gate.changes().size(), 1); // still said, now about the plan on screen
    }

    void anUnchangedReproposalAfterExpiryAsksForAReview()
    {
        ApprovalGate gate;
        gate.show(first());
        Proposal expired = first();
        expired.state = Proposal::State::Expired;
        gate.offer(expired);
        QVERIFY(!gate.canApprove());
        QCOMPARE(gate.buttonText(), u"Expired"_s);
        Proposal again = first();
        again.id = u"P-1b"_s; // the first one expired; the same plan was proposed again
        gate.offer(again);
        // The approval window bounds how long a reading counts: the engineer looks again.
        QCOMPARE(gate.state(), State::Stale);
        QVERIFY(!gate.canApprove());
        QCOMPARE(gate.changes().size(), 1);
        QVERIFY2(gate.changes().front().contains(u"approval window"_s), qPrintable(gate.changes().front()));
        gate.acknowledge();
        QCOMPARE(gate.state(), State::Armed);
        QCOMPARE(gate.shown()->id, u"P-1b"_s);
    }

    void aRefusalIsShownEvenWhenTheUpdateCameFirst()
    {
        // The engine re-checks at approval time; its proposal update (blocked now)
        // reaches the console before its answer. The person who clicked reads why.
        ApprovalGate gate;
        gate.show(first());
        gate.markSent();
        Proposal blocked = first();
        blocked.guardrails << samples::guardrail(
            u"cooldown"_s, GuardrailResult::Verdict::Block, u"service/orders-db cooled down until 03:12:00"_s);
        gate.offer(blocked);
        QCOMPARE(gate.state(), State::Blocked);
        gate.answered(false, u"blocked: service/orders-db cooled down until 03:12:00"_s);
        QCOMPARE(gate.reason(), u"The engine refused: blocked: service/orders-db cooled down until 03:12:00"_s);
        // The checks pass again: the button re-arms and the refusal stays readable until the next answer.
        gate.offer(first());
        QCOMPARE(gate.state(), State::Armed);
        QVERIFY(gate.reason().startsWith(u"The engine refused: "_s));
        gate.markSent();
        gate.answered(true, u"executing"_s);
        QCOMPARE(gate.state(), State::Closed);
        QVERIFY(!gate.reason().contains(u"refused"_s));
    }

    void aRefusedDenialIsShown()
    {
        ApprovalGate gate;
        gate.show(first());
        gate.answered(false, u"no pending proposal P-1"_s); // a denial's answer: the gate never sent anything
        QCOMPARE(gate.state(), State::Armed);
        QCOMPARE(gate.reason(), u"The engine refused: no pending proposal P-1"_s);
    }

    void otherIncidentsDoNotTouchTheGate()
    {
        ApprovalGate gate;
        gate.show(first());
        gate.offer(samples::proposal(u"P-9"_s, samples::poolPlan(u"INC-9"_s, { u"checkout-svc-5"_s })));
        QCOMPARE(gate.state(), State::Armed);
        QCOMPARE(gate.shown()->id, u"P-1"_s);
    }

    void aBlockingGuardrailDisablesApproveAndSaysWhy()
    {
        Proposal p = first();
        p.guardrails << samples::guardrail(u"circuit_breaker"_s, GuardrailResult::Verdict::Block,
            u"the circuit breaker for connection-pool-exhaustion is open: 3 failures in 10m"_s);
        ApprovalGate gate;
        gate.show(p);
        QCOMPARE(gate.state(), State::Blocked);
        QVERIFY(!gate.canApprove());
        QVERIFY(gate.canDeny());
        QCOMPARE(gate.buttonText(), u"Blocked by a guardrail"_s);
        QCOMPARE(gate.reason(), u"the circuit breaker for connection-pool-exhaustion is open: 3 failures in 10m"_s);
    }

    void sentWaitsForTheAnswer()
    {
        ApprovalGate gate;
        gate.show(first());
        gate.markSent();
        QCOMPARE(gate.state(), State::Sent);
        QVERIFY(!gate.canApprove()); // no second click while the first is on its way
        gate.answered(false, u"the plan changed since it was shown"_s);
        QCOMPARE(gate.state(), State::Armed);
        QCOMPARE(gate.reason(), u"The engine refused: the plan changed since it was shown"_s);
        gate.markSent();
        gate.answered(true, u"recorded; 1 more distinct approver is needed"_s);
        QCOMPARE(gate.state(), State::Closed);
        QCOMPARE(gate.buttonText(), u"Approved"_s);
        QCOMPARE(gate.reason(), u"recorded; 1 more distinct approver is needed"_s);
        gate.offer(first()); // the proposal's own update, still pending: stays closed for this approver
        QCOMPARE(gate.state(), State::Closed);
    }

    void executionClosesTheGate()
    {
        ApprovalGate gate;
        gate.show(first());
        gate.markSent();
        Proposal executing = first();
        executing.state = Proposal::State::Executing;
        gate.offer(executing);
        QCOMPARE(gate.state(), State::Closed);
        QCOMPARE(gate.reason(), u"Approved; the engine is executing it."_s);
    }

    void proposalsThatDoNotWaitSayWhy_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("proposalState");
        QTest::addColumn<QString>("button");
        QTest::addColumn<QString>("reason");
        QTest::addRow("automatic") << int(Mode::Auto) << int(Proposal::State::Pending) << u"Runs automatically"_s
                                   << u"Runs within guardrails without waiting; on-call is notified after."_s;
        QTest::addRow("checklist")
            << int(Mode::Show) << int(Proposal::State::Pending) << u"Checklist only"_s
            << u"Level 1: the steps are a checklist for a human; nothing runs automatically. To have the engine run "
               u"them, request a run (Alt+Q): someone else then approves it."_s;
        QTest::addRow("denied") << int(Mode::Approve) << int(Proposal::State::Denied) << u"Denied"_s
                                << u"Denied; nothing was executed."_s;
        QTest::addRow("expired")
            << int(Mode::Approve) << int(Proposal::State::Expired) << u"Expired"_s
            << u"The approval window passed; the engine re-plans against the world as it is now."_s;
    }

    void proposalsThatDoNotWaitSayWhy()
    {
        QFETCH(int, mode);
        QFETCH(int, proposalState);
        QFETCH(QString, button);
        QFETCH(QString, reason);
        ApprovalGate gate;
        gate.show(samples::proposal(u"P-1"_s, samples::poolPlan(u"INC-1"_s), static_cast<Mode>(mode),
            static_cast<Proposal::State>(proposalState)));
        QCOMPARE(gate.state(), State::Closed);
        QVERIFY(!gate.canApprove());
        QCOMPARE(gate.buttonText(), button);
        QCOMPARE(gate.reason(), reason);
    }

    // A team server out of reach: nothing is approved or denied on what may be stale,
    // and the bar says why; the plan shown stays shown and re-arms when the link is back.
    void aLostConnectionDisarmsWithItsReason()
    {
        ApprovalGate gate;
        gate.show(first());
        gate.setDisconnected(u"Disconnected from the team server: no heartbeat for 40 s"_s);
        QCOMPARE(gate.state(), State::Armed);
        QVERIFY(!gate.canApprove());
        QVERIFY(!gate.canDeny());
        QCOMPARE(gate.buttonText(), u"Disconnected"_s);
        QCOMPARE(gate.reason(), u"Disconnected from the team server: no heartbeat for 40 s"_s);
        gate.clear(); // another incident selected: still disconnected
        gate.show(first());
        QVERIFY(!gate.canApprove());
        gate.setDisconnected({});
        QVERIFY(gate.canApprove());
        QCOMPARE(gate.buttonText(), u"Approve"_s);

        // A plan that no longer waits says what happened to it, connected or not.
        Proposal executing = first();
        executing.state = Proposal::State::Executing;
        executing.approvals << Approval { u"P-1"_s, executing.plan.fingerprint, u"alice"_s, samples::at(30), true, {} };
        gate.offer(executing);
        gate.setDisconnected(u"Disconnected from the team server"_s);
        QCOMPARE(gate.buttonText(), u"Approved"_s);
        QCOMPARE(gate.reason(), u"Approved by alice; the engine is executing it."_s);
    }

    void quorumSaysHowManyMore()
    {
        Proposal p = first();
        p.approvalsRequired = 2;
        p.approvals << Approval { u"P-1"_s, p.plan.fingerprint, u"bob"_s, samples::at(30), true, {} };
        ApprovalGate gate;
        gate.show(p);
        QCOMPARE(gate.reason(), u"Approved by bob; 1 more approval needed."_s);
    }

    // Two people: the proposal's update naming this console's approval may come before the
    // server's answer; either way Approve does not re-arm for the person who approved.
    void aPlanThePolicyKeepsFromYouSaysWhy()
    {
        ApprovalGate gate;
        gate.show(first());
        gate.setNotYours(u"refused by the policy: no rule allows carol to approve"_s);
        QVERIFY(!gate.canApprove());
        QVERIFY(gate.canDeny()); // the policy decides a denial on its own verb
        QCOMPARE(gate.buttonText(), u"Not yours to approve"_s);
        QCOMPARE(gate.reason(),
            u"Waits for someone else's approval: refused by the policy: no rule allows carol to approve"_s);
        gate.show(first()); // another plan: the server says again whose it is
        QVERIFY(gate.canApprove());
    }

    void anApprovalInDoesNotReArm()
    {
        Proposal p = first();
        p.approvalsRequired = 2;
        ApprovalGate gate;
        gate.setApprover(u"alice"_s);
        gate.show(p);
        QVERIFY(gate.canApprove());
        gate.markSent();
        p.approvals << Approval { u"P-1"_s, p.plan.fingerprint, u"alice"_s, samples::at(30), true, {} };
        gate.offer(p); // the update first
        QCOMPARE(gate.state(), ApprovalGate::State::Sent);
        gate.answered(true, u"1 of 2 distinct approvers so far"_s);
        QVERIFY(!gate.canApprove());
        QCOMPARE(gate.buttonText(), u"Approved"_s);
        QCOMPARE(gate.reason(), u"Approved by alice; 1 more approval needed."_s);

        // Alice's console opened after she approved (a reconnect, another console): the same.
        ApprovalGate later;
        later.setApprover(u"alice"_s);
        later.show(p);
        QVERIFY(!later.canApprove());
        QCOMPARE(later.reason(), u"Approved by alice; 1 more approval needed."_s);
        ApprovalGate bobs;
        bobs.setApprover(u"bob"_s);
        bobs.show(p);
        QVERIFY(bobs.canApprove());
        QCOMPARE(bobs.reason(), u"Approved by alice; 1 more approval needed."_s);
    }

    // A checklist may be requested, once, while connected; its requester then waits for
    // someone else, and the button says so rather than arming.
    void aChecklistIsRequestedAndItsRequesterWaits()
    {
        ApprovalGate gate;
        gate.setApprover(u"alice"_s);
        Proposal checklist = first();
        checklist.decision.mode = Mode::Show;
        gate.show(checklist);
        QCOMPARE(gate.state(), State::Closed);
        QVERIFY(gate.canRequest());
        QVERIFY2(gate.reason().contains(u"request a run"_s), qPrintable(gate.reason()));
        gate.setDisconnected(u"the team server went away"_s);
        QVERIFY(!gate.canRequest());
        gate.setDisconnected({});

        Proposal requested = checklist;
        requested.requestedBy = u"alice"_s;
        requested.decision.mode = Mode::Approve;
        gate.offer(requested);
        QVERIFY(!gate.canRequest());
        QVERIFY(gate.requestedHere());
        QCOMPARE(gate.state(), State::Armed);
        QVERIFY(!gate.canApprove());
        QCOMPARE(gate.buttonText(), u"Requested by you"_s);
        QVERIFY2(gate.reason().contains(u"someone else"_s), qPrintable(gate.reason()));

        ApprovalGate bobs;
        bobs.setApprover(u"bob"_s);
        bobs.show(requested);
        QVERIFY(bobs.canApprove());
        QVERIFY(!bobs.canRequest());
    }
};

QTEST_GUILESS_MAIN(TestApprovalGate)
#include "tst_approvalgate.moc"

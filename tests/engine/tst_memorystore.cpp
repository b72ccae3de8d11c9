#include "engine/store/memorystore.h"

#include <QTest>

using namespace Qt::StringLiterals;
using antibody::Approval;
using antibody::MemoryStore;

namespace {

// A stored proposal to decide on: the store enforces its rules against what it holds.
antibody::Proposal saved(
    MemoryStore &store, const QString &id, const QString &fingerprint, antibody::Mode mode = antibody::Mode::Approve)
{
    antibody::Proposal p;
    p.id = id;
    p.incidentId = u"INC-"_s + id;
    p.plan.fingerprint = fingerprint;
    p.decision.mode = mode;
    p.expiresAt = antibody::fromMillis(15 * 60'000);
    store.saveProposal(p);
    return p;
}

Approval approval(const QString &proposalId, const QString &fingerprint, const QString &approver, qint64 ms)
{
    return Approval { proposalId, fingerprint, approver, antibody::fromMillis(ms), true, {} };
}

} // namespace

class TestMemoryStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void onlyTheFirstClaimExecutes()
    {
        MemoryStore store;
        const auto t = antibody::fromMillis(1000);
        saved(store, u"P1"_s, u"fp"_s);
        saved(store, u"P2"_s, u"fp"_s);
        QVERIFY(store.recordApproval(approval(u"P1"_s, u"fp"_s, u"alice"_s, 900)).accepted);
        QVERIFY(store.recordApproval(approval(u"P2"_s, u"fp"_s, u"bob"_s, 900)).accepted);
        const auto first = store.claimExecution(u"P1"_s, u"fp"_s, u"alice-console"_s, u"alice"_s, t);
        QVERIFY(first.granted);
        const auto second
            = store.claimExecution(u"P1"_s, u"fp"_s, u"bob-console"_s, u"bob"_s, antibody::fromMillis(2000));
        QVERIFY(!second.granted);
        QCOMPARE(second.claimedBy, u"alice-console"_s);
        QCOMPARE(second.approvedBy, u"alice"_s);
        QCOMPARE(second.claimedAt, t);
        QVERIFY(store.claimExecution(u"P2"_s, u"fp"_s, u"bob-console"_s, u"bob"_s, t).granted);
    }

    void approversMustBeDistinctPerFingerprint()
    {
        MemoryStore store;
        antibody::Proposal p = saved(store, u"P1"_s, u"fp1"_s);
        Approval a = approval(u"P1"_s, u"fp1"_s, u"alice"_s, 1);
        QVERIFY(store.recordApproval(a).accepted);
        const auto again = store.recordApproval(a);
        QVERIFY(!again.accepted);
        QVERIFY(again.reason.contains(u"alice"_s));
        Approval b = a;
        b.approver = u"bob"_s;
        QCOMPARE(store.recordApproval(b).approvers, (QStringList { u"alice"_s, u"bob"_s }));
        p.plan.fingerprint = u"fp2"_s; // a new plan starts from zero approvers
        store.saveProposal(p);
        Approval other = a;
        other.fingerprint = u"fp2"_s;
        QCOMPARE(store.recordApproval(other).approvers, QStringList { u"alice"_s });
    }

    void unfinishedExecutionsAreFound()
    {
        MemoryStore store;
        saved(store, u"P1"_s, u"fp"_s, antibody::Mode::Auto);
        const auto claim = store.claimExecution(u"P1"_s, u"fp"_s, u"me"_s, {}, antibody::fromMillis(1));
        antibody::StepRecord step;
        step.executionId = claim.executionId;
        step.step = u"kill_idle"_s;
        step.id = store.recordStepIntent(step);
        QCOMPARE(store.unfinishedExecutions().size(), 1);
        QCOMPARE(store.unfinishedExecutions().front().steps.size(), 1);
        store.finishExecution(claim.executionId, antibody::ExecutionOutcome::Resolved, antibody::fromMillis(2));
        QVERIFY(store.unfinishedExecutions().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMemoryStore)
#include "tst_memorystore.moc"

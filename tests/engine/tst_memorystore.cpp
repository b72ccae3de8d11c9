#include "engine/store/memorystore.h"

#include <QTest>

using namespace Qt::StringLiterals;
using antibody::Approval;
using antibody::MemoryStore;

class TestMemoryStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void onlyTheFirstClaimExecutes()
    {
        MemoryStore store;
        const auto t = antibody::fromMillis(1000);
        const auto first = store.claimExecution(u"P1"_s, u"fp"_s, u"alice-console"_s, u"alice"_s, t);
        QVERIFY(first.granted);
        const auto second = store.claimExecution(u"P1"_s, u"fp"_s, u"bob-console"_s, u"bob"_s, antibody::fromMillis(2000));
        QVERIFY(!second.granted);
        QCOMPARE(second.claimedBy, u"alice-console"_s);
        QCOMPARE(second.approvedBy, u"alice"_s);
        QCOMPARE(second.claimedAt, t);
        QVERIFY(store.claimExecution(u"P2"_s, u"fp"_s, u"bob-console"_s, u"bob"_s, t).granted);
    }

    void approversMustBeDistinctPerFingerprint()
    {
        MemoryStore store;
        Approval a { u"P1"_s, u"fp1"_s, u"alice"_s, antibody::fromMillis(1), true, {} };
        QVERIFY(store.recordApproval(a).accepted);
        const auto again = store.recordApproval(a);
        QVERIFY(!again.accepted);
        QVERIFY(again.reason.contains(u"alice"_s));
        Approval b = a;
        b.approver = u"bob"_s;
        QCOMPARE(store.recordApproval(b).approvers, (QStringList { u"alice"_s, u"bob"_s }));
        Approval other = a;
        other.fingerprint = u"fp2"_s; // a new plan starts from zero approvers
        QCOMPARE(store.recordApproval(other).approvers, QStringList { u"alice"_s });
    }

    void unfinishedExecutionsAreFound()
    {
        MemoryStore store;
        const auto claim = store.claimExecution(u"P1"_s, u"fp"_s, u"me"_s, {}, antibody::fromMillis(1));
        antibody::StepRecord step;
        step.executionId = claim.executionId;
        step.step = u"kill_idle"_s;
        step.id = store.recordStepIntent(step);
        QCOMPARE(store.unfinishedExecutions().size(), 1);
        QCOMPARE(store.unfinishedExecutions().front().steps.size(), 1);
        store.finishExecution(claim.executionId, u"resolved"_s, antibody::fromMillis(2));
        QVERIFY(store.unfinishedExecutions().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMemoryStore)
#include "tst_memorystore.moc"

#include "models/present/proposalbook.h"
#include "tests/support/samples.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

class TestProposalBook : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void announcesANewApprovalOnce()
    {
        ProposalBook book;
        QSignalSpy waiting(&book, &ProposalBook::approvalWaiting);
        QSignalSpy count(&book, &ProposalBook::waitingCountChanged);
        const Proposal p = samples::proposal(u"P-1"_s, samples::poolPlan(u"INC-1"_s));
        book.update(p);
        book.update(p); // the same state again: no second announcement
        QCOMPARE(waiting.size(), 1);
        QCOMPARE(count.size(), 1);
        QCOMPARE(count.at(0).at(0).toInt(), 1);
        QCOMPARE(book.waitingCount(), 1);
    }

    void onlyPendingApprovalsWait_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("state");
        QTest::addColumn<bool>("waits");
        QTest::addRow("approve, pending") << int(Mode::Approve) << int(Proposal::State::Pending) << true;
        QTest::addRow("auto runs by itself") << int(Mode::Auto) << int(Proposal::State::Pending) << false;
        QTest::addRow("blocked is escalated") << int(Mode::Blocked) << int(Proposal::State::Pending) << false;
        QTest::addRow("show is a checklist") << int(Mode::Show) << int(Proposal::State::Pending) << false;
        QTest::addRow("approved") << int(Mode::Approve) << int(Proposal::State::Approved) << false;
        QTest::addRow("superseded") << int(Mode::Approve) << int(Proposal::State::Superseded) << false;
        QTest::addRow("expired") << int(Mode::Approve) << int(Proposal::State::Expired) << false;
    }

    void onlyPendingApprovalsWait()
    {
        QFETCH(int, mode);
        QFETCH(int, state);
        QFETCH(bool, waits);
        const Proposal p = samples::proposal(
            u"P-1"_s, samples::poolPlan(u"INC-1"_s), static_cast<Mode>(mode), static_cast<Proposal::State>(state));
        QCOMPARE(ProposalBook::waitsForHuman(p), waits);
    }

    void countFallsWhenApproved()
    {
        ProposalBook book;
        Proposal p = samples::proposal(u"P-1"_s, samples::poolPlan(u"INC-1"_s));
        book.update(p);
        book.update(samples::proposal(u"P-2"_s, samples::poolPlan(u"INC-2"_s)));
        QSignalSpy count(&book, &ProposalBook::waitingCountChanged);
        p.state = Proposal::State::Executing;
        book.update(p);
        QCOMPARE(count.size(), 1);
        QCOMPARE(count.at(0).at(0).toInt(), 1);
        QCOMPARE(book.waiting().size(), 1);
        QCOMPARE(book.waiting().front().id, u"P-2"_s);
    }

    void latestForAnIncidentIsTheNewestProposal()
    {
        ProposalBook book;
        QVERIFY(!book.latestFor(u"INC-1"_s));
        book.update(samples::proposal(u"P-1"_s, samples::poolPlan(u"INC-1"_s)));
        Proposal newer = samples::proposal(u"P-2"_s, samples::poolPlan(u"INC-1"_s, { u"checkout-svc-3"_s }));
        book.update(newer);
        // The old one is marked superseded afterwards: it must not become the latest again.
        Proposal old = *book.proposal(u"P-1"_s);
        old.state = Proposal::State::Superseded;
        book.update(old);
        QCOMPARE(book.latestFor(u"INC-1"_s)->id, u"P-2"_s);
        QCOMPARE(book.waitingCount(), 1);
    }

    void waitingListIsOldestFirst()
    {
        ProposalBook book;
        Proposal late = samples::proposal(u"P-late"_s, samples::poolPlan(u"INC-1"_s));
        late.createdAt = samples::at(500);
        Proposal early = samples::proposal(u"P-early"_s, samples::poolPlan(u"INC-2"_s));
        early.createdAt = samples::at(100);
        book.update(late);
        book.update(early);
        QCOMPARE(book.waiting().front().id, u"P-early"_s);
    }
};

QTEST_GUILESS_MAIN(TestProposalBook)
#include "tst_proposalbook.moc"

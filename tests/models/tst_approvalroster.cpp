// Who approved the plan on screen and how many more it needs, as the card and the
// approval bar say it: only the plan shown counts, and a person counts once.
#include "models/present/approvalroster.h"
#include "tests/support/samples.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

using State = Proposal::State;

struct Given
{
    QString approver;
    qint64 second;
    bool samePlan = true;
};

Proposal proposalWith(int required, State state, const QList<Given> &approvals)
{
    Proposal p = samples::proposal(u"P-1"_s, samples::poolPlan(u"INC-1"_s), Mode::Approve, state);
    p.approvalsRequired = required;
    for (const Given &g : approvals)
        p.approvals << Approval { p.id, g.samePlan ? p.plan.fingerprint : u"0ld0ld0ld0ld"_s, g.approver,
            samples::at(g.second), true, {} };
    return p;
}

} // namespace

Q_DECLARE_METATYPE(antibody::Proposal)

class TestApprovalRoster : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void saysWhoAndHowManyMore_data()
    {
        QTest::addColumn<Proposal>("proposal");
        QTest::addColumn<QString>("summary");
        QTest::addColumn<QString>("detail"); // at 10 minutes after the start
        QTest::addRow("one approver, nobody yet")
            << proposalWith(1, State::Pending, {}) << u"1 approval needed"_s << QString();
        QTest::addRow("two, nobody yet") << proposalWith(2, State::Pending, {})
                                         << u"2 approvals needed, from distinct people"_s
                                         << u"Approvals 0 of 2 · 2 more approvals needed"_s;
        QTest::addRow("two, alice so far")
            << proposalWith(2, State::Pending, { { u"alice"_s, 420 } })
            << u"approved by alice; 1 more approval needed"_s
            << u"Approvals 1 of 2: alice at 20:33:40 UTC (3m 00s ago) · 1 more approval needed"_s;
        QTest::addRow("alice twice counts once")
            << proposalWith(2, State::Pending, { { u"alice"_s, 420 }, { u"alice"_s, 480 } })
            << u"approved by alice; 1 more approval needed"_s
            << u"Approvals 1 of 2: alice at 20:33:40 UTC (3m 00s ago) · 1 more approval needed"_s;
        QTest::addRow("both, executing")
            << proposalWith(2, State::Executing, { { u"bob"_s, 480 }, { u"alice"_s, 420 } })
            << u"approved by alice and bob: executing"_s
            << u"Approvals 2 of 2: alice at 20:33:40 UTC (3m 00s ago), bob at 20:34:40 UTC (2m 00s ago)"_s;
        QTest::addRow("an older plan's approval does not count")
            << proposalWith(2, State::Pending, { { u"carol"_s, 60, false }, { u"alice"_s, 420 } })
            << u"approved by alice; 1 more approval needed"_s
            << u"Approvals 1 of 2: alice at 20:33:40 UTC (3m 00s ago) · 1 more approval needed · carol approved an "
               u"earlier plan: not counted"_s;
        QTest::addRow("three names") << proposalWith(
            3, State::Executed, { { u"alice"_s, 1 }, { u"bob"_s, 2 }, { u"carol"_s, 3 } })
                                     << u"approved by alice, bob and carol: executed"_s
                                     << u"Approvals 3 of 3: alice at 20:26:41 UTC (9m 59s ago), bob at 20:26:42 UTC "
                                        u"(9m 58s ago), carol at 20:26:43 UTC (9m 57s ago)"_s;
    }

    void saysWhoAndHowManyMore()
    {
        QFETCH(Proposal, proposal);
        QFETCH(QString, summary);
        QFETCH(QString, detail);
        const ApprovalRoster roster = ApprovalRoster::of(proposal);
        QCOMPARE(roster.summary(), summary);
        QCOMPARE(roster.detail(samples::at(600)), detail);
    }

    void countsDistinctPeopleOfThePlanShown()
    {
        const ApprovalRoster roster = ApprovalRoster::of(proposalWith(
            3, State::Pending, { { u"alice"_s, 1 }, { u"alice"_s, 2 }, { u"bob"_s, 3, false }, { u"carol"_s, 4 } }));
        QCOMPARE(roster.counted().size(), 2);
        QCOMPARE(roster.needed(), 1);
        QCOMPARE(roster.elsewhere(), QStringList { u"bob"_s });
        QVERIFY(roster.has(u"carol"_s));
        QVERIFY(!roster.has(u"bob"_s));
    }
};

QTEST_GUILESS_MAIN(TestApprovalRoster)
#include "tst_approvalroster.moc"

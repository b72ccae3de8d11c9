#include "tests/support/recordingcommands.h"
#include "tests/support/samples.h"
#include "tests/support/widgetlookup.h"
#include "ui/approvalbar.h"
#include "ui/blastradiusview.h"
#include "ui/proposalcard.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace Qt::StringLiterals;
using antibody::test::child;
using namespace antibody;
using samples::RecordingCommands;

namespace {

QString text(QWidget &root, const QString &name)
{
    return child<QLabel>(root, name)->text();
}

struct Fixture
{
    RecordingCommands commands;
    ProposalCard card { &commands };

    Fixture(const Proposal &proposal)
    {
        card.resize(700, 900);
        card.setIncident(
            samples::incident(proposal.incidentId, u"checkout-svc"_s, IncidentState::AwaitingApproval, 2), nullptr);
        card.showProposal(proposal);
        card.show();
        card.activateWindow(); // shortcuts only reach the active window
        QVERIFY(QTest::qWaitForWindowActive(&card));
    }
    QPushButton *approve() { return child<QPushButton>(card, u"approveButton"_s); }
};

Proposal first()
{
    return samples::proposal(u"P-1"_s, samples::poolPlan(u"INC-1"_s));
}

Proposal replanned()
{
    return samples::proposal(u"P-2"_s, samples::poolPlan(u"INC-1"_s, { u"checkout-svc-3"_s, u"checkout-svc-4"_s }));
}

} // namespace

// What the engineer sees and clicks on a proposal.
class TestProposalCard : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void approveSendsTheFingerprintShown()
    {
        Fixture f(first());
        QVERIFY(f.approve()->isEnabled());
        QCOMPARE(f.approve()->text(), u"Approve"_s);
        QTest::mouseClick(f.approve(), Qt::LeftButton);
        QCOMPARE(f.commands.calls.size(), 1);
        QCOMPARE(f.commands.calls.at(0).what, u"approve"_s);
        QCOMPARE(f.commands.calls.at(0).id, u"P-1"_s);
        QCOMPARE(f.commands.calls.at(0).fingerprint, first().plan.fingerprint);
        QCOMPARE(f.card.findChild<QLabel *>(u"proposalFingerprint"_s)->text().left(17),
            u"Plan "_s + first().plan.shortFingerprint());
        // On its way: a second click sends nothing.
        QVERIFY(!f.approve()->isEnabled());
        QTest::mouseClick(f.approve(), Qt::LeftButton);
        QCOMPARE(f.commands.calls.size(), 1);
    }

    void ctrlReturnApproves()
    {
        Fixture f(first());
        QTest::keyClick(&f.card, Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE(f.commands.calls.size(), 1); // a shortcut animates the click: it lands a moment later
        QCOMPARE(f.commands.calls.at(0).fingerprint, first().plan.fingerprint);
    }

    void aStalePlanCannotBeApproved()
    {
        Fixture f(first());
        f.card.offer(replanned());
        auto *banner = child<QWidget>(f.card, u"planChangedBanner"_s);
        QVERIFY(banner->isVisible());
        QVERIFY2(text(f.card, u"planChangedText"_s).contains(u"targets changed"_s),
            qPrintable(text(f.card, u"planChangedText"_s)));
        QVERIFY(!f.approve()->isEnabled());
        QCOMPARE(f.approve()->text(), u"Plan changed: review it first"_s);
        // The old plan is what is still on screen.
        QCOMPARE(text(f.card, u"blastTargets_reset_pool"_s), u"Touches now: checkout-svc-1, checkout-svc-2"_s);
        QTest::mouseClick(f.approve(), Qt::LeftButton);
        QTest::keyClick(&f.card, Qt::Key_Return, Qt::ControlModifier);
        QTest::keyClick(&f.card, Qt::Key_Enter, Qt::ControlModifier | Qt::KeypadModifier);
        // The keypad shortcut calls in synchronously; the button's own shortcut is off while it is disabled.
        QVERIFY(f.commands.calls.isEmpty());

        QTest::mouseClick(child<QPushButton>(f.card, u"reviewPlanButton"_s), Qt::LeftButton);
        QCOMPARE(text(f.card, u"blastTargets_reset_pool"_s), u"Touches now: checkout-svc-3, checkout-svc-4"_s);
        QVERIFY(f.approve()->isEnabled());
        QVERIFY(text(f.card, u"planChangedText"_s).contains(u"This plan replaced the one you were reading"_s));
        QTest::mouseClick(f.approve(), Qt::LeftButton);
        QCOMPARE(f.commands.calls.size(), 1);
        QCOMPARE(f.commands.calls.at(0).id, u"P-2"_s);
        QCOMPARE(f.commands.calls.at(0).fingerprint, replanned().plan.fingerprint);
        QVERIFY(f.commands.calls.at(0).fingerprint != first().plan.fingerprint);
    }

    void aBlockedProposalExplainsTheDisabledButton()
    {
        Proposal p = first();
        p.decision.mode = Mode::Blocked;
        p.guardrails << samples::guardrail(u"never_automate"_s, GuardrailResult::Verdict::Block,
            u"data_corruption holds for checkout-svc: preserve state and page a human"_s);
        Fixture f(p);
        QVERIFY(!f.approve()->isEnabled());
        QCOMPARE(f.approve()->text(), u"Blocked by a guardrail"_s);
        QCOMPARE(text(f.card, u"approvalReason"_s),
            u"data_corruption holds for checkout-svc: preserve state and page a human"_s);
        QCOMPARE(f.approve()->toolTip(), text(f.card, u"approvalReason"_s));
        QCOMPARE(text(f.card, u"guardrailReason_never_automate"_s), p.guardrails.back().reason);
        QVERIFY(text(f.card, u"proposalMode"_s).contains(u"Blocked: nothing will run"_s));
        QTest::mouseClick(f.approve(), Qt::LeftButton);
        QVERIFY(f.commands.calls.isEmpty());
    }

    void blastRadiusShowsOneCellPerTarget_data()
    {
        QTest::addColumn<int>("fleet");
        QTest::addColumn<QStringList>("chosen");
        QTest::addColumn<int>("later");
        QTest::addColumn<QString>("summary");
        QTest::addRow("2 of 5 pods") << 5 << QStringList { u"checkout-svc-1"_s, u"checkout-svc-2"_s } << 0
                                     << u"2 of 5 pods · 40% · cap 2 per cycle · 3 left serving"_s;
        QTest::addRow("1 of 5 pods") << 5 << QStringList { u"checkout-svc-4"_s } << 0
                                     << u"1 of 5 pods · 20% · cap 2 per cycle · 4 left serving"_s;
    }

    void blastRadiusShowsOneCellPerTarget()
    {
        QFETCH(int, fleet);
        QFETCH(QStringList, chosen);
        QFETCH(int, later);
        QFETCH(QString, summary);
        Proposal p = samples::proposal(u"P-1"_s, samples::poolPlan(u"INC-1"_s, chosen));
        p.plan.steps[1].blastRadius->candidates = chosen;
        Fixture f(p);
        QCOMPARE(text(f.card, u"blastSummary_reset_pool"_s), u"<b>%1</b>"_s.arg(summary));
        auto *view = child<BlastRadiusView>(f.card, u"blastRadius_reset_pool"_s);
        const BlastRadiusGrid &grid = view->grid();
        QCOMPARE(grid.items.size(), fleet);
        QCOMPARE(grid.count(BlastRadiusGrid::Cell::Chosen), chosen.size());
        QCOMPARE(grid.count(BlastRadiusGrid::Cell::Later), later);
        for (const auto &item : grid.items) {
            QCOMPARE(item.cell == BlastRadiusGrid::Cell::Chosen, chosen.contains(item.target));
            QVERIFY(view->rect().contains(item.rect)); // every cell is visible
        }
        QCOMPARE(grid.items.at(0).target, u"checkout-svc-1"_s);
        // Read-only steps have no preview.
        QVERIFY(!f.card.findChild<BlastRadiusView *>(u"blastRadius_diagnose"_s));
    }

    void laterCyclesAreShadedNotChosen()
    {
        Proposal p = first();
        p.plan.steps[1].blastRadius = samples::podRadius(10, 5, 2);
        Fixture f(p);
        const auto &grid = child<BlastRadiusView>(f.card, u"blastRadius_reset_pool"_s)->grid();
        QCOMPARE(grid.count(BlastRadiusGrid::Cell::Chosen), 2);
        QCOMPARE(grid.count(BlastRadiusGrid::Cell::Later), 3);
        QCOMPARE(grid.count(BlastRadiusGrid::Cell::Untouched), 5);
        QCOMPARE(text(f.card, u"blastTargets_reset_pool"_s),
            u"Touches now: checkout-svc-1, checkout-svc-2 · 3 more in later cycles"_s);
    }

    void denyNeedsAReason()
    {
        Fixture f(first());
        auto *deny = child<QPushButton>(f.card, u"denyButton"_s);
        QTest::mouseClick(deny, Qt::LeftButton);
        QVERIFY(child<QWidget>(f.card, u"denyRow"_s)->isVisible());
        auto *confirm = child<QPushButton>(f.card, u"confirmDenyButton"_s);
        QVERIFY(!confirm->isEnabled());
        auto *reason = child<QLineEdit>(f.card, u"denyReason"_s);
        QTest::keyClicks(reason, u"   "_s);
        QTest::keyClick(reason, Qt::Key_Return);
        QVERIFY(f.commands.calls.isEmpty()); // blanks are not a reason
        QTest::keyClicks(reason, u"schema migration running"_s);
        QVERIFY(confirm->isEnabled());
        QTest::keyClick(reason, Qt::Key_Return);
        QCOMPARE(f.commands.calls.size(), 1);
        QCOMPARE(f.commands.calls.at(0).what, u"deny"_s);
        QCOMPARE(f.commands.calls.at(0).reason, u"schema migration running"_s);
        QCOMPARE(f.commands.calls.at(0).fingerprint, first().plan.fingerprint);
        QVERIFY(!child<QWidget>(f.card, u"denyRow"_s)->isVisible());
    }

    void aRefusalReArmsAndSaysWhy()
    {
        Fixture f(first());
        QTest::mouseClick(f.approve(), Qt::LeftButton);
        f.commands.answer(u"P-1"_s, false, u"already executed by bob@laptop at 20:27:30"_s);
        QVERIFY(f.approve()->isEnabled());
        QCOMPARE(
            text(f.card, u"approvalReason"_s), u"The engine refused: already executed by bob@laptop at 20:27:30"_s);
        // Answers about other proposals change nothing.
        f.commands.answer(u"P-9"_s, true, {});
        QVERIFY(f.approve()->isEnabled());
    }

    void progressShowsStepByStep()
    {
        Fixture f(first());
        Proposal executing = first();
        executing.state = Proposal::State::Executing;
        f.card.offer(executing);
        QCOMPARE(f.approve()->text(), u"Approved"_s);
        const auto progress = ExecutionProgress::of(first().plan,
            { samples::event(EngineEvent::Kind::StepFinished, 2, u"INC-1"_s, {},
                  { { u"step"_s, u"diagnose"_s }, { u"outcome"_s, u"succeeded"_s } }),
                samples::event(EngineEvent::Kind::StepStarted, 3, u"INC-1"_s, {},
                    { { u"step"_s, u"reset_pool"_s }, { u"pass"_s, 2 } }) });
        f.card.setProgress(progress);
        QCOMPARE(text(f.card, u"stepStatus_diagnose"_s), u"✓ succeeded"_s);
        QCOMPARE(text(f.card, u"stepStatus_reset_pool"_s), u"◐ running, pass 2"_s);
        QCOMPARE(text(f.card, u"stepStatus_verify_recovery"_s), u"○ pending"_s);
        QVERIFY(text(f.card, u"executionProgress"_s).contains(u"1 of 4 steps done · reset_pool pass 2 running"_s));
    }

    // In-process as over a team server: who approved and when, how many more, who else
    // looks; an older plan's approval is named but not counted; then both names as it runs.
    void saysWhoApprovedAndWhoLooks()
    {
        Proposal p = first();
        p.approvalsRequired = 2;
        p.approvals << Approval { p.id, u"0ld0ld0ld0ld"_s, u"carol"_s, samples::at(60), true, {} };
        Fixture f(p);
        f.card.setNow(samples::at(600));
        auto *approvals = child<QLabel>(f.card, u"proposalApprovals"_s);
        auto *viewers = child<QLabel>(f.card, u"proposalViewers"_s);
        QCOMPARE(approvals->text(),
            u"Approvals 0 of 2 · 2 more approvals needed · carol approved an earlier plan: not counted"_s);
        QVERIFY(!viewers->isVisible());
        QCOMPARE(text(f.card, u"approvalReason"_s), u"2 approvals needed, from distinct people."_s);

        p.approvals << Approval { p.id, p.plan.fingerprint, u"alice"_s, samples::at(420), true, {} };
        f.card.offer(p);
        QVERIFY2(approvals->text().startsWith(u"Approvals 1 of 2: alice at "_s), qPrintable(approvals->text()));
        QVERIFY2(
            approvals->text().contains(u" UTC (3m 00s ago) · 1 more approval needed"_s), qPrintable(approvals->text()));
        QCOMPARE(text(f.card, u"approvalReason"_s), u"Approved by alice; 1 more approval needed."_s);
        QVERIFY(f.approve()->isEnabled());

        f.card.setViewers({ u"bob"_s, u"<b>eve</b>"_s });
        QVERIFY(viewers->isVisible());
        QVERIFY2(viewers->text().contains(u"Also looking: bob, &lt;b&gt;eve&lt;/b&gt;"_s), qPrintable(viewers->text()));
        f.card.setNow(samples::at(660));
        QVERIFY2(approvals->text().contains(u"(4m 00s ago)"_s), qPrintable(approvals->text()));

        p.approvals << Approval { p.id, p.plan.fingerprint, u"bob"_s, samples::at(650), true, {} };
        p.state = Proposal::State::Executing;
        f.card.offer(p);
        QVERIFY2(approvals->text().startsWith(u"Approvals 2 of 2: alice at "_s), qPrintable(approvals->text()));
        QVERIFY2(approvals->text().contains(u", bob at "_s), qPrintable(approvals->text()));
        QCOMPARE(text(f.card, u"approvalReason"_s), u"Approved by alice and bob; the engine is executing it."_s);
        f.card.setViewers({});
        QVERIFY(!viewers->isVisible());
    }

    void theDiagnosisReadsAsSentences()
    {
        Fixture f(first());
        Incident incident = samples::incident(u"INC-1"_s, u"api-gateway"_s, IncidentState::AwaitingApproval, 2);
        samples::addErrorRateReading(incident);
        incident.facts.insert(u"diagnose.note"_s, u"<img src=x>"_s); // an executor's text is shown, not rendered
        const Runbook runbook = samples::errorRateRunbook();
        f.card.setIncident(incident, &runbook);
        const QString shown = text(f.card, u"proposalDiagnosis"_s);
        QVERIFY2(shown.startsWith(u"Diagnosis: error rate 31.7% (max 51.3% over 10 min), read 5 s ago"_s),
            qPrintable(shown));
        QVERIFY2(shown.contains(u"note = &lt;img src=x&gt;"_s), qPrintable(shown));
        for (const QString &bookkeeping : { u"age_seconds"_s, u"diagnose."_s, u"succeeded"_s, u"avg"_s })
            QVERIFY2(!shown.contains(bookkeeping), qPrintable(shown));

        f.card.setIncident(samples::incident(u"INC-1"_s, u"api-gateway"_s), &runbook);
        QCOMPARE(text(f.card, u"proposalDiagnosis"_s), u"Diagnosis: not collected yet"_s);
    }
};

QTEST_MAIN(TestProposalCard)
#include "tst_proposalcard.moc"

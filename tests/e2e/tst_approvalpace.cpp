// One click at a human's pace: the console's real window, its real list and buttons,
// driven with mouse clicks and keys, on the demo's engine in virtual time. A person
// selects the region failover, reads it for 30 s, 3 min or 14 min, and clicks Approve:
// the plan runs. When the world changes the plan under their eyes, the banner says
// what changed and only the new plan can be approved; after the approval window the
// bar says why the click cannot go through; a denial takes a reason.
#include "models/incidentmodel.h"
#include "models/link/consolemodels.h"
#include "models/link/enginelink.h"
#include "models/present/proposalbook.h"
#include "scenariorig.h"
#include "simulator/scenarios/consoledemo.h"
#include "tests/support/checklist.h"
#include "tests/support/incidentrow.h"
#include "tests/support/widgetlookup.h"
#include "ui/incidentlist.h"
#include "ui/incidentview.h"
#include "ui/mainwindow.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>

using namespace std::chrono_literals;
using antibody::test::child;
using antibody::test::clickIncidentRow;

namespace antibody::e2e {
namespace {

// The console as `antibody` builds it, with the engine on the GUI thread so that the
// test owns the clock: the same models, link, window and demo script.
struct Console
{
    explicit Console(std::optional<int> level = {})
        : clock(*parseTime(u"2026-12-02T03:00:00Z"_s))
    {
        ScenarioRun::Options options;
        options.approvals = ScenarioRun::Approvals::None; // the person at the console answers
        options.runbooks = shippedRunbooks();
        options.level = level;
        run = std::make_unique<ScenarioRun>(sim::consoleDemo(), clock, options);
        window = std::make_unique<MainWindow>(&models, &link, &link);
        window->resize(1400, 900);
        window->show();
        run->start();
        link.attach(&run->engine(), &clock, run->environment().metricSource());
    }

    // Virtual time passes as it would while a person reads; the console keeps up.
    void wait(Duration d)
    {
        const TimePoint until = clock.now() + d;
        while (clock.now() < until) {
            clock.advanceBy(std::min<Duration>(Duration { 5'000 }, until - clock.now()));
            QCoreApplication::processEvents();
        }
        settle();
    }

    // Lets queued answers and the models' coalescing land.
    void settle()
    {
        for (int i = 0; i < 3; ++i) {
            QCoreApplication::processEvents();
            models.flush();
        }
        QCoreApplication::processEvents();
    }

    std::optional<Incident> waitingFor(const QString &runbook) const
    {
        for (const Incident &i : run->engine().incidents()) {
            if (i.runbook == runbook && i.state == IncidentState::AwaitingApproval)
                return i;
        }
        return std::nullopt;
    }

    // Plays the demo until an incident of `runbook` waits for approval.
    std::optional<Incident> untilWaiting(const QString &runbook)
    {
        for (int i = 0; i < 240 && !waitingFor(runbook); ++i)
            wait(5s);
        return waitingFor(runbook);
    }

    // Plays the demo until `runbook` waits, then clicks its row: what the person sees first.
    std::optional<Incident> selectWaiting(const QString &runbook)
    {
        const auto waiting = untilWaiting(runbook);
        if (!waiting || !clickRow(waiting->id))
            return std::nullopt;
        return waiting;
    }

    // A real click on the incident's row in the list.
    bool clickRow(const QString &incidentId)
    {
        settle();
        const bool clicked = clickIncidentRow(*window, incidentId);
        settle();
        return clicked && window->incidentView()->incidentId() == incidentId;
    }

    QPushButton *approve() const { return child<QPushButton>(window.get(), u"approveButton"_s); }
    QString reason() const { return child<QLabel>(window.get(), u"approvalReason"_s)->text(); }
    bool bannerShown() const { return child<QWidget>(window.get(), u"planChangedBanner"_s)->isVisible(); }

    IncidentState state(const QString &id) const { return run->engine().incident(id)->state; }

    VirtualClock clock;
    ConsoleModels models;
    EngineLink link { &models, QStringLiteral("alice@console") };
    std::unique_ptr<ScenarioRun> run;
    std::unique_ptr<MainWindow> window;
};

bool ranOrRuns(IncidentState s)
{
    return s == IncidentState::Executing || s == IncidentState::Verifying || s == IncidentState::Resolved;
}

} // namespace

class TestApprovalPace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // the window's settings go to a throwaway place
    }

    void approveAfterReadingRunsThePlanShown_data()
    {
        QTest::addColumn<int>("readSeconds");
        QTest::addRow("30 s") << 30;
        QTest::addRow("3 min") << 180;
        QTest::addRow("14 min") << 14 * 60;
    }

    void approveAfterReadingRunsThePlanShown()
    {
        QFETCH(int, readSeconds);
        Console c;
        const auto region = c.selectWaiting(u"region-failover"_s);
        QVERIFY2(region, "the demo's region failover never waited for approval");
        const QString shown = c.run->engine().proposal(region->proposalId)->plan.fingerprint;
        QVERIFY(c.approve()->isEnabled());

        c.wait(Duration { readSeconds * 1000LL }); // the person reads the card
        const auto now = c.run->engine().proposal(c.run->engine().incident(region->id)->proposalId);
        QCOMPARE(now->plan.fingerprint, shown); // the world did not change the plan
        QVERIFY2(c.approve()->isEnabled(), qPrintable(c.reason()));
        QVERIFY(!c.bannerShown());

        QTest::mouseClick(c.approve(), Qt::LeftButton);
        c.settle();
        c.wait(30s);
        QVERIFY2(ranOrRuns(c.state(region->id)), qPrintable(c.reason()));
        QCOMPARE(c.run->actionsExecuted().value(u"failover_region"_s), 1);
        QVERIFY2(!c.reason().contains(u"refused"_s), qPrintable(c.reason()));
    }

    void aPlanThatChangedMustBeReviewedThenRuns()
    {
        // At level 2 the pool leak waits too; its leaked connections keep coming, so the
        // plan's pool changes while the person reads.
        Console c(2);
        const auto pool = c.selectWaiting(u"connection-pool-exhaustion"_s);
        QVERIFY2(pool, "the pool leak never waited for approval");
        const QString shownId = c.run->engine().incident(pool->id)->proposalId;
        for (int i = 0; i < 120 && c.run->engine().incident(pool->id)->proposalId == shownId; ++i)
            c.wait(5s);
        QVERIFY2(c.run->engine().incident(pool->id)->proposalId != shownId, "the plan never changed in 10 minutes");
        QTRY_VERIFY(c.bannerShown());
        QVERIFY(!c.approve()->isEnabled()); // the plan on screen can no longer be approved
        QTest::mouseClick(c.approve(), Qt::LeftButton);
        c.settle();
        QCOMPARE(c.run->actionsExecuted().value(u"terminate_connections"_s), 0);

        QTest::mouseClick(child<QPushButton>(c.window.get(), u"reviewPlanButton"_s), Qt::LeftButton);
        c.settle();
        QVERIFY2(c.approve()->isEnabled(), qPrintable(c.reason()));
        c.wait(20s); // reads the new plan
        if (!c.approve()->isEnabled() && c.bannerShown()) {
            // It changed again meanwhile (the leak is relentless): review once more.
            QTest::mouseClick(child<QPushButton>(c.window.get(), u"reviewPlanButton"_s), Qt::LeftButton);
            c.settle();
        }
        QVERIFY2(c.approve()->isEnabled(), qPrintable(c.reason()));
        QTest::mouseClick(c.approve(), Qt::LeftButton);
        c.settle();
        c.wait(30s);
        QVERIFY2(c.run->actionsExecuted().value(u"terminate_connections"_s) >= 1, qPrintable(c.reason()));
    }

    void afterTheApprovalWindowTheBarSaysWhy()
    {
        Console c;
        const auto region = c.selectWaiting(u"region-failover"_s);
        QVERIFY(region);
        c.wait(16min); // fell asleep over the card
        QVERIFY(!c.approve()->isEnabled());
        QVERIFY2(c.reason().contains(u"review"_s, Qt::CaseInsensitive), qPrintable(c.reason()));
        QVERIFY(c.bannerShown());
        const QString banner = child<QLabel>(c.window.get(), u"planChangedText"_s)->text();
        QVERIFY2(banner.contains(u"approval window"_s), qPrintable(banner));
        QTest::mouseClick(c.approve(), Qt::LeftButton); // the disabled button does nothing
        c.settle();
        QCOMPARE(c.run->actionsExecuted().value(u"failover_region"_s), 0);
        // Looking again, the person approves the plan made again: it runs.
        QTest::mouseClick(child<QPushButton>(c.window.get(), u"reviewPlanButton"_s), Qt::LeftButton);
        c.settle();
        QVERIFY2(c.approve()->isEnabled(), qPrintable(c.reason()));
        QTest::mouseClick(c.approve(), Qt::LeftButton);
        c.settle();
        c.wait(30s);
        QCOMPARE(c.run->actionsExecuted().value(u"failover_region"_s), 1);
    }

    // A level 1 checklist the person would rather the engine ran: Request a run, with a
    // reason; the plan then waits for someone else, and this console cannot approve it
    // however long its person waits; a colleague's approval runs it.
    void aRequestedChecklistWaitsForSomeoneElse()
    {
        Console c(1);
        for (int i = 0; i < 240 && !antibody::test::shownChecklist(c.run->engine(), u"region-failover"_s); ++i)
            c.wait(5s);
        const auto shown = antibody::test::shownChecklist(c.run->engine(), u"region-failover"_s);
        QVERIFY2(shown, "the region runbook never showed its checklist");
        const auto region = c.run->engine().incident(shown->incidentId);
        QVERIFY(c.clickRow(region->id));
        auto *request = child<QPushButton>(c.window.get(), u"requestRunButton"_s);
        QVERIFY(request->isVisible());
        QVERIFY(!c.approve()->isEnabled());
        QVERIFY2(c.reason().contains(u"request a run"_s), qPrintable(c.reason()));

        c.wait(2min); // reads the checklist, decides the engine should run it
        const QString shots = qEnvironmentVariable("ANTIBODY_SCREENSHOTS");
        if (!shots.isEmpty())
            c.window->grab().save(shots + u"/request-a-run.png"_s);
        c.window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(c.window.get()));
        QVERIFY2(request->isVisible(), qPrintable(c.reason()));
        QTest::keyClick(c.window.get(), Qt::Key_Q, Qt::AltModifier); // a button's shortcut clicks it 100 ms later
        auto *why = child<QLineEdit>(c.window.get(), u"denyReason"_s);
        QTRY_VERIFY(why->isVisible());
        QCOMPARE(child<QPushButton>(c.window.get(), u"confirmDenyButton"_s)->text(), u"Request"_s);
        QTest::keyClicks(why, u"eu-west-1 is down; the checklist by hand takes 20 min"_s);
        QTest::keyClick(why, Qt::Key_Return);
        c.settle();
        c.wait(1s);
        const Proposal waiting = *c.run->engine().proposal(c.run->engine().incident(region->id)->proposalId);
        QCOMPARE(waiting.requestedBy, u"alice@console"_s);
        QVERIFY2(waiting.decision.mode == Mode::Approve, qPrintable(waiting.decision.reasons.join(u"; "_s)));
        QVERIFY(!request->isVisible());
        QCOMPARE(c.approve()->text(), u"Requested by you"_s);
        QVERIFY(!c.approve()->isEnabled());
        QVERIFY2(c.reason().contains(u"someone else"_s), qPrintable(c.reason()));
        if (!shots.isEmpty())
            c.window->grab().save(shots + u"/request-waits.png"_s);

        c.wait(5min); // nobody else yet; Ctrl+Return does nothing here
        QTest::keyClick(c.window.get(), Qt::Key_Return, Qt::ControlModifier);
        c.settle();
        QCOMPARE(c.run->actionsExecuted().value(u"failover_region"_s), 0);
        const auto now = c.run->engine().proposal(c.run->engine().incident(region->id)->proposalId);
        const auto bob = c.run->engine().approve(now->id, now->plan.fingerprint, u"bob"_s); // from another console
        QVERIFY2(bob.status == Engine::ApprovalResult::Status::Executing, qPrintable(bob.reason));
        c.wait(30s);
        QCOMPARE(c.run->actionsExecuted().value(u"failover_region"_s), 1);
    }

    void denyAfterReadingTakesAReason()
    {
        Console c;
        const auto region = c.selectWaiting(u"region-failover"_s);
        QVERIFY(region);
        c.wait(3min);
        QTest::mouseClick(child<QPushButton>(c.window.get(), u"denyButton"_s), Qt::LeftButton);
        auto *why = child<QLineEdit>(c.window.get(), u"denyReason"_s);
        QTest::keyClicks(why, u"the CDN is failing over us-east-1 already"_s);
        QTest::keyClick(why, Qt::Key_Return);
        c.settle();
        c.wait(10s);
        QCOMPARE(c.state(region->id), IncidentState::Escalated);
        QCOMPARE(c.run->actionsExecuted().value(u"failover_region"_s), 0);
        bool denied = false;
        for (const EngineEvent &e : c.run->events())
            denied |= e.kind == EngineEvent::Kind::Denied && e.detail.contains(u"CDN"_s)
                && e.detail.contains(u"alice@console"_s);
        QVERIFY(denied);
        QVERIFY2(c.reason().contains(u"Denied"_s), qPrintable(c.reason()));
    }
};

} // namespace antibody::e2e

QTEST_MAIN(antibody::e2e::TestApprovalPace)
#include "tst_approvalpace.moc"

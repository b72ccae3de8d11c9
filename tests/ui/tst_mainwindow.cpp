#include "models/editor/runbookcommands.h"
#include "models/eventfilter.h"
#include "models/link/consolemodels.h"
#include "tests/support/recordingcommands.h"
#include "tests/support/samples.h"
#include "tests/support/widgetlookup.h"
#include "ui/approvaltray.h"
#include "ui/auditpanel.h"
#include "ui/breakerpanel.h"
#include "ui/editor/editorview.h"
#include "ui/editor/runbooktextedit.h"
#include "ui/incidentlist.h"
#include "ui/incidentview.h"
#include "ui/mainwindow.h"
#include "ui/proposalcard.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using antibody::test::child;
using namespace antibody;
using samples::RecordingCommands;
using Kind = EngineEvent::Kind;

namespace {

// The editor's side of the engine, answering nothing: what the window wires is under test.
class SilentRunbookCommands : public RunbookCommands
{
public:
    void dryRun(const Runbook &) override { ++dryRuns; }
    void drill(const Runbook &) override { }
    void install(const Runbook &) override { }
    void loadDrillHistory(const QStringList &) override { }
    int dryRuns = 0;
};

// Three incidents as the engine would report them: one waiting for approval,
// one escalated under a never-automate guard, one healed automatically.
void fill(ConsoleModels &models)
{
    Incident waiting = samples::incident(u"INC-1"_s, u"checkout-svc"_s, IncidentState::AwaitingApproval, 2);
    waiting.proposalId = u"P-1"_s;
    Incident escalated = samples::incident(u"INC-2"_s, u"orders-db"_s, IncidentState::Escalated, 3, u"critical"_s, 10);
    escalated.title = u"DataCorruptionSuspected"_s;
    escalated.guards.insert(Guard::DataCorruption);
    escalated.history.back().reason = u"a never-automate guard holds: data corruption is suspected"_s;
    Incident healed = samples::incident(u"INC-3"_s, u"orders-db"_s, IncidentState::Resolved, 3, u"high"_s, 20);
    healed.resolvedAt = samples::at(65);
    for (const Incident &i : { waiting, escalated, healed })
        models.updateIncident(i);
    models.updateProposal(samples::proposal(u"P-1"_s, samples::poolPlan(u"INC-1"_s)));
    models.addEvent(samples::event(Kind::Detected, 0, u"INC-1"_s, u"pool at 95%"_s));
    models.addEvent(samples::event(Kind::Resolved, 65, u"INC-3"_s, u"pool at 62%"_s));
    models.addEvent(samples::event(Kind::Escalated, 40, u"INC-2"_s, u"escalated with diagnostics"_s));
    models.updateBreaker(samples::breaker(u"restart-crashloop"_s, BreakerState::State::Open, 3, 30));
    models.setNow(samples::at(90));
    models.flush();
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;

private Q_SLOTS:
    void initTestCase()
    {
        // Window state goes to a throwaway place, never the user's settings.
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(u"antibody-test"_s);
        QCoreApplication::setApplicationName(u"tst_mainwindow"_s);
    }

    void opensOnWhatNeedsAHuman()
    {
        ConsoleModels models;
        RecordingCommands commands;
        MainWindow window(&models, &commands, nullptr);
        fill(models);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Sorted with the approval first, and selected without a click.
        QTRY_COMPARE(window.incidentView()->incidentId(), u"INC-1"_s);
        auto *approve = child<QPushButton>(&window, u"approveButton"_s);
        QVERIFY(approve->isEnabled());
        QCOMPARE(window.tabs()->tabText(0), u"Incidents (1 waiting)"_s);
        QCOMPARE(window.tabs()->tabText(2), u"Circuit breakers (1 open)"_s);
        QCOMPARE(window.windowTitle(), u"Antibody — 1 waiting for approval"_s);
        QVERIFY(child<QLabel>(&window, u"engineClock"_s)->text().contains(u"20:28:10"_s));
        QTest::mouseClick(approve, Qt::LeftButton);
        QCOMPARE(commands.calls.size(), 1);
        QCOMPARE(commands.calls.at(0).fingerprint, samples::poolPlan(u"INC-1"_s).fingerprint);
    }

    void groupedAlertsAreListedInsideTheIncident()
    {
        ConsoleModels models;
        RecordingCommands commands;
        MainWindow window(&models, &commands, nullptr);
        Incident region = samples::incident(u"INC-9"_s, u"api-gateway"_s, IncidentState::AwaitingApproval, 2);
        QJsonArray alerts;
        for (int i = 0; i < 6; ++i) {
            alerts.append(QJsonObject { { u"fingerprint"_s, QString::number(i) },
                { u"name"_s, i ? u"HighErrorRate"_s : u"RegionDegraded"_s }, { u"service"_s, u"svc-%1"_s.arg(i) },
                { u"summary"_s, u"error rate at <%1%>"_s.arg(10 + i) } });
        }
        region.diagnostics.insert(u"alerts"_s, alerts);
        models.updateIncident(region);
        models.flush();
        window.show();
        window.openIncident(u"INC-9"_s);
        auto *label = child<QLabel>(&window, u"groupedAlerts"_s);
        QTRY_VERIFY(label->isVisible());
        QVERIFY2(label->text().contains(u"6 alerts of this one problem"_s), qPrintable(label->text()));
        QVERIFY(
            label->text().contains(u"RegionDegraded on svc-0: error rate at &lt;10%&gt;"_s)); // escaped, never markup
        QVERIFY(label->text().contains(u"and 2 more"_s));
        QVERIFY(!label->text().contains(u"svc-5"_s)); // a few lines; the rest are in the Diagnostics tab
        // A single alert says nothing more than the title.
        region.diagnostics.insert(u"alerts"_s, QJsonArray { alerts.at(0) });
        models.updateIncident(region);
        models.flush();
        QTRY_VERIFY(!label->isVisible());
    }

    void escalationOpensOnWhyYouWerePaged()
    {
        ConsoleModels models;
        RecordingCommands commands;
        MainWindow window(&models, &commands, nullptr);
        fill(models);
        window.show();
        window.openIncident(u"INC-2"_s);
        QCOMPARE(window.incidentView()->incidentId(), u"INC-2"_s);
        auto *brief = child<QWidget>(&window, u"escalationView"_s);
        QVERIFY(brief->isVisible());
        QVERIFY(!child<QWidget>(&window, u"proposalCard"_s)->isVisible());
        const QString text = child<QWidget>(&window, u"escalationBrief"_s)->property("plainText").toString();
        QVERIFY2(text.contains(guardReason(Guard::DataCorruption)), qPrintable(text));
        QVERIFY(text.contains(u"Nothing was executed: state is preserved"_s));
        // Moving on to an incident waiting for approval shows its proposal instead.
        window.openIncident(u"INC-1"_s);
        QVERIFY(!brief->isVisible());
        QVERIFY(child<QWidget>(&window, u"proposalCard"_s)->isVisible());
    }

    void keyboardSearchAndBack()
    {
        ConsoleModels models;
        RecordingCommands commands;
        MainWindow window(&models, &commands, nullptr);
        fill(models);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        auto *search = child<QLineEdit>(&window, u"incidentSearch"_s);
        QTRY_VERIFY(search->hasFocus());
        QTest::keyClicks(search, u"orders corrupt"_s);
        auto *table = child<QTableView>(&window, u"incidentTable"_s);
        QCOMPARE(table->model()->rowCount(), 1);
        QTest::keyClick(search, Qt::Key_Down);
        QVERIFY(table->hasFocus());
        QCOMPARE(window.incidentView()->incidentId(), u"INC-2"_s);
        QTest::keyClick(table, Qt::Key_Slash);
        QVERIFY(search->hasFocus());
        QTest::keyClick(search, Qt::Key_Escape);
        QVERIFY(search->text().isEmpty());
        QVERIFY(table->hasFocus());
        QCOMPARE(table->model()->rowCount(), 3);
    }

    void f8WalksTheApprovalQueue()
    {
        ConsoleModels models;
        RecordingCommands commands;
        MainWindow window(&models, &commands, nullptr);
        fill(models);
        Incident second = samples::incident(u"INC-4"_s, u"payments"_s, IncidentState::AwaitingApproval, 2);
        models.updateIncident(second);
        Proposal p = samples::proposal(u"P-4"_s, samples::poolPlan(u"INC-4"_s));
        p.createdAt = samples::at(500);
        models.updateProposal(p);
        models.flush();
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.openIncident(u"INC-3"_s);
        QTest::keyClick(&window, Qt::Key_F8);
        QCOMPARE(window.incidentView()->incidentId(), u"INC-1"_s);
        QTest::keyClick(&window, Qt::Key_F8);
        QCOMPARE(window.incidentView()->incidentId(), u"INC-4"_s);
        QTest::keyClick(&window, Qt::Key_F8);
        QCOMPARE(window.incidentView()->incidentId(), u"INC-1"_s);
    }

    void breakerResetAsksFirst()
    {
        ConsoleModels models;
        RecordingCommands commands;
        MainWindow window(&models, &commands, nullptr);
        fill(models);
        window.show();
        window.showTab(MainWindow::Tab::Breakers);
        BreakerPanel *panel = window.breakerPanel();
        models.updateBreaker(samples::breaker(u"connection-pool-exhaustion"_s, BreakerState::State::Closed, 1));
        auto *reset = child<QPushButton>(panel, u"resetBreakerButton"_s);
        QVERIFY(reset->isEnabled()); // the first breaker is selected for you, and it is open
        panel->table()->setCurrentIndex(panel->table()->model()->index(1, 0));
        QVERIFY(!reset->isEnabled()); // a closed breaker has nothing to reset
        panel->table()->setCurrentIndex(panel->table()->model()->index(0, 0));
        QVERIFY(reset->isEnabled());
        QString asked;
        bool answer = false;
        panel->setConfirm([&](QWidget *, const QString &, const QString &text) {
            asked = text;
            return answer;
        });
        QTest::mouseClick(reset, Qt::LeftButton);
        QVERIFY(asked.contains(u"restart-crashloop"_s));
        QVERIFY(asked.contains(u"tester@console"_s)); // the audit names who reset it
        QVERIFY(commands.calls.isEmpty()); // cancelled: nothing sent
        answer = true;
        QTest::mouseClick(reset, Qt::LeftButton);
        QCOMPARE(commands.calls.size(), 1);
        QCOMPARE(commands.calls.at(0).what, u"reset"_s);
        QCOMPARE(commands.calls.at(0).id, u"restart-crashloop"_s);
    }

    void auditExportsWhatIsShown()
    {
        ConsoleModels models;
        RecordingCommands commands;
        MainWindow window(&models, &commands, nullptr);
        fill(models);
        QTemporaryDir dir;
        AuditPanel *audit = window.auditPanel();
        audit->filter()->setIncident(u"INC-1"_s);
        const QString path = dir.filePath(u"audit.jsonl"_s);
        audit->setAskPath([&path](QWidget *) { return path; });
        QSignalSpy exported(audit, &AuditPanel::exported);
        audit->exportShown();
        QTRY_COMPARE(exported.size(), 1);
        QVERIFY2(exported.at(0).at(0).toBool(), qPrintable(exported.at(0).at(1).toString()));
        QCOMPARE(exported.at(0).at(1).toString(), u"Exported 1 events to %1."_s.arg(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().count('\n'), 1);

        audit->setAskPath([](QWidget *) { return u"/tmp/audit.docx"_s; });
        audit->exportShown();
        QCOMPARE(exported.size(), 2);
        QVERIFY(!exported.at(1).at(0).toBool());
        QVERIFY(exported.at(1).at(1).toString().contains(u"Name the file .csv or .jsonl"_s));
    }

    void degradedFeedShowsInTheStatusBar()
    {
        ConsoleModels models;
        RecordingCommands commands;
        MainWindow window(&models, &commands, nullptr);
        FeedHealth feed;
        feed.feed = u"prometheus http://127.0.0.1:19090"_s;
        feed.state = FeedHealth::State::Degraded;
        feed.reason = u"HTTP 503 from /api/v1/query"_s;
        models.updateFeed(feed);
        const QString text = child<QLabel>(&window, u"feedStatus"_s)->text();
        QVERIFY2(text.contains(u"degraded — HTTP 503 from /api/v1/query"_s), qPrintable(text));
        QVERIFY(text.contains(u"the engine will not act on stale data"_s));
    }

    void trayNotificationSaysWhatAndOpensIt()
    {
        const Proposal p = samples::proposal(u"P-1"_s, samples::poolPlan(u"INC-1"_s));
        const auto [title, body] = ApprovalTray::notification({ p });
        QCOMPARE(title, u"Approval waiting: connection-pool-exhaustion"_s);
        QCOMPARE(body, u"checkout-svc · 2 of 5 pods · 40% · cap 2 per cycle · 3 left serving. Click to review."_s);
        const auto burst
            = ApprovalTray::notification({ p, samples::proposal(u"P-2"_s, samples::poolPlan(u"INC-2"_s)) });
        QCOMPARE(burst.first, u"2 approvals waiting"_s);

        ConsoleModels models;
        RecordingCommands commands;
        MainWindow window(&models, &commands, nullptr);
        QSignalSpy notified(window.tray(), &ApprovalTray::notified);
        fill(models);
        QTRY_COMPARE(notified.size(), 1); // one notification for the burst, whether or not a tray exists
        QCOMPARE(window.tray()->count(), 1);
        QCOMPARE(window.tray()->toolTip(), u"Antibody: 1 approval waiting"_s);
        QVERIFY(!ApprovalTray::badged(QIcon(u":/icons/antibody.svg"_s), 3).pixmap(64).isNull());
    }

    void theRunbooksTabHostsTheEditor()
    {
        ConsoleModels models;
        RecordingCommands commands;
        SilentRunbookCommands runbooks;
        {
            MainWindow plain(&models, &commands, nullptr);
            QVERIFY(!plain.editor()); // the tests' consoles without an engine have no editor
            QCOMPARE(plain.tabs()->count(), 5);
        }
        MainWindow window(&models, &commands, nullptr, &runbooks);
        QVERIFY(window.editor());
        QCOMPARE(window.tabs()->count(), 6);
        QCOMPARE(window.tabs()->tabText(int(MainWindow::Tab::Runbooks)), u"Runbooks"_s);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::keyClick(&window, Qt::Key_6, Qt::ControlModifier);
        QCOMPARE(window.tabs()->currentWidget(), window.editor());

        // Closing with unsaved runbook text asks first, and Cancel keeps the window open.
        QTemporaryDir dir;
        const QString file = dir.filePath(u"pool.yaml"_s);
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(
            "name: pool\nlevel: 1\ntrigger: { alert: PoolHigh }\nsteps:\n  - name: look\n    action: query_metrics\n"
            "    params: { metric: db_pool_utilization }\n");
        out.close();
        QVERIFY(window.editor()->openFile(file));
        int asked = 0;
        window.editor()->setAsker([&asked](EditorView::Question q, const QString &) {
            asked += q == EditorView::Question::UnsavedChanges;
            return EditorView::Answer::Cancel;
        });
        window.editor()->textEdit()->appendPlainText(u"# a change"_s);
        QVERIFY(!window.close());
        QCOMPARE(asked, 1);
        QVERIFY(window.isVisible());
        window.editor()->setAsker([](EditorView::Question, const QString &) { return EditorView::Answer::Discard; });
        QVERIFY(window.close());
    }

    void windowStateIsRemembered()
    {
        {
            ConsoleModels models;
            RecordingCommands commands;
            MainWindow window(&models, &commands, nullptr);
            window.restoreWindowState();
            window.resize(1000, 700);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.showTab(MainWindow::Tab::Mttr);
            window.close();
        }
        ConsoleModels models;
        RecordingCommands commands;
        MainWindow window(&models, &commands, nullptr);
        window.restoreWindowState();
        QCOMPARE(window.tabs()->currentIndex(), int(MainWindow::Tab::Mttr));
        QCOMPARE(window.size(), QSize(1000, 700));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

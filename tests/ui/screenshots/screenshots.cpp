// antibody_screenshots OUTDIR: the console's main views, rendered on the offscreen
// platform from the demo script played in virtual time (the same script, engine and
// runbooks as the demo), written as OUTDIR/*.png. scripts/screenshots writes them
// to docs/screenshots/; the `screenshots_render` test renders them into the build
// folder and fails when a view comes out blank or cannot be written.
#include "engine/core/virtualclock.h"
#include "engine/runbook/runbookloader.h"
#include "engine/runbook/shippedlibrary.h"
#include "engine/store/memorystore.h"
#include "models/editor/runbooklink.h"
#include "models/link/consolemodels.h"
#include "models/link/enginelink.h"
#include "simulator/rehearsal/simulateddrill.h"
#include "simulator/scenarios/consoledemo.h"
#include "simulator/scenarios/scenariorun.h"
#include "ui/editor/editorview.h"
#include "ui/editor/runbooktextedit.h"
#include "ui/incidentlist.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QSet>
#include <QTabWidget>
#include <QTextStream>
#include <QTimer>
#include <functional>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody {
namespace {

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

struct Console
{
    VirtualClock clock { *parseTime(u"2026-12-02T03:00:00Z"_s) };
    MemoryStore store;
    ConsoleModels models;
    EngineLink link { &models, u"alice"_s };
    RunbookLink runbooks { [](const Runbook &r, TimePoint at) { return sim::SimulatedDrill::run(r, at); } };
    std::unique_ptr<sim::ScenarioRun> run;
    std::unique_ptr<MainWindow> window;

    // Lets queued calls, coalescing timers and virtual time move on together, the
    // virtual clock no faster than the wall clock (answers of the metric source come
    // on the clock's next turn, so it must move, but the picture should not age).
    void settle(int realMs = 400)
    {
        QElapsedTimer t;
        t.start();
        qint64 moved = 0;
        while (t.elapsed() < realMs) {
            QEventLoop wait;
            QTimer::singleShot(20, &wait, &QEventLoop::quit);
            wait.exec();
            clock.advanceBy(Duration { t.elapsed() - moved });
            moved = t.elapsed();
            models.flush();
        }
    }

    QString incidentWhere(const std::function<bool(const Incident &)> &wanted) const
    {
        for (const Incident &i : run->incidents()) {
            if (wanted(i))
                return i.id;
        }
        return {};
    }
    QString incidentOf(const QString &runbook) const
    {
        return incidentWhere([&](const Incident &i) { return i.runbook == runbook; });
    }
};

// A view that rendered nothing (a blank or single-colour image) is a failure.
bool looksRendered(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    }
    return colours.size() > 20;
}

bool save(QWidget *widget, const QDir &out, const QString &name)
{
    const QImage image = widget->grab().toImage();
    const QString file = out.filePath(name + u".png"_s);
    if (!looksRendered(image)) {
        err() << "antibody_screenshots: " << name << " came out blank\n";
        return false;
    }
    if (!image.save(file)) {
        err() << "antibody_screenshots: cannot write " << file << '\n';
        return false;
    }
    QTextStream(stdout) << file << '\n';
    return true;
}

} // namespace
} // namespace antibody

int main(int argc, char *argv[])
{
    using namespace antibody;
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"antibody-screenshots"_s);
    QApplication::setOrganizationName(u"antibody"_s);
    const QStringList args = QApplication::arguments();
    if (args.size() != 2) {
        err() << "usage: antibody_screenshots OUTDIR\n";
        return 2;
    }
    QDir out(args.at(1));
    if (!out.mkpath(u"."_s)) {
        err() << "antibody_screenshots: cannot create " << out.path() << '\n';
        return 1;
    }
    const QString library = shippedRunbookFolder();
    const LibraryResult loaded = loadRunbookLibrary({ library });
    if (loaded.hasErrors() || loaded.runbooks.isEmpty()) {
        err() << "antibody_screenshots: the shipped runbooks do not load: run `antibodyctl lint runbooks`\n";
        return 1;
    }
    Theme::rememberSystemPalette();
    Theme::apply(Theme::Choice::Light);

    Console c;
    sim::ScenarioRun::Options options;
    options.approvals = sim::ScenarioRun::Approvals::None;
    options.runbooks = loaded.runbooks;
    options.store = &c.store;
    options.identity = u"alice@oncall-laptop (pid 4711)"_s;
    c.run = std::make_unique<sim::ScenarioRun>(sim::consoleDemo(), c.clock, options);
    c.window = std::make_unique<MainWindow>(&c.models, &c.link, &c.link, &c.runbooks);
    c.link.attach(&c.run->engine(), &c.clock, c.run->environment().metricSource());
    c.runbooks.attach(&c.run->engine(), &c.clock, c.run->environment().metricSource(), &c.store,
        QApplication::translate("screenshots", "the simulated fleet"));
    c.window->setEngineStatus(
        QApplication::translate("screenshots", "Demo: the simulated fleet at 12× (no --config given)"));
    c.window->editor()->setLibraryFolder(library);
    c.window->resize(1440, 900);
    c.window->show();
    c.run->start();
    // The first real minute of the demo, a few simulated seconds at a time so the
    // console's models see the incidents unfold as they would live.
    const TimePoint end = c.clock.now() + std::chrono::duration_cast<Duration>(60s * sim::consoleDemoPace);
    while (c.clock.now() < end) {
        c.clock.advanceBy(5s);
        QApplication::processEvents();
    }
    c.settle(1500);

    // An incident's view; one the demo did not produce is a failure that says what is missing.
    const auto shootIncident = [&](const QString &id, const QString &name, const char *missing) {
        if (id.isEmpty()) {
            err() << "antibody_screenshots: the demo has no " << missing << '\n';
            return false;
        }
        c.window->openIncident(id);
        c.settle(1500);
        return save(c.window.get(), out, name);
    };
    const QString corruption = c.incidentWhere([](const Incident &i) {
        return i.guards.contains(Guard::DataCorruption) && i.state == IncidentState::Escalated;
    });
    // The Level 3 auto-heal as its chart tells it: a marker per step, the line back under the goal.
    const QString healed = c.incidentWhere([](const Incident &i) {
        return i.runbook == u"connection-pool-exhaustion" && i.state == IncidentState::Resolved;
    });
    bool ok = shootIncident(c.incidentOf(u"region-failover"_s), u"incident-proposal"_s, "region failover waiting");
    ok = shootIncident(corruption, u"escalation"_s, "escalated data corruption") && ok;
    ok = shootIncident(healed, u"incident-healed"_s, "healed connection pool") && ok;
    for (auto [tab, name] : { std::pair { MainWindow::Tab::Activity, u"activity"_s },
             std::pair { MainWindow::Tab::Breakers, u"breakers"_s }, std::pair { MainWindow::Tab::Audit, u"audit"_s },
             std::pair { MainWindow::Tab::Mttr, u"mttr"_s } }) {
        c.window->showTab(tab);
        c.settle(500);
        ok = save(c.window.get(), out, name) && ok;
    }

    // The editor: the seed's runbook with a misspelt action, then a dry run of it.
    EditorView *editor = c.window->editor();
    c.window->showTab(MainWindow::Tab::Runbooks);
    if (!editor->openFile(QDir(library).filePath(u"connection-pool-exhaustion.yaml"_s))) {
        err() << "antibody_screenshots: cannot open the pool runbook\n";
        return 1;
    }
    c.settle(800);
    const QString text = editor->textEdit()->toPlainText();
    editor->textEdit()->setPlainText(
        QString(text).replace(u"action: terminate_connections"_s, u"action: terminate_conections"_s));
    c.settle(1500);
    ok = save(c.window.get(), out, u"editor-error"_s) && ok;
    editor->textEdit()->setPlainText(text);
    c.settle(1000);
    editor->dryRun();
    c.settle(2000);
    ok = save(c.window.get(), out, u"editor-dry-run"_s) && ok;
    return ok ? 0 : 1;
}

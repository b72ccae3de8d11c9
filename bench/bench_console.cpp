// The console's GUI thread: 10,000 incidents in the list, 20 live series of 3,600
// points updating at 1 Hz (goal: under 16 ms of GUI-thread time per update), the
// start-up to the first window (goal: under 1 s) and the resident memory of the
// demo after its first minute (goal: under 200 MB). Offscreen; the figures are the
// GUI thread's work, painting included.
#include "bench/benchmark.h"
#include "engine/core/virtualclock.h"
#include "engine/runbook/runbookloader.h"
#include "engine/runbook/shippedlibrary.h"
#include "models/incidentmodel.h"
#include "models/link/consolemodels.h"
#include "models/link/enginelink.h"
#include "simulator/scenarios/consoledemo.h"
#include "simulator/scenarios/scenariorun.h"
#include "ui/incidentlist.h"
#include "ui/mainwindow.h"
#include "ui/metricchart.h"

#include <QApplication> // bench/main.cpp makes it, on the offscreen platform
#include <QElapsedTimer>
#include <QFile>
#include <QGridLayout>
#include <QRegularExpression>
#include <QtMath>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

using namespace antibody;

double msSince(const QElapsedTimer &t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

// Runs `update(i)` for i = 1..count and reports the mean and the worst time of one.
template <typename F> void reportUpdates(const QString &name, int count, F &&update)
{
    double worst = 0;
    double total = 0;
    QElapsedTimer t;
    for (int i = 1; i <= count; ++i) {
        t.restart();
        update(i);
        const double ms = msSince(t);
        worst = std::max(worst, ms);
        total += ms;
    }
    bench::report(name, total / count, u"ms/update"_s);
    bench::report(name + u"_worst"_s, worst, u"ms"_s);
}

double residentMegabytes()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    static const QRegularExpression rss(u"VmRSS:\\s+(\\d+) kB"_s);
    const auto m = rss.match(QString::fromLatin1(status.readAll()));
    return m.hasMatch() ? m.captured(1).toDouble() / 1024.0 : -1;
}

Incident incidentNumber(int i, TimePoint at)
{
    static const QStringList services { u"checkout-svc"_s, u"orders-db"_s, u"search-svc"_s, u"catalog-svc"_s };
    Incident inc;
    inc.id = u"INC-%1"_s.arg(i, 6, 16, QChar(u'0'));
    inc.service = services.at(i % services.size());
    inc.severity = i % 7 == 0 ? u"critical"_s : u"warning"_s;
    inc.title = u"pool utilization over 90% on %1"_s.arg(inc.service);
    inc.runbook = u"connection-pool-exhaustion"_s;
    inc.level = 2 + i % 2;
    inc.state = i % 5 == 0 ? IncidentState::AwaitingApproval : IncidentState::Resolved;
    inc.detectedAt = at - Duration { 1000LL * i };
    return inc;
}

void incidentList()
{
    IncidentModel model;
    IncidentList list(&model);
    list.resize(1400, 600);
    list.show();
    const TimePoint now = fromMillis(1'780'000'000'000);
    model.setNow(now);
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < 10'000; ++i)
        model.upsert(incidentNumber(i, now));
    model.flush();
    list.repaint();
    bench::report(u"console_list_insert_10000_incidents"_s, msSince(t), u"ms"_s);

    // A live second: 100 of the 10,000 change state, the clock moves, one repaint.
    reportUpdates(u"console_list_update_10000_incidents"_s, 20, [&](int s) {
        for (int k = 0; k < 100; ++k) {
            Incident inc = incidentNumber((s * 100 + k * 97) % 10'000, now);
            inc.state = IncidentState::Executing;
            model.upsert(inc);
        }
        model.setNow(now + Duration { 1000LL * s });
        model.flush();
        list.repaint();
    });
}

void liveCharts()
{
    QWidget page;
    auto *grid = new QGridLayout(&page);
    QList<MetricChart *> charts;
    for (int c = 0; c < 4; ++c) {
        auto *chart = new MetricChart(&page);
        QStringList names;
        for (int s = 0; s < 5; ++s)
            names << u"pod-%1"_s.arg(c * 5 + s);
        chart->setTitle(u"chart %1"_s.arg(c));
        chart->setSeriesNames(names);
        chart->setRange(ChartRange { -60, 0, 0, 1, 5 });
        grid->addWidget(chart, c / 2, c % 2);
        charts << chart;
    }
    page.resize(1400, 900);
    page.show();
    constexpr int points = 3600;
    const auto fill = [&](int tick) {
        for (MetricChart *chart : std::as_const(charts)) {
            for (int s = 0; s < chart->seriesCount(); ++s) {
                QList<QPointF> &buffer = chart->buffer(s);
                buffer.resize(points);
                for (int p = 0; p < points; ++p)
                    buffer[p] = QPointF(-60.0 + p / 60.0, 0.5 + 0.4 * qSin((p + tick + s * 13) / 40.0));
                chart->commit(s);
            }
        }
        page.repaint();
    };
    fill(0);
    reportUpdates(u"console_charts_20x3600_update"_s, 10, fill);
}

void startupAndDemoMemory()
{
    QElapsedTimer t;
    t.start();
    ConsoleModels models;
    EngineLink link(&models, u"bench"_s);
    MainWindow window(&models, &link, &link);
    window.show();
    QApplication::processEvents();
    window.repaint();
    bench::report(u"console_startup_to_first_window"_s, msSince(t), u"ms"_s);

    const LibraryResult library = loadRunbookLibrary({ shippedRunbookFolder() });
    if (library.hasErrors())
        return;
    VirtualClock clock(fromMillis(1'780'000'000'000));
    sim::ScenarioRun::Options options;
    options.approvals = sim::ScenarioRun::Approvals::None;
    options.runbooks = library.runbooks;
    sim::ScenarioRun run(sim::consoleDemo(), clock, options);
    link.attach(&run.engine(), &clock, run.environment().metricSource());
    run.start();
    const TimePoint end = clock.now() + std::chrono::duration_cast<Duration>(60s * sim::consoleDemoPace);
    while (clock.now() < end) {
        clock.advanceBy(5s);
        QApplication::processEvents();
        models.flush();
    }
    window.repaint();
    bench::report(u"console_demo_resident_memory"_s, residentMegabytes(), u"MB"_s);
}

} // namespace

ANTIBODY_BENCHMARK(console)
{
    startupAndDemoMemory();
    incidentList();
    liveCharts();
}

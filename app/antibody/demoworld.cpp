#include "demoworld.h"

#include "engine/core/pacedclock.h"
#include "engine/runbook/runbookloader.h"
#include "engine/runbook/shippedlibrary.h"
#include "engine/store/sqlitestore.h"
#include "simulator/scenarios/consoledemo.h"
#include "simulator/scenarios/scenariorun.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// The demo's world resumes after the latest moment its database remembers, so
// incidents, breakers and cooldowns of an earlier run stay in the past (the
// simulated clock runs ahead of the wall clock while it plays).
TimePoint startAfterHistory(SqliteStore &store, TimePoint wallNow)
{
    TimePoint latest = wallNow;
    for (const IncidentTimes &t : store.incidentTimes())
        latest = std::max({ latest, t.detectedAt, t.resolvedAt.value_or(t.detectedAt) });
    for (const BreakerState &b : store.loadBreakers()) {
        latest = std::max(latest, b.openedAt.value_or(latest));
        for (TimePoint f : b.failures)
            latest = std::max(latest, f);
    }
    for (const Cooldown &c : store.loadCooldowns())
        latest = std::max(latest, c.until);
    // Whole seconds, and an hour past what it remembers: every old window has closed.
    const TimePoint start = latest == wallNow ? latest : latest + Duration { 3'600'000 };
    return TimePoint { std::chrono::duration_cast<std::chrono::seconds>(start.time_since_epoch()) };
}

} // namespace

DemoWorld::DemoWorld(QObject *parent)
    : QObject(parent)
{
}

DemoWorld::~DemoWorld() = default;

DemoWorld::Built DemoWorld::build(const QString &databaseFile, const QString &identity, QObject *parent)
{
    const QString folder = shippedRunbookFolder();
    if (folder.isEmpty())
        return { nullptr, tr("The shipped runbooks are missing: reinstall Antibody, or run it with --config FILE.") };
    const LibraryResult library = loadRunbookLibrary({ folder });
    if (library.hasErrors()) {
        QStringList errors;
        for (const Diagnostic &d : library.diagnostics) {
            if (d.isError())
                errors << d.toString();
        }
        return { nullptr,
            tr("The shipped runbooks do not load (`antibodyctl lint %1` says more): %2")
                .arg(folder, errors.mid(0, 3).join(u"; "_s)) };
    }
    QString error;
    std::unique_ptr<SqliteStore> store = SqliteStore::open(databaseFile, &error);
    if (!store)
        return { nullptr, error };

    auto *world = new DemoWorld(parent);
    const sim::Scenario &demo = sim::consoleDemo();
    world->m_clock = std::make_unique<PacedClock>(
        startAfterHistory(*store, fromMillis(QDateTime::currentMSecsSinceEpoch())), sim::consoleDemoPace);
    world->m_store = std::move(store);
    sim::ScenarioRun::Options options;
    options.approvals = sim::ScenarioRun::Approvals::None; // the engineer at the console answers them
    options.runbooks = library.runbooks;
    options.store = world->m_store.get();
    options.identity = identity;
    world->m_run = std::make_unique<sim::ScenarioRun>(demo, *world->m_clock, options);
    world->m_run->start();
    return { world, {} };
}

Engine &DemoWorld::engine()
{
    return m_run->engine();
}

MetricSource *DemoWorld::metrics()
{
    return m_run->environment().metricSource();
}

QString DemoWorld::description() const
{
    return tr("Demo: the simulated fleet at %1× (no --config given)").arg(m_clock->factor());
}

} // namespace antibody

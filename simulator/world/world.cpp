#include "simulator/world/world.h"

#include "simulator/world/databasephysics.h"
#include "simulator/world/defaultfleet.h"
#include "simulator/world/podlifecycle.h"
#include "simulator/world/scrape.h"
#include "simulator/world/servicephysics.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace antibody::sim {

World::World(Clock &clock, Settings settings, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_settings(settings)
    , m_random(settings.seed)
    , m_fleet(defaultFleet(clock.now()))
    , m_history(settings.retention)
    , m_lastTick(clock.now())
{
}

World::~World()
{
    stop();
}

void World::start()
{
    if (m_timer)
        return;
    m_lastTick = m_clock.now() - m_settings.tick;
    m_timer = m_clock.callAfter(Duration { 0 }, [this] { tick(); });
}

void World::stop()
{
    if (m_timer)
        m_clock.cancel(std::exchange(m_timer, 0));
}

void World::inject(const Fault &fault)
{
    applyFault(m_fleet, m_clock.now(), fault);
    Q_EMIT faultInjected(fault.describe());
}

void World::recordEvidenceLost(const QString &what)
{
    m_fleet.evidenceLost << what;
}

void World::tick()
{
    const TimePoint now = m_clock.now();
    const Duration dt = now - m_lastTick;
    m_lastTick = now;
    stepPods(m_fleet, m_random, now);
    stepDatabase(m_fleet.database, m_random, now, dt);
    stepServices(m_fleet, m_random, now, dt);
    stepSignals();

    const qint64 ticksPerScrape = std::max<qint64>(1, m_settings.scrapeInterval / m_settings.tick);
    const bool scrapeNow = m_ticks++ % ticksPerScrape == 0;
    // Scheduled before anything below can run code that stops the world.
    m_timer = m_clock.callAt(now + m_settings.tick, [this] { tick(); });
    if (scrapeNow) {
        const QList<Sample> samples = scrape(m_fleet, now);
        m_history.record(samples, now);
        Q_EMIT scraped(now);
        const QList<AlertChange> changes = m_rules.evaluate(samples, m_history, now);
        if (!changes.isEmpty())
            Q_EMIT alertsChanged(changes);
    }
}

void World::stepSignals()
{
    // Signals that keep coming while their cause is there.
    for (Host &h : m_fleet.hosts) {
        if (h.compromised && m_random.chance(0.05))
            ++h.intrusionSignals;
    }
    double inFlight = 0;
    if (const Service *payments = m_fleet.service(u"payments-svc"_s)) {
        for (const Pod *p : m_fleet.podsOf(payments->name))
            inFlight += p->queue + p->figures.poolUtilization * payments->poolSlots;
    }
    m_fleet.payments.inFlight = static_cast<int>(std::lround(inFlight));
}

} // namespace antibody::sim

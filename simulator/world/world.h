#pragma once

#include "engine/core/clock.h"
#include "simulator/world/alertrules.h"
#include "simulator/world/fault.h"
#include "simulator/world/fleet.h"
#include "simulator/world/metrichistory.h"
#include "simulator/world/random.h"

#include <QObject>

namespace antibody::sim {

// The simulated fleet in motion. Everything happens on the injected clock: a
// tick (1 s of virtual time) moves traffic, pods, queues, CPU, latency, errors,
// the database pool and replication; every scrape interval (5 s) the fleet's
// metrics are recorded, stamped with the virtual time they were taken, and the
// alert rules are evaluated. All chance comes from one seeded generator, so the
// same seed and start time give the same world, bit for bit.
class World : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        quint64 seed = 1;
        Duration tick { 1'000 };
        Duration scrapeInterval { 5'000 };
        Duration retention { 3 * 3'600'000 };
    };

    World(Clock &clock, Settings settings, QObject *parent = nullptr);
    ~World() override;

    // Starts ticking; the first tick and scrape happen at the current time, through the clock.
    void start();
    void stop();
    bool isRunning() const { return m_timer != 0; }

    Clock &clock() const { return m_clock; }
    TimePoint now() const { return m_clock.now(); }
    Random &random() { return m_random; }
    const Settings &settings() const { return m_settings; }
    FleetState &fleet() { return m_fleet; }
    const FleetState &fleet() const { return m_fleet; }
    const MetricHistory &history() const { return m_history; }
    QList<Alert> firingAlerts() const { return m_rules.firing(); }

    void inject(const Fault &fault);
    // An action destroyed forensic state (a restarted pod on a compromised host,
    // a replayed payment): the never-automate scenarios assert this stays empty.
    void recordEvidenceLost(const QString &what);

Q_SIGNALS:
    void scraped(antibody::TimePoint at);
    void alertsChanged(const QList<antibody::AlertChange> &changes);
    void faultInjected(const QString &description);

private:
    void tick();
    void stepSignals();

    Clock &m_clock;
    Settings m_settings;
    Random m_random;
    FleetState m_fleet;
    MetricHistory m_history;
    AlertRules m_rules;
    Clock::TimerId m_timer = 0;
    TimePoint m_lastTick;
    qint64 m_ticks = 0;
};

} // namespace antibody::sim

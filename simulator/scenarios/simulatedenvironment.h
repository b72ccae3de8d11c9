#pragma once

#include "engine/pipeline/engine.h"
#include "simulator/ports/recordingnotifier.h"
#include "simulator/ports/simulatedalertsource.h"
#include "simulator/ports/simulatedmetricsource.h"
#include "simulator/scenarios/scenario.h"
#include "simulator/world/world.h"

#include <memory>
#include <vector>

namespace antibody::sim {

// The embedded default environment in one object: the simulated fleet (running
// from construction) and every port the engine needs over it — the alert
// source, the metric source, one executor per action family the simulator
// models (workload, database, certificates, traffic, hosts, command,
// diagnostics) and a recording pager. The CLI, the console's demo, drills and
// tests build it on whatever Clock they run: a VirtualClock to run as fast as
// possible, a PacedClock to watch.
class SimulatedEnvironment
{
public:
    SimulatedEnvironment(Clock &clock, quint64 seed);
    ~SimulatedEnvironment();
    SimulatedEnvironment(const SimulatedEnvironment &) = delete;
    SimulatedEnvironment &operator=(const SimulatedEnvironment &) = delete;

    // Schedules the scenario's faults relative to now.
    void play(const Scenario &scenario);

    World &world() { return *m_world; }
    Clock &clock() { return m_clock; }
    SimulatedAlertSource *alertSource() { return m_alerts.get(); }
    SimulatedMetricSource *metricSource() { return m_metrics.get(); }
    RecordingNotifier *pager() { return m_pager.get(); }
    QList<ActionExecutor *> executors() const;
    ActionExecutor *executor(const QString &family) const;

    // Every port over this environment, with the caller's store.
    Engine::Ports ports(Store *store);

private:
    Clock &m_clock;
    std::unique_ptr<World> m_world;
    std::unique_ptr<SimulatedAlertSource> m_alerts;
    std::unique_ptr<SimulatedMetricSource> m_metrics;
    std::vector<std::unique_ptr<ActionExecutor>> m_executors;
    std::unique_ptr<RecordingNotifier> m_pager;
    OwnedTimers m_timers;
};

} // namespace antibody::sim

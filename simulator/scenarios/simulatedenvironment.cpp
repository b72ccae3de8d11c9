#include "simulator/scenarios/simulatedenvironment.h"

#include "simulator/ports/certificateexecutor.h"
#include "simulator/ports/commandexecutor.h"
#include "simulator/ports/databaseexecutor.h"
#include "simulator/ports/diagnosticsexecutor.h"
#include "simulator/ports/hostexecutor.h"
#include "simulator/ports/trafficexecutor.h"
#include "simulator/ports/workloadexecutor.h"

namespace antibody::sim {

SimulatedEnvironment::SimulatedEnvironment(Clock &clock, quint64 seed)
    : m_clock(clock)
    , m_world(std::make_unique<World>(clock, World::Settings { .seed = seed }))
    , m_alerts(std::make_unique<SimulatedAlertSource>(*m_world))
    , m_metrics(std::make_unique<SimulatedMetricSource>(*m_world))
    , m_pager(std::make_unique<RecordingNotifier>(clock))
    , m_timers(clock)
{
    m_executors.push_back(std::make_unique<WorkloadExecutor>(*m_world));
    m_executors.push_back(std::make_unique<DatabaseExecutor>(*m_world));
    m_executors.push_back(std::make_unique<CertificateExecutor>(*m_world));
    m_executors.push_back(std::make_unique<TrafficExecutor>(*m_world));
    m_executors.push_back(std::make_unique<HostExecutor>(*m_world));
    m_executors.push_back(std::make_unique<CommandExecutor>(*m_world));
    m_executors.push_back(std::make_unique<DiagnosticsExecutor>(*m_world));
    m_world->start();
}

SimulatedEnvironment::~SimulatedEnvironment()
{
    m_alerts->stop();
    m_world->stop();
}

void SimulatedEnvironment::play(const Scenario &scenario)
{
    for (const Scenario::Step &step : scenario.script)
        m_timers.after(step.at, [this, fault = step.fault] { m_world->inject(fault); });
}

QList<ActionExecutor *> SimulatedEnvironment::executors() const
{
    QList<ActionExecutor *> out;
    for (const auto &e : m_executors)
        out << e.get();
    return out;
}

ActionExecutor *SimulatedEnvironment::executor(const QString &family) const
{
    for (const auto &e : m_executors) {
        if (e->family() == family)
            return e.get();
    }
    return nullptr;
}

Engine::Ports SimulatedEnvironment::ports(Store *store)
{
    Engine::Ports p;
    p.clock = &m_clock;
    p.store = store;
    p.metrics = m_metrics.get();
    p.alertSources = { m_alerts.get() };
    p.executors = executors();
    p.notifiers = { m_pager.get() };
    return p;
}

} // namespace antibody::sim

#pragma once

#include "engine/pipeline/engine.h"
#include "engine/store/memorystore.h"
#include "simulator/scenarios/scenario.h"
#include "simulator/scenarios/simulatedenvironment.h"

#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <memory>
#include <optional>

namespace antibody::sim {

// One scenario run through the real engine and runbooks on the simulated fleet:
// what `antibodyctl simulate`, drills and the end-to-end tests share. It plays
// the scenario's faults, answers approvals as told, records every engine event,
// proposal and fault, and says how the run went: the outcome of the scenario's
// incident (the first one a runbook drilled on this scenario opened, else the
// first one a runbook opened, else the first one), its MTTR, the actions run.
// The caller drives the clock: advance a VirtualClock to endsAt(), or let a
// PacedClock run until finished().
class ScenarioRun : public QObject
{
    Q_OBJECT
public:
    enum class Approvals { Auto, Deny, None };

    struct Options
    {
        std::optional<quint64> seed {}; // default: the scenario's
        std::optional<int> level {}; // overrides every runbook's level
        Approvals approvals = Approvals::Auto;
        QList<Runbook> runbooks {};
        Store *store = nullptr; // default: a MemoryStore of the run's own
        QString identity = QStringLiteral("antibodyctl simulate");
        // false: the world and the scenario's faults only, no engine of the run's own, so that
        // an engine outside acts on the fleet (simulate --engine none): no incident, no action
        // but theirs.
        bool engine = true;
    };
    struct Fault
    {
        TimePoint at;
        QString detail;
    };
    struct Result
    {
        QString outcome; // resolved | escalated | unresolved
        std::optional<Duration> mttr;
        std::optional<Incident> incident;
    };

    ScenarioRun(const Scenario &scenario, Clock &clock, Options options, QObject *parent = nullptr);
    ~ScenarioRun() override;

    // Starts the engine and schedules the faults, relative to now.
    void start();
    TimePoint startedAt() const { return m_startedAt; }
    TimePoint endsAt() const { return m_startedAt + m_scenario.horizon; }
    bool isFinished() const { return m_finished; }

    const Scenario &scenario() const { return m_scenario; }
    quint64 seed() const { return m_seed; }
    const Options &options() const { return m_options; }
    Engine &engine() { return *m_engine; }
    SimulatedEnvironment &environment() { return *m_environment; }

    const QList<EngineEvent> &events() const { return m_events; }
    const QList<Fault> &faults() const { return m_faults; }
    QList<Proposal> proposals() const; // each as it last was, in the order they were made
    QMap<QString, int> actionsExecuted() const; // action -> steps and passes started
    QList<Incident> incidents() const { return m_engine->incidents(); }
    QList<RecordingNotifier::Received> pages() const { return m_environment->pager()->pages(); }
    QStringList evidenceLost() const { return m_environment->world().fleet().evidenceLost; }
    Result result() const;
    // Seconds since the run started.
    double secondsAt(TimePoint t) const { return toSeconds(t - m_startedAt); }

    // The object `simulate --json` prints (docs/simulator.md).
    QJsonObject toJson() const;
    static QString approvalsText(Approvals a);

Q_SIGNALS:
    void eventRecorded(const antibody::EngineEvent &event);
    void faultRecorded(const QString &detail);
    void finished();

private:
    void record(const EngineEvent &event);
    void answer(const EngineEvent &request);

    Scenario m_scenario;
    Clock &m_clock;
    Options m_options;
    quint64 m_seed;
    std::unique_ptr<MemoryStore> m_ownStore;
    std::unique_ptr<SimulatedEnvironment> m_environment;
    std::unique_ptr<Engine> m_engine;
    TimePoint m_startedAt;
    bool m_finished = false;
    QList<EngineEvent> m_events;
    QList<Fault> m_faults;
    QList<QString> m_proposalOrder;
    QMap<QString, Proposal> m_proposals;
    OwnedTimers m_timers;
};

} // namespace antibody::sim

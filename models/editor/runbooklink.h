#pragma once

#include "models/editor/runbookcommands.h"

#include <QString>
#include <functional>

namespace antibody {

class Clock;
class Engine;
class MetricSource;
class Store;

// The editor's side of the engine, which lives on its own thread (as EngineLink):
// dry runs and hot reloads are queued onto that thread and answered on the GUI
// thread; drills run on a worker thread, each in its own simulated world, and
// their results are stored through the engine thread's store.
class RunbookLink : public RunbookCommands
{
    Q_OBJECT
public:
    // Runs one drill to the end and returns its report, stamped `at` (the engine
    // clock's now when it was asked for). Called on a worker thread: it must build
    // everything it uses (the app passes the simulator's drill).
    using DrillRunner = std::function<DrillReport(const Runbook &, TimePoint at)>;

    explicit RunbookLink(DrillRunner drill, QObject *parent = nullptr);

    // The engine and its ports, which live on the engine thread. `environment` names
    // what a dry run plans against: "the simulated fleet", "Prometheus at ...".
    void attach(Engine *engine, Clock *clock, MetricSource *metrics, Store *store, QString environment);

    void dryRun(const Runbook &runbook) override;
    void drill(const Runbook &runbook) override;
    void install(const Runbook &runbook) override;
    void loadDrillHistory(const QStringList &runbooks) override;

    // What install() does to the engine's list, on the engine thread: replaces the
    // runbook from the same file (else with the same name) or adds it. Returns an
    // empty string, or why it refused.
    static QString replaceIn(QList<Runbook> &live, const Runbook &runbook, QByteArray *replacedHash);

private:
    void onEngine(std::function<void()> work);
    void onGui(std::function<void()> work);
    void finishDrill(const DrillReport &report);

    DrillRunner m_drill;
    Engine *m_engine = nullptr; // dereferenced on the engine thread only
    Clock *m_clock = nullptr;
    MetricSource *m_metrics = nullptr;
    Store *m_store = nullptr;
    QString m_environment;
};

} // namespace antibody

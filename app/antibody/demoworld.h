#pragma once

#include <QObject>
#include <QString>
#include <memory>

namespace antibody {

class Engine;
class MetricSource;
class PacedClock;
class SqliteStore;
namespace sim {
class ScenarioRun;
}

// The console with no configuration: the simulated fleet, paced so a person can
// watch it, playing the demo script through the engine and the shipped runbooks,
// with the console's database in the data folder. Built on the engine's thread and
// destroyed there (it is parented to the thread's anchor).
class DemoWorld : public QObject
{
    Q_OBJECT
public:
    struct Built;
    // `databaseFile`: the SQLite file; `identity`: who the engine is in the audit.
    static Built build(const QString &databaseFile, const QString &identity, QObject *parent);
    ~DemoWorld() override;

    Engine &engine();
    PacedClock &clock() { return *m_clock; }
    MetricSource *metrics();
    SqliteStore &store() { return *m_store; }
    // For the status bar: what the console runs on.
    QString description() const;

private:
    explicit DemoWorld(QObject *parent);

    // Destroyed in reverse: the run (and its engine) before the store, the clock last.
    std::unique_ptr<PacedClock> m_clock;
    std::unique_ptr<SqliteStore> m_store;
    std::unique_ptr<sim::ScenarioRun> m_run;
};

struct DemoWorld::Built
{
    DemoWorld *world = nullptr; // owned by the parent given to build()
    QString error;
};

} // namespace antibody

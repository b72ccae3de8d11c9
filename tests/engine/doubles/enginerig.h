#pragma once

// An engine on test doubles in virtual time, with every event it publishes.

#include "engine/pipeline/engine.h"
#include "engine/store/memorystore.h"
#include "tests/engine/doubles/runbookbuilder.h"
#include "tests/engine/doubles/testports.h"

#include <memory>

namespace antibody::test {

struct EngineRig
{
    // `durable`: a store to use instead of the rig's MemoryStore (the SQLite store's suites).
    explicit EngineRig(Engine::Settings settings = {}, Store *durable = nullptr);
    ~EngineRig();

    void start(const QList<Runbook> &runbooks);
    void run(Duration d) { clock.advanceBy(d); }

    QList<EngineEvent> eventsOf(EngineEvent::Kind kind) const;
    int count(EngineEvent::Kind kind) const { return static_cast<int>(eventsOf(kind).size()); }
    Incident onlyIncident() const; // fails the test when there is not exactly one
    Proposal currentProposal(const Incident &incident) const;
    QString timeline() const; // for failure messages

    VirtualClock clock;
    MemoryStore store;
    TestMetrics metrics { clock };
    TestAlerts alerts { clock };
    TestExecutor workload { clock, QStringLiteral("workload"),
        { QStringLiteral("restart_pods"), QStringLiteral("scale"), QStringLiteral("reset_connection_pool"),
            QStringLiteral("rollback_deployment") } };
    TestExecutor database { clock, QStringLiteral("database"),
        { QStringLiteral("terminate_connections"), QStringLiteral("failover_database") } };
    TestExecutor diagnostics { clock, QStringLiteral("diagnostics"), { QStringLiteral("collect_diagnostics") } };
    TestExecutor hosts { clock, QStringLiteral("hosts"), { QStringLiteral("isolate_host") } };
    // The family of actions a test adds to the catalog (ActionCatalog::extend), none by default.
    TestExecutor extension { clock, QStringLiteral("extension"), {} };
    TestNotifier pager { clock };
    std::unique_ptr<Engine> engine;
    QList<EngineEvent> events;
};

} // namespace antibody::test

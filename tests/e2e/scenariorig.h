#pragma once

// Runs a scenario of the simulated fleet through the real engine and the shipped
// runbooks (runbooks/), on a virtual clock, to its horizon.
#include "engine/core/virtualclock.h"
#include "engine/runbook/runbookloader.h"
#include "simulator/scenarios/scenariorun.h"

#include <QTest>

namespace antibody::e2e {

using namespace Qt::StringLiterals;
using sim::ScenarioRun;

// The source tree's runbooks/: ctest says where it is; run by hand, the build does.
inline QString runbooksFolder()
{
    const QString source = qEnvironmentVariable("ANTIBODY_SOURCE_DIR");
    return source.isEmpty() ? QStringLiteral(ANTIBODY_SOURCE_RUNBOOKS) : source + u"/runbooks"_s;
}

inline QList<Runbook> shippedRunbooks()
{
    static const QList<Runbook> runbooks = [] {
        const LibraryResult library = loadRunbookLibrary({ runbooksFolder() });
        if (library.hasErrors() || library.runbooks.isEmpty())
            qFatal("the shipped runbooks do not load: run `antibodyctl lint runbooks`");
        return library.runbooks;
    }();
    return runbooks;
}

struct ScenarioRig
{
    explicit ScenarioRig(const QString &name, ScenarioRun::Options options = {})
        : scenario(*sim::findScenario(name))
        , clock(scenario.start())
    {
        if (options.runbooks.isEmpty())
            options.runbooks = shippedRunbooks();
        run = std::make_unique<ScenarioRun>(scenario, clock, options);
        run->start();
        clock.advanceTo(run->endsAt());
        const auto r = run->result();
        for (const Proposal &p : run->proposals()) {
            if (r.incident && p.incidentId == r.incident->id)
                primary = p; // the latest one the scenario's incident had
        }
    }

    // A step of the scenario incident's plan, with its blast radius.
    const BlastRadius *radius(const QString &step) const
    {
        const PlannedStep *s = primary ? primary->plan.step(step) : nullptr;
        return s && s->blastRadius ? &*s->blastRadius : nullptr;
    }

    const GuardrailResult *guardrail(const Proposal &p, const QString &name) const
    {
        for (const GuardrailResult &g : p.guardrails) {
            if (g.name == name)
                return &g;
        }
        return nullptr;
    }

    int executed(const QString &action) const { return run->actionsExecuted().value(action); }

    // The events of one kind, in order.
    QList<EngineEvent> events(EngineEvent::Kind kind) const
    {
        QList<EngineEvent> out;
        for (const EngineEvent &e : run->events()) {
            if (e.kind == kind)
                out << e;
        }
        return out;
    }

    sim::Scenario scenario;
    VirtualClock clock;
    std::unique_ptr<ScenarioRun> run;
    std::optional<Proposal> primary;
};

} // namespace antibody::e2e

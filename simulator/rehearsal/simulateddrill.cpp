#include "simulator/rehearsal/simulateddrill.h"

#include "engine/core/virtualclock.h"
#include "engine/rehearsal/drillverdict.h"
#include "simulator/rehearsal/rehearsalscenario.h"
#include "simulator/scenarios/scenariorun.h"

using namespace Qt::StringLiterals;

namespace antibody::sim {

DrillReport SimulatedDrill::run(const Runbook &runbook, TimePoint drilledAt, const QList<Runbook> &others)
{
    DrillReport report;
    report.file = runbook.file;
    report.result.runbook = runbook.name;
    report.result.at = drilledAt;
    QString error;
    const std::optional<Scenario> scenario = rehearsalScenario(runbook, {}, &error);
    if (!scenario) {
        report.error = error;
        return report;
    }
    report.result.scenario = scenario->name;
    report.scenarioDescription = scenario->description;
    report.story = scenario->expect.story;

    VirtualClock clock(scenario->start());
    ScenarioRun::Options options;
    options.runbooks = QList<Runbook> { runbook } + others;
    options.approvals = ScenarioRun::Approvals::Auto; // as a human on a drill would
    options.identity = u"drill of %1"_s.arg(runbook.name);
    ScenarioRun run(*scenario, clock, options);
    run.start();

    // The drill is about the first incident this runbook opens: run until it ends.
    QString incidentId;
    const auto settled = [&] {
        for (const Incident &i : run.incidents()) {
            if (incidentId.isEmpty() && i.runbook == runbook.name)
                incidentId = i.id;
            if (i.id == incidentId)
                return isFinal(i.state);
        }
        return false;
    };
    const Duration limit = std::max(
        scenario->horizon, runbook.drill && runbook.drill->maxMttr ? *runbook.drill->maxMttr * 2 : Duration { 0 });
    const TimePoint until = run.startedAt() + limit;
    while (!settled() && clock.now() < until)
        clock.advanceTo(std::min(until, clock.now() + Duration { 1'000 }));

    DrillObservation seen;
    if (!incidentId.isEmpty())
        seen.incident = run.engine().incident(incidentId);
    for (const EngineEvent &e : run.events()) {
        if (e.kind == EngineEvent::Kind::StepStarted)
            seen.executed << e.data.value(u"action"_s).toString();
        const bool ours = e.incidentId == incidentId || e.incidentId.isEmpty();
        if (ours && e.kind != EngineEvent::Kind::RunbookLoaded && e.kind != EngineEvent::Kind::FeedChanged)
            report.timeline << e;
    }
    seen.evidenceDestroyed = run.evidenceLost();
    seen.ran = clock.now() - run.startedAt();

    DrillExpectation expect;
    if (runbook.drill) {
        expect.outcome = runbook.drill->expect;
        expect.maxMttr = runbook.drill->maxMttr;
    }
    expect.neverExecutes = scenario->expect.neverExecutes;
    expect.evidencePreserved = scenario->expect.evidencePreserved;
    report.expectation = expect.text();
    report.simulated = seen.ran;
    report.result = DrillVerdict::judge(runbook.name, scenario->name, expect, seen, drilledAt, &report.failures);
    return report;
}

} // namespace antibody::sim

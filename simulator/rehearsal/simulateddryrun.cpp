#include "simulator/rehearsal/simulateddryrun.h"

#include "engine/core/virtualclock.h"
#include "engine/rehearsal/triggersubject.h"
#include "simulator/rehearsal/rehearsalscenario.h"
#include "simulator/scenarios/scenariorun.h"

using namespace Qt::StringLiterals;

namespace antibody::sim {
namespace {

constexpr Duration poll { 5'000 }; // how often the trigger is looked at: the scrape interval
constexpr Duration warmUp { 60'000 }; // the fleet's metrics settle before a quiet dry run
constexpr Duration planLimit { 10 * 60'000 }; // diagnosis steps have their own timeouts; this is a backstop

// Advances the clock in `step`s until `done` holds or `limit` has passed.
bool runUntil(VirtualClock &clock, const std::function<bool()> &done, Duration limit, Duration step)
{
    const TimePoint until = clock.now() + limit;
    while (!done()) {
        if (clock.now() >= until)
            return false;
        clock.advanceTo(std::min(until, clock.now() + step));
    }
    return true;
}

} // namespace

DryRunReport SimulatedDryRun::run(const Runbook &runbook, const QString &scenarioName)
{
    DryRunReport report;
    report.runbook = runbook.name;
    report.runbookHash = runbook.sourceHash;
    Scenario scenario = quietFleet();
    if (!scenarioName.isEmpty() || runbook.drill) {
        QString error;
        const auto found = rehearsalScenario(runbook, scenarioName, &error);
        if (!found) {
            report.error = error;
            return report;
        }
        scenario = *found;
    }
    const bool quiet = scenario.name == quietFleet().name;

    // No runbook is live in this engine: it only plans.
    VirtualClock clock(scenario.start());
    ScenarioRun::Options options;
    options.identity = u"dry run of %1"_s.arg(runbook.name);
    ScenarioRun run(scenario, clock, options);
    run.start();
    SimulatedEnvironment &env = run.environment();

    // Look for the moment the trigger holds, then let it hold for its `for:`.
    std::optional<TriggerSubject> subject;
    const auto look = [&] {
        QList<Labels> firing;
        for (const Alert &a : env.world().firingAlerts())
            firing << a.labels;
        subject.reset();
        findTriggerSubject(runbook, clock, env.metricSource(), firing, [&](const TriggerSubject &s) { subject = s; });
        runUntil(
            clock, [&] { return subject.has_value(); }, Duration { 60'000 }, Duration { 100 });
        return subject && subject->holdsNow;
    };
    clock.advanceBy(quiet ? warmUp : poll);
    const bool held = runUntil(clock, look, scenario.horizon, poll);
    if (held && runbook.trigger.forDuration > Duration { 0 }) {
        clock.advanceBy(runbook.trigger.forDuration);
        look();
    }
    if (!subject)
        look();

    std::optional<Proposal> proposal;
    if (subject)
        run.engine().dryRun(runbook, subject->labels, [&](const Proposal &p) { proposal = p; });
    runUntil(
        clock, [&] { return proposal.has_value(); }, planLimit, Duration { 500 });
    const Duration in = std::chrono::round<std::chrono::seconds>(clock.now() - run.startedAt());
    report.environment = quiet ? u"the simulated fleet with nothing wrong, %1 in"_s.arg(formatDuration(in))
                               : u"the simulated fleet in scenario %1, %2 in%3"_s.arg(scenario.name, formatDuration(in),
                                   held ? QString() : u" (its trigger never held before the scenario's end)"_s);
    report.at = clock.now();
    if (!subject || !proposal) {
        report.error = u"the engine made no plan within %1 of virtual time"_s.arg(formatDuration(planLimit));
        return report;
    }
    report.subject = *subject;
    report.proposal = *proposal;
    return report;
}

} // namespace antibody::sim

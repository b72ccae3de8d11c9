#include "engine/pipeline/executionverdict.h"

#include "engine/runbook/actioncatalog.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// Whether the runbook has a step that changes something: a run that skipped them
// all and verified nothing has fixed nothing.
bool remediates(const Runbook &runbook)
{
    for (const Step &step : runbook.steps) {
        const ActionSpec *spec = ActionCatalog::instance().find(step.action);
        if (spec && spec->effect == Effect::Mutates)
            return true;
    }
    return false;
}

} // namespace

ExecutionVerdict ExecutionVerdict::of(const Plan &plan, const QHash<int, StepResult> &results, const Runbook &runbook,
    const Incident *incident, ExecutionSummary &summary)
{
    bool failed = false;
    bool verifyFailed = false;
    bool changed = false;
    for (auto it = results.constBegin(); it != results.constEnd(); ++it) {
        const PlannedStep &s = plan.steps.at(it.key());
        const bool bad = it.value() != StepResult::Succeeded && it.value() != StepResult::Skipped;
        changed = changed || (it.value() == StepResult::Succeeded && s.effect == Effect::Mutates);
        if (bad && ActionCatalog::hasRole(s.action, ActionRole::Verify))
            verifyFailed = true;
        else if (bad && s.effect == Effect::Mutates)
            failed = true;
        if (it.value() == StepResult::TimedOut && s.effect == Effect::Mutates)
            summary.outcomeUnknown = true;
        if (it.value() == StepResult::Succeeded && ActionCatalog::hasRole(s.action, ActionRole::Verify))
            summary.verified = true;
    }
    // A run that hands the incident to a human ends escalated even when every step
    // succeeded: a never-automate guard holds, or the runbook paged someone. Calling
    // it resolved would tell the dashboard it is over and reopen it with the next alert.
    using O = ExecutionOutcome;
    if (failed || verifyFailed)
        return { O::Escalated,
            verifyFailed ? u"the remediation ran but verification failed"_s : u"a remediation step failed"_s };
    if (incident && !incident->guards.isEmpty())
        return { O::Escalated,
            u"a never-automate guard holds (%1): diagnostics collected, a human decides"_s.arg(
                guardName(*incident->guards.begin())) };
    if (summary.paged)
        return { O::Escalated, u"a human was paged and decides what happens next"_s };
    if (!changed && !summary.verified && remediates(runbook))
        return {
            O::Escalated,
            u"nothing was changed: the runbook's remediation did not apply (its conditions did not hold); a human decides"_s
        };
    return { O::Resolved, summary.verified ? u"verified: the goal holds"_s : u"every step succeeded"_s };
}

} // namespace antibody

#pragma once

#include "engine/domain/outcome.h"
#include "engine/domain/plan.h"
#include "engine/pipeline/executionhost.h"
#include "engine/runbook/runbook.h"

#include <QHash>

namespace antibody {

// How a run that got through its whole plan ends, from how each step ended. It fills
// the summary's `verified` and `outcomeUnknown` on the way and returns the outcome
// and its reason.
struct ExecutionVerdict
{
    ExecutionOutcome outcome = ExecutionOutcome::Escalated;
    QString reason;

    static ExecutionVerdict of(const Plan &plan, const QHash<int, StepResult> &results, const Runbook &runbook,
        const Incident *incident, ExecutionSummary &summary);
};

} // namespace antibody

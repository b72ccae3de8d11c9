#pragma once

#include <QList>
#include <QString>
#include <QStringView>
#include <optional>

namespace antibody {

// How one step (or one pass of it) ended. Its text is a stable identifier: stored in the
// audit trail and the store, named in runbook conditions (`<step>.failed`), read by the
// console. stepResultText() is the only place that spells it.
enum class StepResult {
    Succeeded,
    Failed,
    TimedOut, // the step's timeout passed: a mutating step may or may not have acted
    Skipped, // its condition did not hold
    Blocked, // refused before it acted: a guardrail, the system itself (a disruption budget)
    Cancelled,
    Unknown, // the process stopped while it ran
};
QString stepResultText(StepResult r); // succeeded, failed, timed_out, skipped, blocked, cancelled, unknown
std::optional<StepResult> stepResultFromText(QStringView text);
// The results a runbook condition can ask about (`<step>.<result>` facts).
QList<StepResult> factResults();

// How one execution ended: the engine acts on it (breaker, cooldown, resolve or escalate).
enum class ExecutionOutcome {
    Resolved, // its verification held
    Escalated, // it did not work: a human takes over
    Cancelled, // a human stopped it
    Superseded, // the plan changed under it before it acted
    Interrupted, // the process stopped while it ran: found at the next start
};
QString executionOutcomeText(ExecutionOutcome o); // resolved, escalated, cancelled, superseded, interrupted
std::optional<ExecutionOutcome> executionOutcomeFromText(QStringView text);

} // namespace antibody

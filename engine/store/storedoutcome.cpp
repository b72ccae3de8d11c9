#include "engine/store/storedoutcome.h"

#include "engine/store/sqlitestatement.h"

namespace antibody::StoredOutcome {

std::optional<StepResult> step(const QString *stored)
{
    if (!stored)
        return std::nullopt;
    // A text no version wrote ("unknown" is what a crash leaves): what the step did is unknown.
    return stepResultFromText(*stored).value_or(StepResult::Unknown);
}

std::optional<ExecutionOutcome> execution(const QString *stored)
{
    if (!stored)
        return std::nullopt;
    // An outcome this build does not know reads as interrupted: its effects are unknown,
    // so the next automated run on the resource waits for a human.
    return executionOutcomeFromText(*stored).value_or(ExecutionOutcome::Interrupted);
}

std::optional<StepResult> step(const SqliteStatement &q, int column)
{
    const QString text = q.text(column);
    return step(q.isNull(column) ? nullptr : &text);
}

std::optional<ExecutionOutcome> execution(const SqliteStatement &q, int column)
{
    const QString text = q.text(column);
    return execution(q.isNull(column) ? nullptr : &text);
}

} // namespace antibody::StoredOutcome

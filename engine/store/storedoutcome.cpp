#include "engine/store/storedoutcome.h"

#include "engine/store/sqlitestatement.h"

namespace antibody::StoredOutcome {

std::optional<StepResult> step(const SqliteStatement &q, int column)
{
    if (q.isNull(column))
        return std::nullopt;
    // A text no version wrote ("unknown" is what a crash leaves): what the step did is unknown.
    return stepResultFromText(q.text(column)).value_or(StepResult::Unknown);
}

std::optional<ExecutionOutcome> execution(const SqliteStatement &q, int column)
{
    if (q.isNull(column))
        return std::nullopt;
    // An outcome this build does not know reads as interrupted: its effects are unknown,
    // so the next automated run on the resource waits for a human.
    return executionOutcomeFromText(q.text(column)).value_or(ExecutionOutcome::Interrupted);
}

} // namespace antibody::StoredOutcome

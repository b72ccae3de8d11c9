#include "engine/domain/outcome.h"

using namespace Qt::StringLiterals;

namespace antibody {

namespace {
constexpr StepResult allStepResults[] = { StepResult::Succeeded, StepResult::Failed, StepResult::TimedOut,
    StepResult::Skipped, StepResult::Blocked, StepResult::Cancelled, StepResult::Unknown };
constexpr ExecutionOutcome allExecutionOutcomes[] = { ExecutionOutcome::Resolved, ExecutionOutcome::Escalated,
    ExecutionOutcome::Cancelled, ExecutionOutcome::Superseded, ExecutionOutcome::Interrupted };
} // namespace

QString stepResultText(StepResult r)
{
    switch (r) {
    case StepResult::Succeeded:
        return u"succeeded"_s;
    case StepResult::Failed:
        return u"failed"_s;
    case StepResult::TimedOut:
        return u"timed_out"_s;
    case StepResult::Skipped:
        return u"skipped"_s;
    case StepResult::Blocked:
        return u"blocked"_s;
    case StepResult::Cancelled:
        return u"cancelled"_s;
    case StepResult::Unknown:
        return u"unknown"_s;
    }
    return {};
}

std::optional<StepResult> stepResultFromText(QStringView text)
{
    for (StepResult r : allStepResults) {
        if (stepResultText(r) == text)
            return r;
    }
    return std::nullopt;
}

QList<StepResult> factResults()
{
    return { StepResult::Succeeded, StepResult::Failed, StepResult::Skipped, StepResult::TimedOut };
}

QString executionOutcomeText(ExecutionOutcome o)
{
    switch (o) {
    case ExecutionOutcome::Resolved:
        return u"resolved"_s;
    case ExecutionOutcome::Escalated:
        return u"escalated"_s;
    case ExecutionOutcome::Cancelled:
        return u"cancelled"_s;
    case ExecutionOutcome::Superseded:
        return u"superseded"_s;
    case ExecutionOutcome::Interrupted:
        return u"interrupted"_s;
    }
    return {};
}

std::optional<ExecutionOutcome> executionOutcomeFromText(QStringView text)
{
    for (ExecutionOutcome o : allExecutionOutcomes) {
        if (executionOutcomeText(o) == text)
            return o;
    }
    return std::nullopt;
}

} // namespace antibody

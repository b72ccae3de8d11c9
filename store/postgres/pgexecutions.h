#pragma once

#include "engine/ports/store.h"
#include "store/postgres/pgsession.h"

namespace antibody {

// PostgresStore's executions and steps: the claim (exactly once per proposal, one at a
// time per resource), step intents and outcomes, and what recovery reads back. An
// execution belongs to the lease epoch it was claimed under: unfinished under an older
// epoch, its leader is gone and its outcome unknown; no step of it starts again.
class PgExecutions : public virtual ExecutionLedger, protected PgFacet
{
public:
    explicit PgExecutions(PgSession &session)
        : PgFacet(session)
    {
    }

    using ExecutionLedger::claimExecution;
    ExecutionClaim claimExecution(const ExecutionRequest &request) override;
    std::optional<ExecutionRecord> findExecution(const QString &proposalId) override;
    qint64 recordStepIntent(const StepRecord &step) override;
    void recordStepOutcome(const StepRecord &step) override;
    void finishExecution(const QString &executionId, ExecutionOutcome outcome, TimePoint at) override;
    QList<ExecutionRecord> unfinishedExecutions() override;
    std::optional<ExecutionRecord> lastExecutionOn(const QString &resource) override;
    QList<TimePoint> automatedRunsSince(TimePoint since) override;

private:
    // The claim's body, inside its transaction.
    ExecutionClaim claim(const ExecutionRequest &request);
    // Who executes the proposal already, when someone does.
    std::optional<ExecutionClaim> claimedBefore(const QString &proposalId);
    // Why a claim may not execute now, read inside its transaction; nothing when it may.
    std::optional<ExecutionClaim> refusalOf(const ExecutionRequest &request);
    // Executions matching `condition` ($1 bound to `value`), each with its steps unless told otherwise.
    QList<ExecutionRecord> executionsWhere(
        const QString &condition, const QString &value, const QString &order, bool withSteps = true);
    // How soon a claim refused for a running execution asks again.
    static constexpr Duration leaseRetry { 15'000 };
};

} // namespace antibody

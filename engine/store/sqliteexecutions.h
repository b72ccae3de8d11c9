#pragma once

#include "engine/ports/store.h"
#include "engine/store/sqlitesession.h"

namespace antibody {

// SqliteStore's executions and steps: the claim (exactly once per proposal, one at a
// time per resource, across processes), step intents and outcomes, and what
// recovery reads back.
class SqliteExecutions : public virtual ExecutionLedger, protected SqliteFacet
{
public:
    explicit SqliteExecutions(SqliteSession &session)
        : SqliteFacet(session)
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
    // Why a claim may not execute now, read inside its transaction; nothing when it may.
    std::optional<ExecutionClaim> refusalOf(const ExecutionRequest &request);
    // How soon a claim refused for a running execution asks again.
    static constexpr Duration leaseRetry { 15'000 };
};

} // namespace antibody

#pragma once

#include "engine/ports/store.h"
#include "engine/store/memoryrecords.h"

namespace antibody {

// MemoryStore's executions: the same claim checks as SqliteExecutions, for one process.
class MemoryExecutions : public virtual ExecutionLedger
{
public:
    explicit MemoryExecutions(MemoryRecords &records)
        : m_records(records)
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
    std::optional<ExecutionClaim> refusalOf(const ExecutionRequest &request) const;
    std::optional<ExecutionRecord> lastExecutionOnResource(const QString &resource) const;
    QList<TimePoint> automatedRunsAfter(TimePoint after) const;

    MemoryRecords &m_records;
};

} // namespace antibody

#include "engine/store/memoryexecutions.h"

#include "engine/store/memoryapprovals.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {

ExecutionClaim MemoryExecutions::claimExecution(const ExecutionRequest &request)
{
    ExecutionClaim claim;
    if (const auto it = m_records.executionByProposal.constFind(request.proposalId);
        it != m_records.executionByProposal.constEnd()) {
        const ExecutionRecord &existing = m_records.executions.value(*it);
        claim.executionId = existing.id;
        claim.claimedBy = existing.executor;
        claim.claimedAt = existing.startedAt;
        claim.approvedBy = existing.approvedBy;
        return claim;
    }
    const auto proposal = MemoryApprovals::stored(m_records, request.proposalId);
    if (!proposal) {
        claim.reason = u"no proposal %1 is stored: nothing was executed"_s.arg(request.proposalId);
        return claim;
    }
    if (claim.reason = ApprovalRules::claimRefusal(*proposal, request); !claim.reason.isEmpty())
        return claim;
    if (const auto refusal = refusalOf(request))
        return *refusal;
    ExecutionRecord record;
    record.id = request.proposalId + u"-X"_s;
    record.proposalId = request.proposalId;
    record.incidentId = m_records.proposals.value(request.proposalId).incidentId;
    record.runbook = m_records.proposals.value(request.proposalId).plan.runbook;
    record.resource = request.resource;
    if (const auto incident = m_records.incidents.constFind(record.incidentId);
        record.resource.isEmpty() && incident != m_records.incidents.constEnd())
        record.resource = u"service/"_s + incident->service;
    record.fingerprint = request.fingerprint;
    record.executor = request.executor;
    record.approvedBy = request.approvedBy;
    record.startedAt = request.at;
    m_records.executions.insert(record.id, record);
    m_records.executionByProposal.insert(request.proposalId, record.id);
    claim.granted = true;
    claim.executionId = record.id;
    claim.claimedBy = request.executor;
    claim.claimedAt = request.at;
    claim.approvedBy = request.approvedBy;
    return claim;
}

// The same checks as SqliteStore's claim, for one process.
std::optional<ExecutionClaim> MemoryExecutions::refusalOf(const ExecutionRequest &request) const
{
    ExecutionClaim refusal;
    const bool automated = request.approvedBy.isEmpty();
    if (!request.resource.isEmpty()) {
        for (const ExecutionRecord &e : std::as_const(m_records.executions)) {
            if (e.resource == request.resource && !e.outcome) {
                refusal.reason = u"%1 is being remediated by %2: one remediation at a time per resource"_s.arg(
                    request.resource, e.id);
                refusal.retryAt = request.at + Duration { 15'000 };
                return refusal;
            }
        }
        if (const auto c = m_records.cooldowns.constFind(request.resource);
            c != m_records.cooldowns.constEnd() && c->until > request.at) {
            refusal.reason = u"%1 cools down until %2 (%3)"_s.arg(request.resource, formatTime(c->until), c->reason);
            refusal.retryAt = c->until;
            return refusal;
        }
    }
    if (const auto last = lastExecutionOnResource(request.resource);
        automated && last && last->outcome == ExecutionOutcome::Interrupted) {
        refusal.needsApproval = true;
        refusal.reason = u"the last remediation of %1 (%2) was interrupted: a human approves the next run"_s.arg(
            request.resource, last->id);
        return refusal;
    }
    if (automated && request.rateLimit > 0) {
        const QList<TimePoint> recent = automatedRunsAfter(request.at - request.rateWindow);
        if (recent.size() >= request.rateLimit) {
            refusal.reason = u"%1 automated remediations in the last %2 reached the limit of %3"_s.arg(recent.size())
                                 .arg(formatDuration(request.rateWindow))
                                 .arg(request.rateLimit);
            refusal.retryAt = recent.front() + request.rateWindow;
            return refusal;
        }
    }
    return std::nullopt;
}

std::optional<ExecutionRecord> MemoryExecutions::findExecution(const QString &proposalId)
{
    const auto it = m_records.executionByProposal.constFind(proposalId);
    if (it == m_records.executionByProposal.constEnd())
        return std::nullopt;
    return m_records.executions.value(*it);
}

qint64 MemoryExecutions::recordStepIntent(const StepRecord &step)
{
    StepRecord copy = step;
    copy.id = m_records.nextStepId++;
    m_records.executions[step.executionId].steps << copy;
    return copy.id;
}

void MemoryExecutions::recordStepOutcome(const StepRecord &step)
{
    for (StepRecord &s : m_records.executions[step.executionId].steps) {
        if (s.id == step.id) {
            s = step;
            return;
        }
    }
}

void MemoryExecutions::finishExecution(const QString &executionId, ExecutionOutcome outcome, TimePoint at)
{
    ExecutionRecord &e = m_records.executions[executionId];
    e.outcome = outcome;
    e.finishedAt = at;
}

QList<ExecutionRecord> MemoryExecutions::unfinishedExecutions()
{
    QList<ExecutionRecord> out;
    for (const ExecutionRecord &e : std::as_const(m_records.executions)) {
        if (!e.outcome)
            out << e;
    }
    return out;
}

std::optional<ExecutionRecord> MemoryExecutions::lastExecutionOn(const QString &resource)
{
    return lastExecutionOnResource(resource);
}

std::optional<ExecutionRecord> MemoryExecutions::lastExecutionOnResource(const QString &resource) const
{
    if (resource.isEmpty())
        return std::nullopt;
    std::optional<ExecutionRecord> last;
    for (const ExecutionRecord &e : std::as_const(m_records.executions)) {
        if (e.resource == resource && (!last || std::pair(e.startedAt, e.id) > std::pair(last->startedAt, last->id)))
            last = e;
    }
    if (last)
        last->steps.clear();
    return last;
}

QList<TimePoint> MemoryExecutions::automatedRunsSince(TimePoint since)
{
    QList<TimePoint> out;
    for (const ExecutionRecord &e : std::as_const(m_records.executions)) {
        if (e.approvedBy.isEmpty() && e.startedAt >= since)
            out << e.startedAt;
    }
    std::sort(out.begin(), out.end());
    return out;
}

QList<TimePoint> MemoryExecutions::automatedRunsAfter(TimePoint after) const
{
    QList<TimePoint> out;
    for (const ExecutionRecord &e : std::as_const(m_records.executions)) {
        if (e.approvedBy.isEmpty() && e.startedAt > after)
            out << e.startedAt;
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace antibody

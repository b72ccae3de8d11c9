#include "engine/store/memorystore.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {

void MemoryStore::append(const EngineEvent &event)
{
    m_events << event;
}

IncidentOpening MemoryStore::openIncident(const Incident &incident, const QString &problemKey)
{
    IncidentOpening out;
    if (m_incidents.contains(incident.id)) {
        out.idTaken = true;
        out.reason = u"incident %1 already exists: nothing was replaced"_s.arg(incident.id);
        return out;
    }
    // One process: an incident of the problem still open here was forgotten by its engine.
    if (const QString forgotten = m_openProblems.value(problemKey); !problemKey.isEmpty() && !forgotten.isEmpty())
        closeIncident(
            forgotten, IncidentState::Escalated, u"%1 takes the problem over"_s.arg(incident.id), incident.detectedAt);
    if (!problemKey.isEmpty())
        m_openProblems.insert(problemKey, incident.id);
    m_incidents.insert(incident.id, incident);
    out.opened = true;
    return out;
}

bool MemoryStore::incidentEnded(const QString &incidentId)
{
    const auto it = m_incidents.constFind(incidentId);
    return it != m_incidents.constEnd() && isFinal(it->state);
}

void MemoryStore::saveIncident(const Incident &incident)
{
    m_incidents.insert(incident.id, incident);
}

void MemoryStore::saveAlert(const QString &incidentId, const Alert &alert)
{
    QList<Alert> &list = m_alerts[incidentId];
    for (Alert &a : list) {
        if (a.fingerprint == alert.fingerprint) {
            a = alert;
            return;
        }
    }
    list << alert;
}

void MemoryStore::saveProposal(const Proposal &proposal)
{
    m_proposals.insert(proposal.id, proposal);
}

std::optional<StoredProposal> MemoryStore::stored(const QString &proposalId)
{
    const auto it = m_proposals.constFind(proposalId);
    if (it == m_proposals.constEnd())
        return std::nullopt;
    StoredProposal p { it->id, it->plan.fingerprint, modeText(it->decision.mode), proposalStateText(it->state),
        std::max(1, it->approvalsRequired), it->requestedBy, it->expiresAt, {} };
    p.approvers = approversOf(proposalId, p.fingerprint);
    return p;
}

ApprovalOutcome MemoryStore::recordApproval(const Approval &approval)
{
    ApprovalOutcome out;
    const auto proposal = stored(approval.proposalId);
    if (!proposal) {
        out.reason = u"no proposal %1 is stored: nothing was approved"_s.arg(approval.proposalId);
        return out;
    }
    if (m_executionByProposal.contains(approval.proposalId)) {
        out.reason = u"already executing: %1"_s.arg(m_executionByProposal.value(approval.proposalId));
        return out;
    }
    out.reason = ApprovalRules::approvalRefusal(*proposal, approval);
    QList<Approval> &list = m_approvals[approval.proposalId];
    if (out.reason.isEmpty()) {
        const auto earlier = std::find_if(list.cbegin(), list.cend(), [&](const Approval &a) {
            return a.fingerprint == approval.fingerprint && a.approver == approval.approver;
        });
        if (earlier != list.cend()) {
            out.reason = u"%1 already approved this plan at %2"_s.arg(earlier->approver, formatTime(earlier->at));
        } else {
            list << approval;
            out.accepted = true;
        }
    }
    out.approvers = approversOf(approval.proposalId, approval.fingerprint);
    return out;
}

QStringList MemoryStore::approversOf(const QString &proposalId, const QString &fingerprint)
{
    QStringList out;
    for (const Approval &a : m_approvals.value(proposalId)) {
        if (a.fingerprint == fingerprint && !out.contains(a.approver))
            out << a.approver;
    }
    return out;
}

void MemoryStore::recordDenial(const Approval &denial)
{
    m_denials << denial;
}

ExecutionClaim MemoryStore::claimExecution(const ExecutionRequest &request)
{
    ExecutionClaim claim;
    if (const auto it = m_executionByProposal.constFind(request.proposalId); it != m_executionByProposal.constEnd()) {
        const ExecutionRecord &existing = m_executions.value(*it);
        claim.executionId = existing.id;
        claim.claimedBy = existing.executor;
        claim.claimedAt = existing.startedAt;
        claim.approvedBy = existing.approvedBy;
        return claim;
    }
    const auto proposal = stored(request.proposalId);
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
    record.incidentId = m_proposals.value(request.proposalId).incidentId;
    record.runbook = m_proposals.value(request.proposalId).plan.runbook;
    record.resource = request.resource;
    if (const auto incident = m_incidents.constFind(record.incidentId);
        record.resource.isEmpty() && incident != m_incidents.constEnd())
        record.resource = u"service/"_s + incident->service;
    record.fingerprint = request.fingerprint;
    record.executor = request.executor;
    record.approvedBy = request.approvedBy;
    record.startedAt = request.at;
    m_executions.insert(record.id, record);
    m_executionByProposal.insert(request.proposalId, record.id);
    claim.granted = true;
    claim.executionId = record.id;
    claim.claimedBy = request.executor;
    claim.claimedAt = request.at;
    claim.approvedBy = request.approvedBy;
    return claim;
}

// The same checks as SqliteStore's claim, for one process.
std::optional<ExecutionClaim> MemoryStore::refusalOf(const ExecutionRequest &request) const
{
    ExecutionClaim refusal;
    const bool automated = request.approvedBy.isEmpty();
    if (!request.resource.isEmpty()) {
        for (const ExecutionRecord &e : std::as_const(m_executions)) {
            if (e.resource == request.resource && !e.outcome) {
                refusal.reason = u"%1 is being remediated by %2: one remediation at a time per resource"_s.arg(
                    request.resource, e.id);
                refusal.retryAt = request.at + Duration { 15'000 };
                return refusal;
            }
        }
        if (const auto c = m_cooldowns.constFind(request.resource);
            c != m_cooldowns.constEnd() && c->until > request.at) {
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

std::optional<ExecutionRecord> MemoryStore::findExecution(const QString &proposalId)
{
    const auto it = m_executionByProposal.constFind(proposalId);
    if (it == m_executionByProposal.constEnd())
        return std::nullopt;
    return m_executions.value(*it);
}

qint64 MemoryStore::recordStepIntent(const StepRecord &step)
{
    StepRecord copy = step;
    copy.id = m_nextStepId++;
    m_executions[step.executionId].steps << copy;
    return copy.id;
}

void MemoryStore::recordStepOutcome(const StepRecord &step)
{
    for (StepRecord &s : m_executions[step.executionId].steps) {
        if (s.id == step.id) {
            s = step;
            return;
        }
    }
}

void MemoryStore::finishExecution(const QString &executionId, ExecutionOutcome outcome, TimePoint at)
{
    ExecutionRecord &e = m_executions[executionId];
    e.outcome = outcome;
    e.finishedAt = at;
}

QList<ExecutionRecord> MemoryStore::unfinishedExecutions()
{
    QList<ExecutionRecord> out;
    for (const ExecutionRecord &e : std::as_const(m_executions)) {
        if (!e.outcome)
            out << e;
    }
    return out;
}

std::optional<ExecutionRecord> MemoryStore::lastExecutionOn(const QString &resource)
{
    return lastExecutionOnResource(resource);
}

std::optional<ExecutionRecord> MemoryStore::lastExecutionOnResource(const QString &resource) const
{
    if (resource.isEmpty())
        return std::nullopt;
    std::optional<ExecutionRecord> last;
    for (const ExecutionRecord &e : std::as_const(m_executions)) {
        if (e.resource == resource && (!last || std::pair(e.startedAt, e.id) > std::pair(last->startedAt, last->id)))
            last = e;
    }
    if (last)
        last->steps.clear();
    return last;
}

QList<TimePoint> MemoryStore::automatedRunsSince(TimePoint since)
{
    QList<TimePoint> out;
    for (const ExecutionRecord &e : std::as_const(m_executions)) {
        if (e.approvedBy.isEmpty() && e.startedAt >= since)
            out << e.startedAt;
    }
    std::sort(out.begin(), out.end());
    return out;
}

QList<TimePoint> MemoryStore::automatedRunsAfter(TimePoint after) const
{
    QList<TimePoint> out;
    for (const ExecutionRecord &e : std::as_const(m_executions)) {
        if (e.approvedBy.isEmpty() && e.startedAt > after)
            out << e.startedAt;
    }
    std::sort(out.begin(), out.end());
    return out;
}

void MemoryStore::closeIncident(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at)
{
    const auto it = m_incidents.find(incidentId);
    if (it == m_incidents.end() || isFinal(it->state))
        return;
    it->state = state;
    it->history << Transition { state, at, reason };
    if (state == IncidentState::Resolved)
        it->resolvedAt = at;
}

void MemoryStore::saveBreaker(const BreakerState &breaker)
{
    m_breakers.insert(breaker.type, breaker);
}

QList<BreakerState> MemoryStore::loadBreakers()
{
    return m_breakers.values();
}

void MemoryStore::saveCooldown(const Cooldown &cooldown)
{
    m_cooldowns.insert(cooldown.resource, cooldown);
}

QList<Cooldown> MemoryStore::loadCooldowns()
{
    return m_cooldowns.values();
}

void MemoryStore::saveDrill(const DrillResult &drill)
{
    m_drills << drill;
}

std::optional<DrillResult> MemoryStore::lastDrill(const QString &runbook)
{
    std::optional<DrillResult> last;
    for (const DrillResult &d : std::as_const(m_drills)) {
        if (d.runbook == runbook && (!last || d.at >= last->at))
            last = d;
    }
    return last;
}

} // namespace antibody

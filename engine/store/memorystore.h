#pragma once

#include "engine/ports/store.h"
#include "engine/store/approvalrules.h"

#include <QHash>

namespace antibody {

// A Store that keeps everything in memory and forgets it with the process. For
// tests, dry runs and `simulate` without --data-dir; it keeps the same
// exactly-once and distinct-approver rules as the durable stores.
class MemoryStore : public Store
{
public:
    void append(const EngineEvent &event) override;
    IncidentOpening openIncident(const Incident &incident, const QString &problemKey) override;
    bool incidentEnded(const QString &incidentId) override;
    void saveIncident(const Incident &incident) override;
    void saveAlert(const QString &incidentId, const Alert &alert) override;
    void saveProposal(const Proposal &proposal) override;
    ApprovalOutcome recordApproval(const Approval &approval) override;
    QStringList approversOf(const QString &proposalId, const QString &fingerprint) override;
    void recordDenial(const Approval &denial) override;
    using Store::claimExecution;
    ExecutionClaim claimExecution(const ExecutionRequest &request) override;
    std::optional<ExecutionRecord> findExecution(const QString &proposalId) override;
    qint64 recordStepIntent(const StepRecord &step) override;
    void recordStepOutcome(const StepRecord &step) override;
    void finishExecution(const QString &executionId, ExecutionOutcome outcome, TimePoint at) override;
    QList<ExecutionRecord> unfinishedExecutions() override;
    std::optional<ExecutionRecord> lastExecutionOn(const QString &resource) override;
    QList<TimePoint> automatedRunsSince(TimePoint since) override;
    void closeIncident(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at) override;
    void saveBreaker(const BreakerState &breaker) override;
    QList<BreakerState> loadBreakers() override;
    void saveCooldown(const Cooldown &cooldown) override;
    QList<Cooldown> loadCooldowns() override;
    void saveDrill(const DrillResult &drill) override;
    std::optional<DrillResult> lastDrill(const QString &runbook) override;

    const QList<EngineEvent> &events() const { return m_events; }
    const QHash<QString, Incident> &incidents() const { return m_incidents; }
    const QHash<QString, Proposal> &proposals() const { return m_proposals; }
    const QHash<QString, ExecutionRecord> &executions() const { return m_executions; }
    const QList<Approval> &denials() const { return m_denials; }
    const QHash<QString, QList<Alert>> &alerts() const { return m_alerts; }

private:
    std::optional<ExecutionClaim> refusalOf(const ExecutionRequest &request) const;
    std::optional<StoredProposal> stored(const QString &proposalId);
    std::optional<ExecutionRecord> lastExecutionOnResource(const QString &resource) const;
    QList<TimePoint> automatedRunsAfter(TimePoint after) const;

    QList<EngineEvent> m_events;
    QHash<QString, QString> m_openProblems; // problem key -> the incident opened last for it
    QHash<QString, Incident> m_incidents;
    QHash<QString, QList<Alert>> m_alerts; // incident id -> its alerts
    QHash<QString, Proposal> m_proposals;
    QHash<QString, QList<Approval>> m_approvals; // proposal id -> approvals
    QList<Approval> m_denials;
    QHash<QString, ExecutionRecord> m_executions; // execution id -> record
    QHash<QString, QString> m_executionByProposal;
    QHash<QString, BreakerState> m_breakers;
    QHash<QString, Cooldown> m_cooldowns;
    QList<DrillResult> m_drills;
    qint64 m_nextStepId = 1;
};

} // namespace antibody

#pragma once

#include "engine/pipeline/engine.h"
#include "engine/pipeline/executionhost.h"

#include <QJsonArray>

namespace antibody {

struct EngineParts;
struct IncidentRecord;

// Runs approved (or automatic) plans, exactly once across processes: claims the
// execution in the store, starts the ExecutionRun, and acts on how it ended (cooldown,
// breaker, a further attempt, resolve or escalate). Also the engine's start after a
// crash: executions left in flight are marked interrupted and escalated, never re-run.
class ExecutionCoordinator : private ExecutionHost
{
public:
    explicit ExecutionCoordinator(EngineParts &parts);

    // `breakGlass`: the approvers' stored approvals suffice however few (ExecutionRequest).
    Engine::ApprovalResult execute(const QString &incidentId, const QStringList &approvers, bool breakGlass = false);
    void cancel(const QString &incidentId, const QString &who);
    void recover();
    // What ran on the service in the last hour, for a new incident's diagnostics.
    QJsonArray recentActionsOn(const QString &service) const;
    StepRunner::Context stepContextFor(const QString &incidentId);

private:
    // ExecutionHost: what a running execution asks of the engine.
    Clock *clock() override;
    Store *store() override;
    StepRunner::Context stepContext(const QString &incidentId) override { return stepContextFor(incidentId); }
    ActionExecutor *executorFor(const QString &family) override;
    Incident *incident(const QString &id) override;
    void publish(EngineEvent event) override;
    void transition(const QString &incidentId, IncidentState state, const QString &reason) override;
    void incidentUpdated(const QString &incidentId) override;
    void notePaged(const QString &incidentId, const QString &severity) override;
    QString blockerBeforePass(const QString &incidentId, const QString &step) override;
    void executionFinished(const QString &incidentId, const ExecutionSummary &summary) override;

    Engine::ApprovalResult claimRefused(
        IncidentRecord &record, const ExecutionClaim &claim, const QStringList &approvers);
    void retryClaimLater(IncidentRecord &record, TimePoint at, const QStringList &approvers);
    void coolDownAfter(IncidentRecord &record, const ExecutionSummary &summary);
    // A level 3 remediation that failed while its alert still fires tries again within
    // the same incident, until its breaker opens or it used up its attempts.
    bool tryAgain(IncidentRecord &record, const ExecutionSummary &summary);
    void noteRecentAction(const IncidentRecord &record, const ExecutionSummary &summary);
    // What an interrupted execution costs: its resource's cooldown and a breaker failure.
    // Returns what that means, for the page.
    QString countInterruption(const ExecutionRecord &execution);

    EngineParts &m_parts;
    QList<QJsonObject> m_recentActions; // for diagnostics bundles
};

} // namespace antibody

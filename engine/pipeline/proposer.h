#pragma once

#include "engine/domain/proposal.h"
#include "engine/pipeline/planner.h"

namespace antibody {

struct EngineParts;
struct IncidentRecord;

// Diagnose, plan, check the guardrails and decide: what the engine proposes for an
// incident, and what its mode then does (show it, wait for approval, run it, or wait
// out a block). The same plan keeps its proposal and approvals when it is made again.
class Proposer
{
public:
    explicit Proposer(EngineParts &parts);

    void diagnose(const QString &incidentId);
    void plan(const QString &incidentId, const QString &why);
    // The guardrails and mode again, on the same plan: the world may have moved since they were shown.
    void refreshChecks(IncidentRecord &record);
    // The mode of a plan of this record: its runbook's level, tiers and guardrails; a
    // person's request makes a shown plan wait for someone else's approval instead.
    Decision decisionFor(const IncidentRecord &record, const Proposal &proposal) const;
    Proposal makeProposal(
        IncidentRecord &record, const Plan &plan, const QStringList &missing, const QStringList &fleetErrors);

private:
    void runDiagnosisStep(const QString &incidentId, int index);
    void planned(const QString &incidentId, const Planner::Result &result);
    // The same plan again: the proposal on screen keeps its id and approvals, with fresh checks.
    void refreshed(IncidentRecord &record, Proposal fresh);
    void act(const QString &incidentId, bool isNew, const QStringList &differences);
    void waitOutBlock(IncidentRecord &record);
    std::optional<TimePoint> armRetry(const QString &incidentId); // nullopt: the block needs a human

    EngineParts &m_parts;
};

} // namespace antibody

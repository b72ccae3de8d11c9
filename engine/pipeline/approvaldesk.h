#pragma once

#include "engine/pipeline/engine.h"

namespace antibody {

struct EngineParts;
struct IncidentRecord;

// Level 2: a plan that waits for people. Approvals bind to the exact plan shown (its
// fingerprint), within its window, from distinct people other than the requester;
// approvals another process recorded in the store count too. A plan left waiting pages
// the person on call; a denial hands the incident to a human.
class ApprovalDesk
{
public:
    explicit ApprovalDesk(EngineParts &parts);

    Engine::ApprovalResult approve(const QString &proposalId, const QString &fingerprint, const QString &approver);
    // Break-glass: the person runs the plan now, below the approvals it needs, with a
    // reason; the incident is marked for review and the team's notifiers hear it at once.
    Engine::ApprovalResult breakGlass(
        const QString &proposalId, const QString &fingerprint, const QString &approver, const QString &reason);
    Engine::ApprovalResult deny(
        const QString &proposalId, const QString &fingerprint, const QString &approver, const QString &reason);
    // A person asks the engine to run a shown plan (a level 1 checklist) instead of running
    // its steps by hand: it then waits for approval by people other than the requester.
    Engine::ApprovalResult request(
        const QString &proposalId, const QString &fingerprint, const QString &requester, const QString &reason);
    // The proposal's mode is approve: run it if already approved, else ask and wait.
    void await(IncidentRecord &record, bool isNew);
    // Approvals of the current plan that another process recorded in the store (another
    // console, `antibodyctl approve`): taken in and announced. True when they complete the quorum.
    bool takeStoredApprovals(IncidentRecord &record);
    // Expiry of the approval window, and re-planning while it waits.
    void armWaitingTimers(const QString &incidentId);

private:
    // approve() and breakGlass(): the same checks; `breakGlass` is the reason, or empty.
    Engine::ApprovalResult decide(
        const QString &proposalId, const QString &fingerprint, const QString &approver, const QString &breakGlass);
    // Why a decision on `proposalId` as seen at `fingerprint` cannot be taken now (another
    // plan is current, it runs, it expired), or nullopt.
    std::optional<Engine::ApprovalResult> notCurrent(
        const IncidentRecord &record, const QString &proposalId, const QString &fingerprint) const;
    // What break-glass adds once its approval is recorded: the mark, the notice.
    void markForReview(IncidentRecord &record, const QString &approver, const QString &reason, int approvals);
    Engine::ApprovalResult approveHeldElsewhere(
        const QString &proposalId, const QString &fingerprint, const QString &approver);
    Engine::ApprovalResult refuse(const QString &incidentId, const QString &proposalId, const QString &fingerprint,
        const QString &approver, const QString &reason);
    void waitForAnswer(IncidentRecord &record);
    Duration pageWaitingAfter(const IncidentRecord &record) const;
    void pageAboutWaiting(const QString &incidentId, TimePoint since);
    void approveAutomatically(IncidentRecord &record);
    // Why `--approve auto` must leave this plan to a human (approve-tier steps, a
    // never-automate guard), or empty when it is safe-tier throughout.
    static QString riskyForAutoApproval(const IncidentRecord &record);

    EngineParts &m_parts;
};

} // namespace antibody

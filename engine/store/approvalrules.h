#pragma once

// The approval rules every store enforces itself, inside the transaction that records
// an approval or a claim: the engine checks them too, but a store shared by several
// processes must not trust any one of them to have done so.
#include "engine/core/time.h"
#include "engine/domain/proposal.h"
#include "engine/ports/store.h"

#include <QString>
#include <QStringList>

namespace antibody {

// What the store holds of a proposal at the moment of the decision.
struct StoredProposal
{
    QString id;
    QString fingerprint; // the plan it proposes now
    QString mode; // modeText(): show, approve, auto, blocked
    QString state; // proposalStateText(): pending, denied, expired, ...
    int approvalsRequired = 1;
    QString requestedBy; // never counted as an approver
    TimePoint expiresAt;
    QStringList approvers; // distinct approvers of `fingerprint`, in order
};

namespace ApprovalRules {

// Why the requester of a run may not approve it: the one sentence the engine, the stores
// and the team server's consoles give.
QString requesterRefusal(const QString &requester);

// Why this approval may not be recorded; empty when it may.
QString approvalRefusal(const StoredProposal &p, const Approval &approval);

// Why this execution may not be claimed; empty when it may. An automated run
// (no approvers) needs a proposal in mode auto; an approved run needs as many distinct
// stored approvals of the stored plan as the proposal requires, before it expires, and
// names no approver the store does not hold.
QString claimRefusal(const StoredProposal &p, const ExecutionRequest &request);

} // namespace ApprovalRules

} // namespace antibody

#pragma once

#include "engine/ports/store.h"
#include "engine/store/approvalrules.h"
#include "store/postgres/pgsession.h"

namespace antibody {

// PostgresStore's approvals and denials, each committed before the call returns and
// refused, with who and when, when the stored proposal says no.
class PgApprovals : public virtual ApprovalRecords, protected PgFacet
{
public:
    explicit PgApprovals(PgSession &session)
        : PgFacet(session)
    {
    }

    ApprovalOutcome recordApproval(const Approval &approval) override;
    QStringList approversOf(const QString &proposalId, const QString &fingerprint) override;
    void recordDenial(const Approval &denial) override;

    // A stored proposal as the approval rules read it, with its approvers so far; its
    // row locked (FOR UPDATE) until the transaction ends, so that approvals and the claim
    // of one proposal are decided one after the other.
    static std::optional<StoredProposal> storedProposal(PgSession &session, const QString &proposalId);
};

} // namespace antibody

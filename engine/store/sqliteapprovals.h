#pragma once

#include "engine/ports/store.h"
#include "engine/store/approvalrules.h"
#include "engine/store/sqlitesession.h"

namespace antibody {

// SqliteStore's approvals and denials, each committed before the call returns and
// refused, with who and when, when the stored proposal says no.
class SqliteApprovals : public virtual ApprovalRecords, protected SqliteFacet
{
public:
    explicit SqliteApprovals(SqliteSession &session)
        : SqliteFacet(session)
    {
    }

    ApprovalOutcome recordApproval(const Approval &approval) override;
    QStringList approversOf(const QString &proposalId, const QString &fingerprint) override;
    void recordDenial(const Approval &denial) override;

    // A stored proposal as the approval rules read it, with its approvers so far.
    static std::optional<StoredProposal> storedProposal(SqliteDatabase &db, const QString &proposalId);
};

} // namespace antibody

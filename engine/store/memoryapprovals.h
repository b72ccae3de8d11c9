#pragma once

#include "engine/ports/store.h"
#include "engine/store/approvalrules.h"
#include "engine/store/memoryrecords.h"

namespace antibody {

// MemoryStore's approvals and denials, under the same rules as the durable stores.
class MemoryApprovals : public virtual ApprovalRecords
{
public:
    explicit MemoryApprovals(MemoryRecords &records)
        : m_records(records)
    {
    }

    ApprovalOutcome recordApproval(const Approval &approval) override;
    QStringList approversOf(const QString &proposalId, const QString &fingerprint) override;
    void recordDenial(const Approval &denial) override;

    // A held proposal as the approval rules read it, with its approvers so far.
    static std::optional<StoredProposal> stored(const MemoryRecords &records, const QString &proposalId);

private:
    static QStringList approvers(const MemoryRecords &records, const QString &proposalId, const QString &fingerprint);

    MemoryRecords &m_records;
};

} // namespace antibody

#include "engine/store/memoryapprovals.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {

std::optional<StoredProposal> MemoryApprovals::stored(const MemoryRecords &records, const QString &proposalId)
{
    const auto it = records.proposals.constFind(proposalId);
    if (it == records.proposals.constEnd())
        return std::nullopt;
    StoredProposal p { it->id, it->plan.fingerprint, modeText(it->decision.mode), proposalStateText(it->state),
        std::max(1, it->approvalsRequired), it->requestedBy, it->expiresAt, {} };
    p.approvers = approvers(records, proposalId, p.fingerprint);
    return p;
}

ApprovalOutcome MemoryApprovals::recordApproval(const Approval &approval)
{
    ApprovalOutcome out;
    const auto proposal = stored(m_records, approval.proposalId);
    if (!proposal) {
        out.reason = u"no proposal %1 is stored: nothing was approved"_s.arg(approval.proposalId);
        return out;
    }
    if (m_records.executionByProposal.contains(approval.proposalId)) {
        out.reason = u"already executing: %1"_s.arg(m_records.executionByProposal.value(approval.proposalId));
        return out;
    }
    out.reason = ApprovalRules::approvalRefusal(*proposal, approval);
    QList<Approval> &list = m_records.approvals[approval.proposalId];
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

QStringList MemoryApprovals::approversOf(const QString &proposalId, const QString &fingerprint)
{
    return approvers(m_records, proposalId, fingerprint);
}

QStringList MemoryApprovals::approvers(
    const MemoryRecords &records, const QString &proposalId, const QString &fingerprint)
{
    QStringList out;
    for (const Approval &a : records.approvals.value(proposalId)) {
        if (a.fingerprint == fingerprint && !out.contains(a.approver))
            out << a.approver;
    }
    return out;
}

void MemoryApprovals::recordDenial(const Approval &denial)
{
    m_records.denials << denial;
}

} // namespace antibody

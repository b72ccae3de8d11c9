#include "server/mayapprove.h"

#include "engine/store/approvalrules.h"

using namespace Qt::StringLiterals;

namespace antibody {

QJsonObject proposalFor(
    QJsonObject record, const Proposal &proposal, const TeamAccess *access, const ClientIdentity &who)
{
    QJsonObject out = std::move(record);
    QString refused;
    if (!proposal.requestedBy.isEmpty() && proposal.requestedBy == who.subject)
        refused = ApprovalRules::requesterRefusal(who.subject);
    else if (access) {
        const PolicyDecision decision = access->decide(who, PolicyVerb::Approve, TeamAccess::objectOf(proposal));
        if (!decision.allowed)
            refused = u"refused by the policy: %1"_s.arg(decision.explanation);
    }
    out.insert(u"may_approve"_s, refused.isEmpty());
    if (!refused.isEmpty())
        out.insert(u"may_approve_reason"_s, refused);
    return out;
}

} // namespace antibody

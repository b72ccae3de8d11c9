#include "engine/store/approvalrules.h"

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

QStringList named(const QString &approvedBy)
{
    QStringList out;
    for (const QString &name : approvedBy.split(u',', Qt::SkipEmptyParts)) {
        if (const QString n = name.trimmed(); !n.isEmpty() && !out.contains(n))
            out << n;
    }
    return out;
}

QString changedPlan(const StoredProposal &p, const QString &seen)
{
    return u"the plan changed since it was shown (you saw %1, it is now %2): review the new plan and approve that one"_s
        .arg(seen.left(12), p.fingerprint.left(12));
}

} // namespace

QString ApprovalRules::requesterRefusal(const QString &requester)
{
    return u"%1 requested this action and cannot also approve it: another person must"_s.arg(requester);
}

QString ApprovalRules::approvalRefusal(const StoredProposal &p, const Approval &approval)
{
    if (approval.approver.trimmed().isEmpty())
        return u"an approval needs the approver's name"_s;
    if (p.state != proposalStateText(Proposal::State::Pending))
        return u"proposal %1 is %2, not pending: review the current plan"_s.arg(p.id, p.state);
    if (p.mode == modeText(Mode::Show))
        return u"proposal %1 is shown only (a level 0-1 runbook): nothing to approve"_s.arg(p.id);
    if (approval.fingerprint != p.fingerprint)
        return changedPlan(p, approval.fingerprint);
    if (approval.at >= p.expiresAt)
        return u"the approval window of %1 closed at %2: a fresh plan is made for approval"_s.arg(
            p.id, formatTime(p.expiresAt));
    if (!p.requestedBy.isEmpty() && approval.approver == p.requestedBy && !approval.breakGlass)
        return requesterRefusal(p.requestedBy);
    if (approval.breakGlass && approval.reason.trimmed().isEmpty())
        return u"break-glass needs a reason: the people who review it read it"_s;
    return {};
}

QString ApprovalRules::claimRefusal(const StoredProposal &p, const ExecutionRequest &request)
{
    const QString nothing = u"nothing was executed"_s;
    if (p.state != proposalStateText(Proposal::State::Pending))
        return u"proposal %1 is %2, not pending: %3"_s.arg(p.id, p.state, nothing);
    if (request.fingerprint != p.fingerprint)
        return u"the plan claimed (%1) is not the stored plan of %2 (%3): %4"_s.arg(
            request.fingerprint.left(12), p.id, p.fingerprint.left(12), nothing);
    const QStringList approvers = named(request.approvedBy);
    if (approvers.isEmpty()) {
        if (p.mode != modeText(Mode::Auto))
            return u"proposal %1 is in mode %2: it runs only with approval, not automatically; %3"_s.arg(
                p.id, p.mode, nothing);
        return {};
    }
    if (p.mode == modeText(Mode::Show))
        return u"proposal %1 is shown only (a level 0-1 runbook): %2"_s.arg(p.id, nothing);
    if (request.at >= p.expiresAt)
        return u"the approval window of %1 closed at %2: %3"_s.arg(p.id, formatTime(p.expiresAt), nothing);
    for (const QString &name : approvers) {
        if (!p.approvers.contains(name))
            return u"%1 is named as an approver of plan %2 but no approval of theirs is stored: %3"_s.arg(
                name, p.fingerprint.left(12), nothing);
    }
    if (request.breakGlass)
        return {}; // the named, stored approvals suffice: the person broke the glass, and is reviewed
    QStringList counted = p.approvers;
    counted.removeAll(p.requestedBy);
    if (counted.size() < p.approvalsRequired)
        return u"plan %1 has %2 of the %3 distinct approvals it needs: %4"_s.arg(p.fingerprint.left(12))
            .arg(counted.size())
            .arg(p.approvalsRequired)
            .arg(nothing);
    return {};
}

} // namespace antibody

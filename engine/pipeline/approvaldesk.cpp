#include "engine/pipeline/approvaldesk.h"

#include "engine/core/severity.h"
#include "engine/pipeline/engineparts.h"
#include "engine/store/approvalrules.h"

using namespace Qt::StringLiterals;

namespace antibody {

namespace {
using Status = Engine::ApprovalResult::Status;

QString executedBy(const ExecutionRecord &x)
{
    return u"already executed by %1 at %2 (approved by %3)"_s.arg(
        x.executor, formatTime(x.startedAt), x.approvedBy.isEmpty() ? u"nobody: it ran automatically"_s : x.approvedBy);
}

QStringList approversOfPlan(const Proposal &p)
{
    QStringList approvers;
    for (const Approval &a : p.approvals) {
        if (a.approved && a.fingerprint == p.plan.fingerprint && !approvers.contains(a.approver))
            approvers << a.approver;
    }
    return approvers;
}
} // namespace

ApprovalDesk::ApprovalDesk(EngineParts &parts)
    : m_parts(parts)
{
}

Engine::ApprovalResult ApprovalDesk::refuse(const QString &incidentId, const QString &proposalId,
    const QString &fingerprint, const QString &approver, const QString &reason)
{
    m_parts.core.publish(m_parts.core.event(EngineEvent::Kind::ApprovalRefused, incidentId,
        u"approval by %1 refused: %2"_s.arg(approver, reason),
        { { u"proposal"_s, proposalId }, { u"fingerprint"_s, fingerprint }, { u"approver"_s, approver } }));
    return { Status::Refused, reason };
}

Engine::ApprovalResult ApprovalDesk::approveHeldElsewhere(
    const QString &proposalId, const QString &fingerprint, const QString &approver)
{
    // Another process (or an earlier run) may hold it: the store knows who executes it.
    // Never claimed from here: that would take the execution from the process that
    // holds the plan. An approval is recorded in the store, where that process reads
    // it at its next look (approvals: N needs N people, rarely at one console).
    Store &store = m_parts.core.store();
    if (const auto x = store.findExecution(proposalId))
        return { Status::AlreadyClaimed, executedBy(*x) };
    const ApprovalOutcome outcome
        = store.recordApproval({ proposalId, fingerprint, approver, m_parts.core.clock().now(), true, {} });
    if (!outcome.accepted)
        return refuse({}, proposalId, fingerprint, approver, outcome.reason);
    return { Status::NeedsMore,
        u"recorded in the store (%1 so far: %2); the engine that holds the incident runs the plan at its next "
        "look once enough distinct people approved"_s.arg(outcome.approvers.size())
            .arg(outcome.approvers.join(u", "_s)) };
}

Engine::ApprovalResult ApprovalDesk::approve(
    const QString &proposalId, const QString &fingerprint, const QString &approver)
{
    return decide(proposalId, fingerprint, approver, {});
}

Engine::ApprovalResult ApprovalDesk::breakGlass(
    const QString &proposalId, const QString &fingerprint, const QString &approver, const QString &reason)
{
    if (reason.trimmed().isEmpty())
        return { Status::Refused, u"break-glass needs a reason: the people who review it read it"_s };
    return decide(proposalId, fingerprint, approver, reason.trimmed());
}

Engine::ApprovalResult ApprovalDesk::decide(
    const QString &proposalId, const QString &fingerprint, const QString &approver, const QString &breakGlass)
{
    EngineCore &core = m_parts.core;
    const bool glass = !breakGlass.isEmpty();
    IncidentRecord *r = m_parts.book.findByProposal(proposalId);
    if (!r && glass)
        return { Status::Refused,
            u"break-glass is decided by the engine that holds the incident: no proposal %1 here"_s.arg(proposalId) };
    if (!r)
        return approveHeldElsewhere(proposalId, fingerprint, approver);
    Proposal &p = *r->proposal;
    const QString incidentId = r->incident.id;
    const auto refused
        = [&](const QString &reason) { return refuse(incidentId, proposalId, fingerprint, approver, reason); };
    if (const auto stale = notCurrent(*r, proposalId, fingerprint))
        return stale->status == Status::Refused ? refused(stale->reason) : *stale;
    // The world may have moved since the checks were shown (another remediation
    // started, a cooldown began, a guard was raised): check again now.
    m_parts.proposer.refreshChecks(*r);
    if (p.decision.mode == Mode::Blocked)
        return refused(u"blocked: %1"_s.arg(p.blockReason()));
    if (p.decision.mode == Mode::Show)
        return refused(u"level %1 runbooks are run by hand: nothing to approve (a person may request that the "
                       "engine run this plan; someone else then approves it)"_s.arg(core.levelOf(r->runbook)));
    if (!p.requestedBy.isEmpty() && approver == p.requestedBy && !glass)
        return refused(ApprovalRules::requesterRefusal(approver));
    const Approval approval { p.id, fingerprint, approver, core.clock().now(), true, breakGlass, glass };
    const ApprovalOutcome outcome = core.store().recordApproval(approval);
    if (!outcome.accepted) {
        // Another process on this store may have claimed it meanwhile, with its own approvals.
        if (const auto x = core.store().findExecution(proposalId)) {
            p.state = Proposal::State::Executed;
            core.store().saveProposal(p);
            Q_EMIT core.engine().proposalChanged(p);
            const QString who = executedBy(*x);
            core.publish(core.event(EngineEvent::Kind::ApprovalRefused, incidentId, who, { { u"proposal"_s, p.id } }));
            return { Status::AlreadyClaimed, who };
        }
        return refused(outcome.reason);
    }
    p.approvals << approval;
    QJsonObject data { { u"proposal"_s, p.id }, { u"fingerprint"_s, fingerprint }, { u"approver"_s, approver } };
    if (glass) {
        data.insert(u"break_glass"_s, true);
        data.insert(u"reason"_s, breakGlass);
        data.insert(u"review"_s, true);
    }
    core.publish(core.event(EngineEvent::Kind::Approved, incidentId,
        glass ? u"BREAK-GLASS: %1 runs plan %2 with %3 of the %4 approvals it needs: %5 (marked for review)"_s
                    .arg(approver, p.plan.shortFingerprint())
                    .arg(outcome.approvers.size())
                    .arg(p.approvalsRequired)
                    .arg(breakGlass)
              : u"%1 approved plan %2 (%3 of %4)"_s.arg(approver, p.plan.shortFingerprint())
                    .arg(outcome.approvers.size())
                    .arg(p.approvalsRequired),
        data));
    if (glass) {
        markForReview(*r, approver, breakGlass, int(outcome.approvers.size()));
        return m_parts.execution.execute(incidentId, outcome.approvers, true);
    }
    if (outcome.approvers.size() < p.approvalsRequired) {
        core.store().saveProposal(p);
        Q_EMIT core.engine().proposalChanged(p);
        return { Status::NeedsMore,
            u"%1 of %2 distinct approvers so far"_s.arg(outcome.approvers.size()).arg(p.approvalsRequired) };
    }
    return m_parts.execution.execute(incidentId, outcome.approvers);
}

std::optional<Engine::ApprovalResult> ApprovalDesk::notCurrent(
    const IncidentRecord &r, const QString &proposalId, const QString &fingerprint) const
{
    const Proposal &p = *r.proposal;
    if (p.id != proposalId)
        return Engine::ApprovalResult { Status::Refused,
            u"proposal %1 is %2: review the current plan (%3)"_s.arg(
                proposalId, proposalStateText(r.pastProposals.value(proposalId)), p.id) };
    if (p.state == Proposal::State::Executing || p.state == Proposal::State::Executed)
        return Engine::ApprovalResult { Status::AlreadyClaimed,
            u"already executing since approval; see the timeline of %1"_s.arg(r.incident.id) };
    if (p.state != Proposal::State::Pending)
        return Engine::ApprovalResult { Status::Refused,
            u"the proposal is %1: review the current plan"_s.arg(proposalStateText(p.state)) };
    if (fingerprint != p.plan.fingerprint)
        return Engine::ApprovalResult { Status::Refused,
            u"the plan you saw (%1) is not the plan now (%2): review it and approve again"_s.arg(
                fingerprint.left(12), p.plan.shortFingerprint()) };
    if (m_parts.core.clock().now() >= p.expiresAt)
        return Engine::ApprovalResult { Status::Refused,
            u"the approval window closed at %1: a fresh plan is being made"_s.arg(formatTime(p.expiresAt)) };
    return std::nullopt;
}

Engine::ApprovalResult ApprovalDesk::request(
    const QString &proposalId, const QString &fingerprint, const QString &requester, const QString &reason)
{
    EngineCore &core = m_parts.core;
    IncidentRecord *r = m_parts.book.findByProposal(proposalId);
    if (!r)
        return { Status::Refused,
            u"a request is decided by the engine that holds the incident: no proposal %1 here"_s.arg(proposalId) };
    if (reason.trimmed().isEmpty())
        return { Status::Refused, u"a request needs a reason: whoever approves it reads it"_s };
    if (const auto stale = notCurrent(*r, proposalId, fingerprint))
        return *stale;
    Proposal &p = *r->proposal;
    if (!r->requestedBy.isEmpty())
        return { Status::Refused, u"%1 already requested this plan: it waits for approval"_s.arg(r->requestedBy) };
    if (p.decision.mode != Mode::Show)
        return { Status::Refused,
            u"only a shown plan (a level 1 checklist) is requested; this one is %1: %2"_s.arg(
                modeText(p.decision.mode), p.decision.reasons.value(0)) };
    // The checks as they are now, and the mode the request would give: a plan that would be
    // blocked is refused here rather than recorded as asked for.
    m_parts.intake.applyGuards(*r);
    IncidentRecord asked = *r;
    asked.requestedBy = requester;
    asked.requestReason = reason.trimmed();
    if (const Decision d = m_parts.proposer.decisionFor(asked, p); d.mode == Mode::Blocked)
        return { Status::Refused, u"blocked: %1"_s.arg(d.reasons.value(0)) };
    r->requestedBy = asked.requestedBy;
    r->requestReason = asked.requestReason;
    p.requestedBy = requester;
    p.expiresAt = core.clock().now() + core.settings().approvalTtl; // the approvers' window starts now
    core.publish(core.event(EngineEvent::Kind::RunRequested, r->incident.id,
        u"%1 asks the engine to run plan %2 of %3: %4; someone else approves it"_s.arg(
            requester, p.plan.shortFingerprint(), p.plan.runbook, r->requestReason),
        { { u"proposal"_s, p.id }, { u"fingerprint"_s, p.plan.fingerprint }, { u"requested_by"_s, requester },
            { u"reason"_s, r->requestReason } }));
    core.store().saveProposal(p);
    Q_EMIT core.engine().proposalChanged(p);
    // A shown plan is not kept fresh while it is read: planned again now, on fresh data,
    // the same plan keeps its id and waits for approval; a changed one is proposed anew.
    m_parts.proposer.plan(r->incident.id, u"requested"_s);
    return { Status::NeedsMore,
        u"requested: the plan is checked against fresh data, then waits for %1 approval%2 by someone other "
        "than %3"_s.arg(p.approvalsRequired)
            .arg(p.approvalsRequired == 1 ? QString() : u"s"_s, requester) };
}

void ApprovalDesk::markForReview(IncidentRecord &r, const QString &approver, const QString &reason, int approvals)
{
    // The mark stays with the incident (its annotations are stored and sent to every
    // console); the notice goes to every notifier now, not after the run.
    const QString mark = u"break-glass by %1 with %2 of %3 approvals: %4"_s.arg(approver)
                             .arg(approvals)
                             .arg(r.proposal->approvalsRequired)
                             .arg(reason);
    r.incident.annotations.insert(u"review"_s, mark);
    m_parts.core.store().saveIncident(r.incident);
    Q_EMIT m_parts.core.engine().incidentChanged(r.incident);
    m_parts.paging.notifyAfter(
        r, u"BREAK-GLASS on %1 (%2): %3; review it"_s.arg(r.incident.id, r.incident.service, mark), u"high"_s);
}

Engine::ApprovalResult ApprovalDesk::deny(
    const QString &proposalId, const QString &fingerprint, const QString &approver, const QString &reason)
{
    EngineCore &core = m_parts.core;
    IncidentRecord *r = m_parts.book.findByProposal(proposalId);
    if (!r || r->proposal->id != proposalId || r->proposal->state != Proposal::State::Pending)
        return { Status::Refused, u"no pending proposal %1"_s.arg(proposalId) };
    if (reason.trimmed().isEmpty())
        return { Status::Refused, u"a denial needs a reason, for whoever reads the timeline next"_s };
    Proposal &p = *r->proposal;
    const Approval denial { p.id, fingerprint, approver, core.clock().now(), false, reason };
    core.store().recordDenial(denial);
    p.state = Proposal::State::Denied;
    core.store().saveProposal(p);
    Q_EMIT core.engine().proposalChanged(p);
    m_parts.book.cancelTimers(*r);
    core.publish(core.event(EngineEvent::Kind::Denied, r->incident.id,
        u"%1 denied plan %2: %3"_s.arg(approver, p.plan.shortFingerprint(), reason),
        { { u"proposal"_s, p.id }, { u"fingerprint"_s, fingerprint }, { u"approver"_s, approver },
            { u"reason"_s, reason } }));
    m_parts.escalation.handOver(*r, u"denied by %1 (%2): a human handles it"_s.arg(approver, reason));
    return { Status::Refused, u"denied"_s };
}

void ApprovalDesk::await(IncidentRecord &r, bool isNew)
{
    EngineCore &core = m_parts.core;
    const QString incidentId = r.incident.id;
    Proposal &p = *r.proposal;
    // Approved while the store made it wait (another process's execution on the
    // resource, then its cooldown): the same plan runs now, without a second click.
    takeStoredApprovals(r);
    const QStringList approvers = approversOfPlan(p);
    if (approvers.size() >= p.approvalsRequired && core.clock().now() < p.expiresAt) {
        m_parts.execution.execute(incidentId, approvers);
        return;
    }
    const bool wasWaiting = r.incident.state == IncidentState::AwaitingApproval;
    m_parts.book.transition(incidentId, IncidentState::AwaitingApproval, p.decision.reasons.value(0));
    if (isNew || !wasWaiting)
        core.publish(core.event(EngineEvent::Kind::ApprovalRequested, incidentId,
            u"waiting for %1 approval%2 of plan %3: %4"_s.arg(p.approvalsRequired)
                .arg(p.approvalsRequired == 1 ? QString() : u"s"_s, p.plan.shortFingerprint(),
                    p.decision.reasons.value(0)),
            { { u"proposal"_s, p.id }, { u"fingerprint"_s, p.plan.fingerprint },
                { u"expires"_s, formatTime(p.expiresAt) } }));
    armWaitingTimers(incidentId);
    waitForAnswer(r);
    // Whenever approval is requested: also for a plan that waited out a block first
    // (a cooldown), which is no new proposal but newly asks for a human.
    if (core.settings().autoApprove && (isNew || !wasWaiting))
        approveAutomatically(r);
}

void ApprovalDesk::approveAutomatically(IncidentRecord &r)
{
    EngineCore &core = m_parts.core;
    const Proposal &p = *r.proposal;
    if (const QString risky = riskyForAutoApproval(r); !risky.isEmpty() && !core.settings().autoApproveRisky) {
        core.publish(core.event(EngineEvent::Kind::ApprovalRequested, r.incident.id,
            u"not approved automatically: %1; --approve auto approves only safe-tier plans, a human approves this one"_s
                .arg(risky),
            { { u"proposal"_s, p.id }, { u"fingerprint"_s, p.plan.fingerprint },
                { u"auto_approval"_s, u"refused"_s } }));
        return;
    }
    core.clock().callAfter(Duration { 0 }, core.guarded([this, pid = p.id, fp = p.plan.fingerprint] {
        approve(pid, fp, m_parts.core.settings().autoApprover);
    }));
}

QString ApprovalDesk::riskyForAutoApproval(const IncidentRecord &r)
{
    if (!r.incident.guards.isEmpty())
        return u"a never-automate guard holds (%1)"_s.arg(guardName(*r.incident.guards.begin()));
    QStringList risky;
    for (const PlannedStep &s : r.proposal->plan.steps) {
        if (s.effect == Effect::Mutates && s.tier != Tier::Safe)
            risky << u"%1 (%2) is %3-tier"_s.arg(s.name, s.action, tierText(s.tier));
    }
    return risky.join(u", "_s);
}

bool ApprovalDesk::takeStoredApprovals(IncidentRecord &r)
{
    EngineCore &core = m_parts.core;
    Proposal &p = *r.proposal;
    bool quorum = false;
    QStringList known = approversOfPlan(p);
    for (const QString &approver : core.store().approversOf(p.id, p.plan.fingerprint)) {
        if (known.contains(approver))
            continue;
        known << approver;
        p.approvals << Approval { p.id, p.plan.fingerprint, approver, core.clock().now(), true, {} };
        core.publish(core.event(EngineEvent::Kind::Approved, r.incident.id,
            u"%1 approved plan %2 (%3 of %4), recorded in the store by another process"_s
                .arg(approver, p.plan.shortFingerprint())
                .arg(known.size())
                .arg(p.approvalsRequired),
            { { u"proposal"_s, p.id }, { u"fingerprint"_s, p.plan.fingerprint }, { u"approver"_s, approver } }));
        quorum = known.size() >= p.approvalsRequired;
    }
    return quorum;
}

void ApprovalDesk::armWaitingTimers(const QString &incidentId)
{
    EngineCore &core = m_parts.core;
    IncidentRecord *r = m_parts.book.find(incidentId);
    if (!r || !r->proposal)
        return;
    if (!r->expiryTimer) {
        r->expiryTimer = core.clock().callAt(r->proposal->expiresAt, core.guarded([this, incidentId] {
            IncidentRecord *r = m_parts.book.find(incidentId);
            if (!r)
                return;
            r->expiryTimer = 0;
            if (!r->proposal || r->proposal->state != Proposal::State::Pending)
                return;
            r->forceNewProposal = true;
            m_parts.proposer.plan(incidentId, u"expired"_s);
        }));
    }
    // Keep the plan on screen true to the world: re-plan while it waits.
    if (!r->refreshTimer) {
        r->refreshTimer = core.clock().callAfter(core.settings().evaluationInterval, core.guarded([this, incidentId] {
            if (IncidentRecord *r = m_parts.book.find(incidentId)) {
                r->refreshTimer = 0;
                m_parts.proposer.plan(incidentId, u"refresh"_s);
            }
        }));
    }
}

Duration ApprovalDesk::pageWaitingAfter(const IncidentRecord &r) const
{
    if (r.runbook.pageWaitingAfter)
        return *r.runbook.pageWaitingAfter;
    // Nobody watches a console at 3 a.m.: the more urgent the alert, the sooner the
    // person on call hears that a plan waits for them (docs/runbook-format.md).
    switch (severityRank(r.incident.severity)) {
    case SeverityRank::Critical:
        return Duration { 2 * 60'000 };
    case SeverityRank::High:
        return Duration { 5 * 60'000 };
    default:
        return Duration { 10 * 60'000 }; // within the approval window, so the page names the plan still open
    }
}

void ApprovalDesk::waitForAnswer(IncidentRecord &r)
{
    if (r.waitingSince)
        return; // a re-made plan keeps the wait it continues
    EngineCore &core = m_parts.core;
    const TimePoint since = core.clock().now();
    r.waitingSince = since;
    core.clock().callAt(
        since + pageWaitingAfter(r), core.guarded([this, id = r.incident.id, since] { pageAboutWaiting(id, since); }));
}

void ApprovalDesk::pageAboutWaiting(const QString &incidentId, TimePoint since)
{
    IncidentRecord *r = m_parts.book.find(incidentId);
    if (!r || !r->proposal || r->waitingSince != since || r->incident.state != IncidentState::AwaitingApproval)
        return; // answered, resolved or escalated meanwhile
    const Proposal &p = *r->proposal;
    const QString what
        = u"plan %1 of %2 has waited %3 for approval: %4. Open %5 in the console to approve or deny it"_s.arg(
            p.plan.shortFingerprint(), p.plan.runbook, formatDuration(m_parts.core.clock().now() - since),
            p.decision.reasons.value(0), incidentId);
    m_parts.paging.page(*r, what, r->incident.severity,
        { { u"waiting"_s,
            QJsonObject { { u"incident"_s, incidentId }, { u"proposal"_s, p.id },
                { u"fingerprint"_s, p.plan.fingerprint }, { u"since"_s, formatTime(since) },
                { u"expires"_s, formatTime(p.expiresAt) },
                { u"open"_s, u"antibody --open %1"_s.arg(incidentId) } } } });
}

} // namespace antibody

// Approvals, execution and its end: resolve, escalate, breakers and cooldowns.
#include "engine/core/severity.h"
#include "engine/pipeline/decision.h"
#include "engine/pipeline/enginestate.h"
#include "engine/runbook/actioncatalog.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {
using Status = Engine::ApprovalResult::Status;

QString executedBy(const ExecutionRecord &x)
{
    return u"already executed by %1 at %2 (approved by %3)"_s.arg(
        x.executor, formatTime(x.startedAt), x.approvedBy.isEmpty() ? u"nobody: it ran automatically"_s : x.approvedBy);
}
} // namespace

Engine::ApprovalResult EngineState::approve(
    const QString &proposalId, const QString &fingerprint, const QString &approver)
{
    auto refuse = [&](const QString &incidentId, const QString &reason) {
        publish(
            event(EngineEvent::Kind::ApprovalRefused, incidentId, u"approval by %1 refused: %2"_s.arg(approver, reason),
                { { u"proposal"_s, proposalId }, { u"fingerprint"_s, fingerprint }, { u"approver"_s, approver } }));
        return Engine::ApprovalResult { Status::Refused, reason };
    };
    IncidentRecord *r = recordForProposal(proposalId);
    if (!r) {
        // Another process (or an earlier run) may hold it: the store knows who executes it.
        // Never claimed from here: that would take the execution from the process that
        // holds the plan. An approval is recorded in the store, where that process reads
        // it at its next look (approvals: N needs N people, rarely at one console).
        if (const auto x = m_ports.store->findExecution(proposalId))
            return { Status::AlreadyClaimed, executedBy(*x) };
        const ApprovalOutcome outcome
            = m_ports.store->recordApproval({ proposalId, fingerprint, approver, m_ports.clock->now(), true, {} });
        if (!outcome.accepted)
            return refuse({}, outcome.reason);
        return { Status::NeedsMore,
            u"recorded in the store (%1 so far: %2); the engine that holds the incident runs the plan at its next "
            "look once enough distinct people approved"_s.arg(outcome.approvers.size())
                .arg(outcome.approvers.join(u", "_s)) };
    }
    Proposal &p = *r->proposal;
    const QString incidentId = r->incident.id;
    if (p.id != proposalId)
        return refuse(incidentId,
            u"proposal %1 is %2: review the current plan (%3)"_s.arg(
                proposalId, proposalStateText(r->pastProposals.value(proposalId)), p.id));
    if (p.state == Proposal::State::Executing || p.state == Proposal::State::Executed)
        return { Status::AlreadyClaimed,
            u"already executing since approval; see the timeline of %1"_s.arg(incidentId) };
    if (p.state != Proposal::State::Pending)
        return refuse(incidentId, u"the proposal is %1: review the current plan"_s.arg(proposalStateText(p.state)));
    if (fingerprint != p.plan.fingerprint)
        return refuse(incidentId,
            u"the plan you saw (%1) is not the plan now (%2): review it and approve again"_s.arg(
                fingerprint.left(12), p.plan.shortFingerprint()));
    if (m_ports.clock->now() >= p.expiresAt)
        return refuse(
            incidentId, u"the approval window closed at %1: a fresh plan is being made"_s.arg(formatTime(p.expiresAt)));
    // The world may have moved since the checks were shown (another remediation
    // started, a cooldown began, a guard was raised): check again now.
    refreshChecks(*r);
    if (p.decision.mode == Mode::Blocked)
        return refuse(incidentId, u"blocked: %1"_s.arg(p.blockReason()));
    if (p.decision.mode == Mode::Show)
        return refuse(incidentId, u"level %1 runbooks are run by hand: nothing to approve"_s.arg(levelOf(r->runbook)));
    if (!p.requestedBy.isEmpty() && approver == p.requestedBy)
        return refuse(incidentId, u"%1 requested this action and cannot also approve it"_s.arg(approver));
    const Approval approval { p.id, fingerprint, approver, m_ports.clock->now(), true, {} };
    const ApprovalOutcome outcome = m_ports.store->recordApproval(approval);
    if (!outcome.accepted) {
        // Another process on this store may have claimed it meanwhile, with its own approvals.
        if (const auto x = m_ports.store->findExecution(proposalId)) {
            p.state = Proposal::State::Executed;
            m_ports.store->saveProposal(p);
            Q_EMIT q->proposalChanged(p);
            const QString who = executedBy(*x);
            publish(event(EngineEvent::Kind::ApprovalRefused, incidentId, who, { { u"proposal"_s, p.id } }));
            return { Status::AlreadyClaimed, who };
        }
        return refuse(incidentId, outcome.reason);
    }
    p.approvals << approval;
    publish(event(EngineEvent::Kind::Approved, incidentId,
        u"%1 approved plan %2 (%3 of %4)"_s.arg(approver, p.plan.shortFingerprint())
            .arg(outcome.approvers.size())
            .arg(p.approvalsRequired),
        { { u"proposal"_s, p.id }, { u"fingerprint"_s, fingerprint }, { u"approver"_s, approver } }));
    if (outcome.approvers.size() < p.approvalsRequired) {
        m_ports.store->saveProposal(p);
        Q_EMIT q->proposalChanged(p);
        return { Status::NeedsMore,
            u"%1 of %2 distinct approvers so far"_s.arg(outcome.approvers.size()).arg(p.approvalsRequired) };
    }
    return execute(incidentId, outcome.approvers);
}

void EngineState::refreshChecks(IncidentRecord &r)
{
    Proposal &p = *r.proposal;
    applyGuards(r);
    QStringList missing;
    for (const GuardrailResult &g : p.guardrails) {
        if (g.name == u"executor")
            return; // the plan itself is incomplete; a re-plan is what fixes it
    }
    const GuardrailInput in = guardrailInput(r, p.plan, missing);
    const Mode before = p.decision.mode;
    p.guardrails = Guardrails::evaluate(in);
    p.decision = decide(r.runbook, levelOf(r.runbook), p.plan, p.guardrails);
    if (p.decision.mode != before) {
        m_ports.store->saveProposal(p);
        Q_EMIT q->proposalChanged(p);
    }
}

Engine::ApprovalResult EngineState::deny(
    const QString &proposalId, const QString &fingerprint, const QString &approver, const QString &reason)
{
    IncidentRecord *r = recordForProposal(proposalId);
    if (!r || r->proposal->id != proposalId || r->proposal->state != Proposal::State::Pending)
        return { Status::Refused, u"no pending proposal %1"_s.arg(proposalId) };
    if (reason.trimmed().isEmpty())
        return { Status::Refused, u"a denial needs a reason, for whoever reads the timeline next"_s };
    Proposal &p = *r->proposal;
    const Approval denial { p.id, fingerprint, approver, m_ports.clock->now(), false, reason };
    m_ports.store->recordDenial(denial);
    p.state = Proposal::State::Denied;
    m_ports.store->saveProposal(p);
    Q_EMIT q->proposalChanged(p);
    cancelTimers(*r);
    const QString incidentId = r->incident.id;
    publish(event(EngineEvent::Kind::Denied, incidentId,
        u"%1 denied plan %2: %3"_s.arg(approver, p.plan.shortFingerprint(), reason),
        { { u"proposal"_s, p.id }, { u"fingerprint"_s, fingerprint }, { u"approver"_s, approver },
            { u"reason"_s, reason } }));
    transition(incidentId, IncidentState::Escalated, u"denied by %1 (%2): a human handles it"_s.arg(approver, reason));
    closeProblem(*r);
    return { Status::Refused, u"denied"_s };
}

Engine::ApprovalResult EngineState::execute(const QString &incidentId, const QStringList &approvers)
{
    IncidentRecord *r = record(incidentId);
    if (!r || !r->proposal)
        return { Status::Refused, u"no proposal to execute"_s };
    Proposal &p = *r->proposal;
    const TimePoint now = m_ports.clock->now();
    // Exactly once: the store's claim is the gate, across processes. It also holds the
    // resource's lease and reads its cooldown, an interruption and the rate limit as they
    // are now, whichever process wrote them.
    ExecutionRequest request { p.id, p.plan.fingerprint, m_settings.identity, approvers.join(u", "_s), now,
        resourceOf(r->incident), 0, Duration { 0 } };
    if (approvers.isEmpty()) {
        request.rateLimit = m_settings.rateLimit;
        request.rateWindow = m_settings.rateWindow;
    }
    const ExecutionClaim claim = m_ports.store->claimExecution(request);
    if (!claim.granted && claim.claimedBy.isEmpty())
        return claimRefused(*r, claim, approvers);
    if (!claim.granted) {
        const QString who = u"already executed by %1 at %2%3"_s.arg(claim.claimedBy, formatTime(claim.claimedAt),
            claim.approvedBy.isEmpty() ? u" (automatically)"_s : u" (approved by %1)"_s.arg(claim.approvedBy));
        p.state = Proposal::State::Executed;
        m_ports.store->saveProposal(p);
        publish(event(EngineEvent::Kind::ApprovalRefused, incidentId, who, { { u"proposal"_s, p.id } }));
        return { Status::AlreadyClaimed, who };
    }
    cancelTimers(*r);
    r->waitingSince.reset();
    r->executionId = claim.executionId;
    r->automated = approvers.isEmpty();
    p.state = Proposal::State::Executing;
    m_ports.store->saveProposal(p);
    Q_EMIT q->proposalChanged(p);
    m_busy.insert(resourceOf(r->incident), incidentId);
    if (r->automated)
        m_automatedRuns << now;
    ExecutionRun::Options options;
    options.executionId = claim.executionId;
    options.incidentId = incidentId;
    options.humanApproved = !approvers.isEmpty();
    options.batchLimit = r->batchLimit;
    options.passSettle = m_settings.passSettle;
    options.maxCycles = m_settings.maxCycles;
    transition(incidentId, IncidentState::Executing,
        r->automated ? u"executing plan %1 automatically: level %2 within guardrails"_s.arg(p.plan.shortFingerprint())
                           .arg(levelOf(r->runbook))
                     : u"executing plan %1, approved by %2"_s.arg(p.plan.shortFingerprint(), approvers.join(u", "_s)));
    r->run = std::make_shared<ExecutionRun>(*this, r->runbook, p.plan, options);
    r->run->start();
    return { Status::Executing, u"executing %1"_s.arg(claim.executionId) };
}

void EngineState::executionFinished(const QString &incidentId, const ExecutionSummary &summary)
{
    IncidentRecord *r = record(incidentId);
    if (!r)
        return;
    const TimePoint now = m_ports.clock->now();
    // Released on the next turn: the run may still be on the stack that called us.
    m_ports.clock->callAfter(Duration { 0 }, [run = std::move(r->run)] { Q_UNUSED(run); });
    r->run.reset();
    m_ports.store->finishExecution(r->executionId, summary.outcome, now);
    m_busy.remove(resourceOf(r->incident));
    if (r->proposal)
        r->proposal->state = summary.outcome == u"superseded" ? Proposal::State::Superseded : Proposal::State::Executed;
    if (r->proposal) {
        m_ports.store->saveProposal(*r->proposal);
        Q_EMIT q->proposalChanged(*r->proposal);
    }
    m_recentActions << QJsonObject { { u"at"_s, formatTime(now) }, { u"at_ms"_s, double(toMillis(now)) },
        { u"incident"_s, incidentId }, { u"runbook"_s, r->runbook.name }, { u"service"_s, r->incident.service },
        { u"outcome"_s, summary.outcome }, { u"tried"_s, QJsonArray::fromStringList(summary.tried) } };
    if (m_recentActions.size() > 200)
        m_recentActions.removeFirst();
    r->incident.diagnostics.insert(u"tried"_s, QJsonArray::fromStringList(summary.tried));

    if (summary.outcome == u"superseded") {
        publish(event(
            EngineEvent::Kind::ApprovalRefused, incidentId, summary.reason, { { u"execution"_s, r->executionId } }));
        plan(incidentId, summary.reason);
        return;
    }
    if (summary.mutated) {
        Duration cooldown = r->runbook.cooldown;
        if (r->batchLimit)
            cooldown *= 2; // level 4 under pressure: let metrics settle longer
        for (const PlannedStep &s : r->proposal->plan.steps) {
            if (ActionCatalog::changesCapacity(s.action) && s.params.contains(u"cooldown"_s))
                cooldown = std::max(cooldown, Duration { s.params.value(u"cooldown"_s).toLongLong() });
        }
        const Cooldown c { resourceOf(r->incident), now + cooldown,
            u"%1 ran (%2)"_s.arg(r->runbook.name, summary.outcome) };
        m_cooldowns.insert(c.resource, c);
        m_ports.store->saveCooldown(c);
        publish(event(EngineEvent::Kind::CooldownStarted, incidentId,
            u"cooldown on %1 until %2 (%3)"_s.arg(c.resource, formatTime(c.until), formatDuration(cooldown)),
            { { u"resource"_s, c.resource }, { u"until"_s, formatTime(c.until) } }));
    }
    if (summary.outcome == u"cancelled") {
        publish(event(EngineEvent::Kind::Cancelled, incidentId, summary.reason, {}));
        transition(incidentId, IncidentState::Escalated, summary.reason + u": a human handles it"_s);
        closeProblem(*r);
        return;
    }
    if (summary.outcome == u"resolved") {
        const auto t = m_breakers.recordSuccess(r->runbook.name, now);
        if (t.changed) {
            m_ports.store->saveBreaker(t.state);
            publish(event(EngineEvent::Kind::BreakerClosed, {},
                u"breaker for %1 closed: the remediation worked"_s.arg(r->runbook.name),
                { { u"type"_s, r->runbook.name } }));
            Q_EMIT q->breakerChanged(t.state);
        }
        const bool healed = r->automated && levelOf(r->runbook) >= 3;
        resolve(incidentId, summary.reason);
        if (healed)
            notifyAfter(*record(incidentId),
                u"healed, notified after: %1 (%2)"_s.arg(r->incident.title, summary.tried.join(u"; "_s)));
        return;
    }
    // Escalated: the fix did not work. Count it against the breaker of this remediation type.
    if (summary.mutated || summary.hadVerification) {
        const auto t = m_breakers.recordFailure(r->runbook.name, r->runbook.breaker, now, summary.reason);
        m_ports.store->saveBreaker(t.state);
        Q_EMIT q->breakerChanged(t.state);
        if (t.changed && t.state.state == BreakerState::State::Open) {
            const QString why
                = u"breaker for %1 opened: %2 failures within %3; automation of this remediation halts until a human resets it (or %4 pass)"_s
                      .arg(r->runbook.name)
                      .arg(t.state.failures.size())
                      .arg(formatDuration(r->runbook.breaker.window), formatDuration(r->runbook.breaker.coolOff));
            publish(event(EngineEvent::Kind::BreakerOpened, incidentId, why,
                { { u"type"_s, r->runbook.name }, { u"failures"_s, int(t.state.failures.size()) } }));
            page(*r, why, u"critical"_s);
        }
    }
    if (tryAgain(*r, summary))
        return;
    escalate(incidentId, summary.reason, summary.paged);
}

bool EngineState::pageSaysSomethingNew(const QString &pagedSeverity, const QString &severity)
{
    return pagedSeverity.isEmpty() || severityRank(severity) < severityRank(pagedSeverity);
}

void EngineState::notePaged(const QString &incidentId, const QString &severity)
{
    IncidentRecord *r = record(incidentId);
    if (r && pageSaysSomethingNew(r->pagedSeverity, severity))
        r->pagedSeverity = severity;
}

void EngineState::page(const IncidentRecord &r, const QString &summary, const QString &severity, QJsonObject extra)
{
    const QString incidentId = r.incident.id;
    if (!pageSaysSomethingNew(r.pagedSeverity, severity)) {
        // One problem, one page (and one more only when it grows more urgent): the
        // person already paged has the incident open; a second page only wakes them twice.
        publish(event(EngineEvent::Kind::Paged, incidentId,
            u"not paged again (already paged about %1 at %2 severity): %3"_s.arg(incidentId, r.pagedSeverity, summary),
            { { u"sent"_s, false } }));
        return;
    }
    Notification n;
    n.kind = Notification::Kind::Page;
    n.dedupKey = incidentId;
    n.incidentId = incidentId;
    n.service = r.incident.service;
    n.severity = severity;
    n.summary = u"%1: %2"_s.arg(r.incident.title, summary);
    n.details = r.incident.diagnostics;
    n.details.insert(u"facts"_s, QJsonObject::fromVariantMap(r.incident.facts));
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        n.details.insert(it.key(), it.value());
    notePaged(incidentId, severity);
    if (m_ports.notifiers.isEmpty()) {
        publish(event(EngineEvent::Kind::Escalated, incidentId,
            u"no notifier is configured: nobody could be paged about: %1"_s.arg(summary)));
        return;
    }
    for (Notifier *notifier : std::as_const(m_ports.notifiers)) {
        notifier->send(n, guarded([this, incidentId, name = notifier->name(), summary](const NotifyResult &res) {
            publish(event(EngineEvent::Kind::Paged, incidentId,
                res.ok ? u"paged via %1 with the diagnostics: %2"_s.arg(name, summary)
                       : u"page via %1 FAILED (%2): %3"_s.arg(name, res.error, summary),
                { { u"notifier"_s, name }, { u"ok"_s, res.ok } }));
        }));
    }
}

Duration EngineState::pageWaitingAfter(const IncidentRecord &r) const
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

void EngineState::waitForAnswer(IncidentRecord &r)
{
    if (r.waitingSince)
        return; // a re-made plan keeps the wait it continues
    const TimePoint since = m_ports.clock->now();
    r.waitingSince = since;
    m_ports.clock->callAt(
        since + pageWaitingAfter(r), guarded([this, id = r.incident.id, since] { pageAboutWaiting(id, since); }));
}

void EngineState::pageAboutWaiting(const QString &incidentId, TimePoint since)
{
    IncidentRecord *r = record(incidentId);
    if (!r || !r->proposal || r->waitingSince != since || r->incident.state != IncidentState::AwaitingApproval)
        return; // answered, resolved or escalated meanwhile
    const Proposal &p = *r->proposal;
    const QString what
        = u"plan %1 of %2 has waited %3 for approval: %4. Open %5 in the console to approve or deny it"_s.arg(
            p.plan.shortFingerprint(), p.plan.runbook, formatDuration(m_ports.clock->now() - since),
            p.decision.reasons.value(0), incidentId);
    page(*r, what, r->incident.severity,
        { { u"waiting"_s,
            QJsonObject { { u"incident"_s, incidentId }, { u"proposal"_s, p.id },
                { u"fingerprint"_s, p.plan.fingerprint }, { u"since"_s, formatTime(since) },
                { u"expires"_s, formatTime(p.expiresAt) },
                { u"open"_s, u"antibody --open %1"_s.arg(incidentId) } } } });
}

bool EngineState::tryAgain(IncidentRecord &r, const ExecutionSummary &summary)
{
    const TimePoint now = m_ports.clock->now();
    ++r.attempts;
    // Not when a step's outcome is unknown (it timed out): what it did is for a human to find
    // out; nor when the system refused a step: it would refuse the next try too.
    if (levelOf(r.runbook) < 3 || !summary.mutated || summary.outcomeUnknown || summary.refused
        || r.incident.alertsResolved || !r.incident.guards.isEmpty())
        return false;
    if (r.attempts >= std::max(1, r.runbook.breaker.failures))
        return false; // a breaker whose window is shorter than the cooldown would never open: bound the tries
    if (m_breakers.state(r.runbook.name, r.runbook.breaker, now).state == BreakerState::State::Open)
        return false;
    const QString incidentId = r.incident.id;
    transition(incidentId, IncidentState::Proposed,
        u"attempt %1 did not work (%2); the alert still fires, so the engine tries again after the cooldown"_s
            .arg(r.attempts)
            .arg(summary.reason));
    plan(incidentId, u"try again"_s);
    return true;
}

void EngineState::notifyAfter(const IncidentRecord &r, const QString &summary)
{
    Notification n;
    n.kind = Notification::Kind::Notify;
    n.dedupKey = r.incident.id;
    n.incidentId = r.incident.id;
    n.service = r.incident.service;
    n.severity = u"info"_s;
    n.summary = summary;
    n.details = QJsonObject { { u"tried"_s, r.incident.diagnostics.value(u"tried"_s) } };
    const QString incidentId = r.incident.id;
    for (Notifier *notifier : std::as_const(m_ports.notifiers)) {
        notifier->send(n, guarded([this, incidentId, name = notifier->name(), summary](const NotifyResult &res) {
            publish(event(EngineEvent::Kind::Notified, incidentId,
                res.ok ? u"%1 (via %2)"_s.arg(summary, name) : u"notice via %1 FAILED (%2)"_s.arg(name, res.error),
                { { u"notifier"_s, name } }));
        }));
    }
}

void EngineState::escalate(const QString &incidentId, const QString &reason, bool alreadyPaged)
{
    IncidentRecord *r = record(incidentId);
    if (!r || isFinal(r->incident.state))
        return;
    cancelTimers(*r);
    if (!alreadyPaged)
        page(*r, reason, u"high"_s);
    transition(incidentId, IncidentState::Escalated, reason);
    publish(event(EngineEvent::Kind::Escalated, incidentId,
        u"escalated to a human with the diagnostics collected: %1"_s.arg(reason),
        { { u"reason"_s, reason }, { u"diagnostics"_s, r->incident.diagnostics } }));
    closeProblem(*r);
}

void EngineState::resolve(const QString &incidentId, const QString &reason, const QJsonObject &extra)
{
    IncidentRecord *r = record(incidentId);
    if (!r || isFinal(r->incident.state))
        return;
    cancelTimers(*r);
    if (r->proposal && r->proposal->state == Proposal::State::Pending) {
        r->proposal->state = Proposal::State::Superseded;
        m_ports.store->saveProposal(*r->proposal);
        Q_EMIT q->proposalChanged(*r->proposal);
    }
    transition(incidentId, IncidentState::Resolved, reason);
    const Duration mttr = *r->incident.resolvedAt - r->incident.detectedAt;
    QJsonObject data { { u"mttr_seconds"_s, toSeconds(mttr) }, { u"runbook"_s, r->runbook.name },
        { u"level"_s, r->incident.level } };
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        data.insert(it.key(), it.value());
    publish(event(
        EngineEvent::Kind::Resolved, incidentId, u"resolved in %1: %2"_s.arg(formatDuration(mttr), reason), data));
    closeProblem(*r);
    if (!r->pagedSeverity.isEmpty()) {
        Notification n;
        n.kind = Notification::Kind::Resolve;
        n.dedupKey = incidentId;
        n.incidentId = incidentId;
        n.service = r->incident.service;
        n.summary = u"resolved: %1"_s.arg(reason);
        for (Notifier *notifier : std::as_const(m_ports.notifiers))
            notifier->send(n, [](const NotifyResult &) {});
    }
}

void EngineState::cancel(const QString &incidentId, const QString &who)
{
    IncidentRecord *r = record(incidentId);
    if (!r || isFinal(r->incident.state))
        return;
    if (r->run) {
        auto run = r->run; // keeps it alive through its own finish
        run->cancel(who);
        return;
    }
    cancelTimers(*r);
    publish(event(EngineEvent::Kind::Cancelled, incidentId, u"cancelled by %1"_s.arg(who)));
    transition(incidentId, IncidentState::Escalated, u"cancelled by %1: a human handles it"_s.arg(who));
    closeProblem(*r);
}

void EngineState::resetBreaker(const QString &type, const QString &who)
{
    const auto t = m_breakers.reset(type, who);
    m_ports.store->saveBreaker(t.state);
    publish(event(EngineEvent::Kind::BreakerReset, {}, u"breaker for %1 reset by %2"_s.arg(type, who),
        { { u"type"_s, type }, { u"who"_s, who } }));
    Q_EMIT q->breakerChanged(t.state);
}

} // namespace antibody

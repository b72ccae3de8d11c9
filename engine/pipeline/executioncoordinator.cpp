#include "engine/pipeline/executioncoordinator.h"

#include "engine/pipeline/engineparts.h"
#include "engine/runbook/actioncatalog.h"

using namespace Qt::StringLiterals;

namespace antibody {

namespace {
using Status = Engine::ApprovalResult::Status;
} // namespace

ExecutionCoordinator::ExecutionCoordinator(EngineParts &parts)
    : m_parts(parts)
{
}

Clock *ExecutionCoordinator::clock()
{
    return &m_parts.core.clock();
}

Store *ExecutionCoordinator::store()
{
    return &m_parts.core.store();
}

ActionExecutor *ExecutionCoordinator::executorFor(const QString &family)
{
    return m_parts.core.executorFor(family);
}

Incident *ExecutionCoordinator::incident(const QString &id)
{
    IncidentRecord *r = m_parts.book.find(id);
    return r ? &r->incident : nullptr;
}

void ExecutionCoordinator::publish(EngineEvent event)
{
    m_parts.core.publish(std::move(event));
}

void ExecutionCoordinator::transition(const QString &incidentId, IncidentState state, const QString &reason)
{
    m_parts.book.transition(incidentId, state, reason);
}

void ExecutionCoordinator::incidentUpdated(const QString &incidentId)
{
    if (IncidentRecord *r = m_parts.book.find(incidentId))
        m_parts.book.save(*r);
}

void ExecutionCoordinator::notePaged(const QString &incidentId, const QString &severity)
{
    m_parts.paging.notePaged(incidentId, severity);
}

StepRunner::Context ExecutionCoordinator::stepContextFor(const QString &incidentId)
{
    EngineCore &core = m_parts.core;
    StepRunner::Context ctx;
    ctx.clock = &core.clock();
    ctx.metrics = core.metrics();
    ctx.executorFor = [&core](const QString &family) { return core.executorFor(family); };
    ctx.notifiers = core.notifiers();
    // Verification looks no less often than triggers are evaluated: on a stack
    // that scrapes every second, a 5 s poll would add seconds to every recovery.
    ctx.pollInterval = std::min(ctx.pollInterval, core.settings().evaluationInterval);
    if (IncidentRecord *r = m_parts.book.find(incidentId)) {
        ctx.incident = r->incident;
        ctx.pagedSeverity = r->pagedSeverity;
    }
    return ctx;
}

QString ExecutionCoordinator::blockerBeforePass(const QString &incidentId, const QString &step)
{
    IncidentRecord *r = m_parts.book.find(incidentId);
    if (!r)
        return u"the incident is gone"_s;
    m_parts.intake.applyGuards(*r);
    return m_parts.safeguards.blockerBeforePass(*r, step);
}

QJsonArray ExecutionCoordinator::recentActionsOn(const QString &service) const
{
    QJsonArray recent;
    const TimePoint now = m_parts.core.clock().now();
    for (const QJsonObject &a : m_recentActions) {
        if (a.value(u"service"_s).toString() == service
            && now - fromMillis(qint64(a.value(u"at_ms"_s).toDouble())) < Duration { 3'600'000 })
            recent.append(a);
    }
    return recent;
}

Engine::ApprovalResult ExecutionCoordinator::execute(
    const QString &incidentId, const QStringList &approvers, bool breakGlass)
{
    EngineCore &core = m_parts.core;
    IncidentRecord *r = m_parts.book.find(incidentId);
    if (!r || !r->proposal)
        return { Status::Refused, u"no proposal to execute"_s };
    Proposal &p = *r->proposal;
    const TimePoint now = core.clock().now();
    const Engine::Settings &settings = core.settings();
    const QString resource = EngineCore::resourceOf(r->incident);
    // Exactly once: the store's claim is the gate, across processes. It also holds the
    // resource's lease and reads its cooldown, an interruption and the rate limit as they
    // are now, whichever process wrote them.
    ExecutionRequest request { p.id, p.plan.fingerprint, settings.identity, approvers.join(u", "_s), now, resource, 0,
        Duration { 0 } };
    request.breakGlass = breakGlass && !approvers.isEmpty();
    if (approvers.isEmpty()) {
        request.rateLimit = settings.rateLimit;
        request.rateWindow = settings.rateWindow;
    }
    const ExecutionClaim claim = core.store().claimExecution(request);
    if (!claim.granted && claim.claimedBy.isEmpty())
        return claimRefused(*r, claim, approvers);
    if (!claim.granted) {
        const QString who = u"already executed by %1 at %2%3"_s.arg(claim.claimedBy, formatTime(claim.claimedAt),
            claim.approvedBy.isEmpty() ? u" (automatically)"_s : u" (approved by %1)"_s.arg(claim.approvedBy));
        p.state = Proposal::State::Executed;
        core.store().saveProposal(p);
        core.publish(core.event(EngineEvent::Kind::ApprovalRefused, incidentId, who, { { u"proposal"_s, p.id } }));
        return { Status::AlreadyClaimed, who };
    }
    m_parts.book.cancelTimers(*r);
    r->waitingSince.reset();
    r->executionId = claim.executionId;
    r->automated = approvers.isEmpty();
    p.state = Proposal::State::Executing;
    core.store().saveProposal(p);
    Q_EMIT core.engine().proposalChanged(p);
    m_parts.safeguards.occupy(resource, incidentId, r->automated);
    ExecutionRun::Options options;
    options.executionId = claim.executionId;
    options.incidentId = incidentId;
    options.humanApproved = !approvers.isEmpty();
    options.batchLimit = r->batchLimit;
    options.passSettle = settings.passSettle;
    options.maxCycles = settings.maxCycles;
    m_parts.book.transition(incidentId, IncidentState::Executing,
        r->automated ? u"executing plan %1 automatically: level %2 within guardrails"_s.arg(p.plan.shortFingerprint())
                           .arg(core.levelOf(r->runbook))
                     : u"executing plan %1, approved by %2"_s.arg(p.plan.shortFingerprint(), approvers.join(u", "_s)));
    r->run = std::make_shared<ExecutionRun>(static_cast<ExecutionHost &>(*this), r->runbook, p.plan, options);
    r->run->start();
    return { Status::Executing, u"executing %1"_s.arg(claim.executionId) };
}

Engine::ApprovalResult ExecutionCoordinator::claimRefused(
    IncidentRecord &r, const ExecutionClaim &claim, const QStringList &approvers)
{
    EngineCore &core = m_parts.core;
    const QString incidentId = r.incident.id;
    const Proposal &p = *r.proposal;
    if (!claim.retryAt && !claim.needsApproval) {
        // Unknown proposal, or the store could not record the claim: nothing runs, a human looks.
        core.publish(
            core.event(EngineEvent::Kind::ApprovalRefused, incidentId, claim.reason, { { u"proposal"_s, p.id } }));
        m_parts.escalation.escalate(incidentId, u"the execution could not be claimed: %1"_s.arg(claim.reason), false);
        return { Status::Refused, claim.reason };
    }
    core.publish(core.event(EngineEvent::Kind::GuardrailBlocked, incidentId,
        u"waiting, nothing runs yet: %1"_s.arg(claim.reason),
        { { u"proposal"_s, p.id }, { u"retry_at"_s, claim.retryAt ? formatTime(*claim.retryAt) : QString() } }));
    if (claim.needsApproval) {
        // Planned again, the `interrupted` guardrail asks a human.
        m_parts.proposer.plan(incidentId, claim.reason);
        return { Status::Refused, claim.reason };
    }
    // What another process wrote: its cooldown, or its execution interrupted by a crash.
    m_parts.safeguards.adoptStoredCooldowns();
    recover();
    if (approvers.isEmpty())
        m_parts.book.transition(incidentId, IncidentState::Proposed, u"waiting: %1"_s.arg(claim.reason));
    retryClaimLater(r, *claim.retryAt, approvers);
    // An approval stays recorded: the plan runs once this clears, within its approval window.
    return { Status::Refused,
        approvers.isEmpty() ? claim.reason : u"approved; it runs once this clears: %1"_s.arg(claim.reason) };
}

void ExecutionCoordinator::retryClaimLater(IncidentRecord &r, TimePoint at, const QStringList &approvers)
{
    EngineCore &core = m_parts.core;
    if (r.retryTimer)
        core.clock().cancel(r.retryTimer);
    r.retryTimer = core.clock().callAt(
        at, core.guarded([this, incidentId = r.incident.id, proposalId = r.proposal->id, approvers] {
            IncidentRecord *r = m_parts.book.find(incidentId);
            if (!r)
                return;
            r->retryTimer = 0;
            if (!r->proposal || r->proposal->id != proposalId || r->proposal->state != Proposal::State::Pending)
                return;
            if (approvers.isEmpty() || m_parts.core.clock().now() >= r->proposal->expiresAt) {
                m_parts.proposer.plan(incidentId, u"retry"_s);
                return;
            }
            // Approved already: it runs unless a check that needs a human blocks it meanwhile.
            // A block that clears by itself (the cooldown the claim just read) is the claim's
            // to wait out again; re-planning would drop the approval.
            m_parts.proposer.refreshChecks(*r);
            const QList<GuardrailResult> &checks = r->proposal->guardrails;
            const bool needsHuman = std::any_of(checks.cbegin(), checks.cend(), [](const GuardrailResult &g) {
                return g.verdict == GuardrailResult::Verdict::Block && !Guardrails::clearsByItself(g);
            });
            if (needsHuman || r->proposal->decision.mode == Mode::Show)
                m_parts.proposer.plan(incidentId, u"retry"_s);
            else
                execute(incidentId, approvers);
        }));
}

void ExecutionCoordinator::executionFinished(const QString &incidentId, const ExecutionSummary &summary)
{
    EngineCore &core = m_parts.core;
    IncidentRecord *r = m_parts.book.find(incidentId);
    if (!r)
        return;
    // Released on the next turn: the run may still be on the stack that called us.
    core.clock().callAfter(Duration { 0 }, [run = std::move(r->run)] { Q_UNUSED(run); });
    r->run.reset();
    core.store().finishExecution(r->executionId, summary.outcome, core.clock().now());
    m_parts.safeguards.release(EngineCore::resourceOf(r->incident));
    if (r->proposal) {
        r->proposal->state
            = summary.outcome == ExecutionOutcome::Superseded ? Proposal::State::Superseded : Proposal::State::Executed;
        core.store().saveProposal(*r->proposal);
        Q_EMIT core.engine().proposalChanged(*r->proposal);
    }
    noteRecentAction(*r, summary);
    r->incident.diagnostics.insert(u"tried"_s, QJsonArray::fromStringList(summary.tried));

    if (summary.outcome == ExecutionOutcome::Superseded) {
        core.publish(core.event(
            EngineEvent::Kind::ApprovalRefused, incidentId, summary.reason, { { u"execution"_s, r->executionId } }));
        m_parts.proposer.plan(incidentId, summary.reason);
        return;
    }
    if (summary.mutated)
        coolDownAfter(*r, summary);
    if (summary.outcome == ExecutionOutcome::Cancelled) {
        core.publish(core.event(EngineEvent::Kind::Cancelled, incidentId, summary.reason, {}));
        m_parts.escalation.handOver(*r, summary.reason + u": a human handles it"_s);
        return;
    }
    if (summary.outcome == ExecutionOutcome::Resolved) {
        m_parts.safeguards.recordSuccess(r->runbook.name);
        const bool healed = r->automated && core.levelOf(r->runbook) >= 3;
        m_parts.escalation.resolve(incidentId, summary.reason);
        if (healed)
            m_parts.paging.notifyAfter(
                *r, u"healed, notified after: %1 (%2)"_s.arg(r->incident.title, summary.tried.join(u"; "_s)));
        return;
    }
    // Escalated: the fix did not work. Count it against the breaker of this remediation type.
    if (summary.mutated || summary.hadVerification) {
        const QString opened
            = m_parts.safeguards.recordFailure(incidentId, r->runbook.name, r->runbook.breaker, summary.reason);
        if (!opened.isEmpty())
            m_parts.paging.page(*r, opened, u"critical"_s);
    }
    if (tryAgain(*r, summary))
        return;
    m_parts.escalation.escalate(incidentId, summary.reason, summary.paged);
}

void ExecutionCoordinator::noteRecentAction(const IncidentRecord &r, const ExecutionSummary &summary)
{
    const TimePoint now = m_parts.core.clock().now();
    m_recentActions << QJsonObject { { u"at"_s, formatTime(now) }, { u"at_ms"_s, double(toMillis(now)) },
        { u"incident"_s, r.incident.id }, { u"runbook"_s, r.runbook.name }, { u"service"_s, r.incident.service },
        { u"outcome"_s, executionOutcomeText(summary.outcome) },
        { u"tried"_s, QJsonArray::fromStringList(summary.tried) } };
    if (m_recentActions.size() > 200)
        m_recentActions.removeFirst();
}

void ExecutionCoordinator::coolDownAfter(IncidentRecord &r, const ExecutionSummary &summary)
{
    Duration cooldown = r.runbook.cooldown;
    if (r.batchLimit)
        cooldown *= 2; // level 4 under pressure: let metrics settle longer
    if (r.proposal) {
        for (const PlannedStep &s : r.proposal->plan.steps) {
            if (ActionCatalog::changesCapacity(s.action) && s.params.contains(u"cooldown"_s))
                cooldown = std::max(cooldown, Duration { s.params.value(u"cooldown"_s).toLongLong() });
        }
    }
    const Cooldown c { EngineCore::resourceOf(r.incident), m_parts.core.clock().now() + cooldown,
        u"%1 ran (%2)"_s.arg(r.runbook.name, executionOutcomeText(summary.outcome)) };
    m_parts.safeguards.startCooldown(r.incident.id, c,
        u"cooldown on %1 until %2 (%3)"_s.arg(c.resource, formatTime(c.until), formatDuration(cooldown)));
}

bool ExecutionCoordinator::tryAgain(IncidentRecord &r, const ExecutionSummary &summary)
{
    ++r.attempts;
    // Not when a step's outcome is unknown (it timed out): what it did is for a human to find
    // out; nor when the system refused a step: it would refuse the next try too.
    if (m_parts.core.levelOf(r.runbook) < 3 || !summary.mutated || summary.outcomeUnknown || summary.refused
        || r.incident.alertsResolved || !r.incident.guards.isEmpty())
        return false;
    if (r.attempts >= std::max(1, r.runbook.breaker.failures))
        return false; // a breaker whose window is shorter than the cooldown would never open: bound the tries
    if (m_parts.safeguards.breakerOpen(r.runbook))
        return false;
    const QString incidentId = r.incident.id;
    m_parts.book.transition(incidentId, IncidentState::Proposed,
        u"attempt %1 did not work (%2); the alert still fires, so the engine tries again after the cooldown"_s
            .arg(r.attempts)
            .arg(summary.reason));
    m_parts.proposer.plan(incidentId, u"try again"_s);
    return true;
}

void ExecutionCoordinator::cancel(const QString &incidentId, const QString &who)
{
    IncidentRecord *r = m_parts.book.find(incidentId);
    if (!r || isFinal(r->incident.state))
        return;
    if (r->run) {
        auto run = r->run; // keeps it alive through its own finish
        run->cancel(who);
        return;
    }
    m_parts.book.cancelTimers(*r);
    m_parts.core.publish(m_parts.core.event(EngineEvent::Kind::Cancelled, incidentId, u"cancelled by %1"_s.arg(who)));
    m_parts.escalation.handOver(*r, u"cancelled by %1: a human handles it"_s.arg(who));
}

void ExecutionCoordinator::recover()
{
    // Executions a crash left in flight: their outcome is unknown. They are never
    // re-run; a human gets what the store knows about them. What they may have done
    // counts as a run that failed: the resource cools down, the breaker counts it, and
    // the next run there waits for a human (the `interrupted` guardrail). Otherwise an
    // engine that crashes mid-execution would re-run its fix on every start.
    EngineCore &core = m_parts.core;
    for (const ExecutionRecord &x : core.store().unfinishedExecutions()) {
        const TimePoint now = core.clock().now();
        QStringList steps;
        QStringList inFlight;
        for (StepRecord s : x.steps) {
            if (!s.outcome) {
                s.outcome = StepResult::Unknown; // not "in flight" for ever: nobody will finish it
                s.finishedAt = now;
                s.detail = u"the process stopped while this step ran: what it did is unknown"_s;
                core.store().recordStepOutcome(s);
                inFlight << s.step;
            }
            steps << u"%1 pass %2 on %3: %4"_s.arg(s.step).arg(s.pass).arg(
                s.targets.join(u", "_s), stepResultText(*s.outcome));
        }
        core.store().finishExecution(x.id, ExecutionOutcome::Interrupted, now);
        const QString detail
            = u"execution %1 was interrupted (the process stopped while it ran); outcome unknown, not re-run%2"_s.arg(
                x.id, inFlight.isEmpty() ? QString() : u"; in flight: "_s + inFlight.join(u", "_s));
        core.publish(core.event(EngineEvent::Kind::Interrupted, x.incidentId, detail,
            { { u"execution"_s, x.id }, { u"proposal"_s, x.proposalId },
                { u"steps"_s, QJsonArray::fromStringList(steps) } }));
        m_parts.paging.pageInterrupted(x, detail + countInterruption(x), steps);
        const QString escalated = u"escalated with its stored context: %1"_s.arg(steps.join(u"; "_s));
        if (IncidentRecord *r = m_parts.book.find(x.incidentId))
            m_parts.escalation.handOver(*r, detail);
        else
            core.store().closeIncident(x.incidentId, IncidentState::Escalated, detail, now);
        core.publish(core.event(EngineEvent::Kind::Escalated, x.incidentId, escalated, { { u"execution"_s, x.id } }));
    }
}

QString ExecutionCoordinator::countInterruption(const ExecutionRecord &x)
{
    const Runbook *rb = m_parts.core.runbookNamed(x.runbook);
    const Runbook defaults;
    QString out;
    if (!x.resource.isEmpty()) {
        const Duration cooldown = (rb ? rb : &defaults)->cooldown;
        const Cooldown c { x.resource, m_parts.core.clock().now() + cooldown,
            u"%1 was interrupted (outcome unknown)"_s.arg(x.id) };
        m_parts.safeguards.startCooldown(x.incidentId, c,
            u"cooldown on %1 until %2 (%3): an interrupted remediation may have acted"_s.arg(
                c.resource, formatTime(c.until), formatDuration(cooldown)));
        out += u"; %1 cools down until %2 and its next run waits for a human"_s.arg(c.resource, formatTime(c.until));
    }
    if (!x.runbook.isEmpty()) {
        const BreakerSpec &spec = (rb ? rb : &defaults)->breaker;
        const QString opened = m_parts.safeguards.recordFailure(
            x.incidentId, x.runbook, spec, u"%1 was interrupted"_s.arg(x.id), u" (interrupted runs count)"_s);
        if (!opened.isEmpty())
            out += u"; "_s + opened;
    }
    return out;
}

} // namespace antibody

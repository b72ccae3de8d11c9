// Diagnose, plan, check the guardrails and decide: what the engine proposes for
// an incident and how it will run.
#include "engine/pipeline/decision.h"
#include "engine/pipeline/diagnosisfindings.h"
#include "engine/pipeline/enginestate.h"
#include "engine/pipeline/facts.h"
#include "engine/pipeline/guardrails.h"
#include "engine/pipeline/targetselection.h"
#include "engine/runbook/actioncatalog.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QJsonObject proposalData(const Proposal &p)
{
    QJsonArray radii;
    for (const PlannedStep &s : p.plan.steps) {
        if (!s.blastRadius)
            continue;
        QJsonObject radius = s.blastRadius->toJson();
        radius.insert(u"step"_s, s.name);
        radii.append(radius);
    }
    QJsonArray guards;
    for (const GuardrailResult &g : p.guardrails)
        guards.append(QJsonObject { { u"name"_s, g.name }, { u"pass"_s, g.pass() },
            { u"verdict"_s, verdictText(g.verdict) }, { u"reason"_s, g.reason } });
    QJsonArray steps;
    for (const PlannedStep &s : p.plan.steps)
        steps.append(QJsonObject { { u"name"_s, s.name }, { u"action"_s, s.action }, { u"tier"_s, tierText(s.tier) },
            { u"condition"_s, s.condition } });
    return QJsonObject { { u"proposal"_s, p.id }, { u"runbook"_s, p.plan.runbook },
        { u"fingerprint"_s, p.plan.fingerprint }, { u"mode"_s, modeText(p.decision.mode) },
        { u"reasons"_s, QJsonArray::fromStringList(p.decision.reasons) }, { u"blast_radius"_s, radii },
        { u"guardrails"_s, guards }, { u"steps"_s, steps },
        { u"skipped"_s, QJsonArray::fromStringList(p.plan.skipped) },
        { u"approvals_required"_s, p.approvalsRequired } };
}

QString stepList(const Plan &plan)
{
    QStringList parts;
    for (const PlannedStep &s : plan.steps)
        parts << (s.blastRadius ? u"%1 (%2)"_s.arg(s.name, s.blastRadius->summary()) : s.name);
    return parts.join(u" → "_s);
}

} // namespace

void EngineState::diagnose(const QString &incidentId)
{
    IncidentRecord *r = record(incidentId);
    if (!r)
        return;
    QJsonArray recent;
    const TimePoint now = m_ports.clock->now();
    for (const QJsonObject &a : std::as_const(m_recentActions)) {
        if (a.value(u"service"_s).toString() == r->incident.service
            && now - fromMillis(qint64(a.value(u"at_ms"_s).toDouble())) < Duration { 3'600'000 })
            recent.append(a);
    }
    r->incident.diagnostics.insert(u"recent_actions"_s, recent);
    if (levelOf(r->runbook) <= 1) {
        plan(incidentId, u"level 1: the checklist is prepared, nothing runs"_s);
        return;
    }
    transition(incidentId, IncidentState::Diagnosing, u"collecting diagnostics before proposing anything"_s);
    runDiagnosisStep(incidentId, 0);
}

void EngineState::runDiagnosisStep(const QString &incidentId, int index)
{
    IncidentRecord *r = record(incidentId);
    if (!r || isFinal(r->incident.state))
        return;
    if (index >= Planner::diagnosisSteps(r->runbook)) {
        const QStringList findings = diagnosisFindings(r->incident, &r->runbook);
        r->incident.diagnostics.insert(u"facts"_s, QJsonObject::fromVariantMap(r->incident.facts));
        saveIncident(*r);
        publish(event(EngineEvent::Kind::Diagnosed, incidentId,
            findings.isEmpty() ? u"no diagnosis steps; planning from the alert alone"_s
                               : u"diagnosis: %1"_s.arg(findings.join(u"; "_s)),
            { { u"facts"_s, QJsonObject::fromVariantMap(r->incident.facts) } }));
        pageGuard(incidentId); // with the diagnostics just collected
        plan(incidentId, u"diagnosed"_s);
        return;
    }
    const Step &step = r->runbook.steps.at(index);
    const ActionSpec *spec = ActionCatalog::instance().find(step.action);
    if (step.condition) {
        const auto v = step.condition->evaluate(factLookup(r->incident));
        if (!v.known || !v.value) {
            recordStepFacts(r->incident, step.name, u"skipped"_s, {});
            publish(event(EngineEvent::Kind::StepSkipped, incidentId, u"%1 skipped: %2"_s.arg(step.name, v.explanation),
                { { u"step"_s, step.name }, { u"phase"_s, u"diagnosis"_s } }));
            runDiagnosisStep(incidentId, index + 1);
            return;
        }
    }
    publish(event(EngineEvent::Kind::StepStarted, incidentId, u"%1 (%2) started"_s.arg(step.name, step.action),
        { { u"step"_s, step.name }, { u"action"_s, step.action }, { u"phase"_s, u"diagnosis"_s } }));
    StepRunner::run(step, *spec, stepContext(incidentId), guarded([this, incidentId, index](const StepOutcome &o) {
        IncidentRecord *r = record(incidentId);
        if (!r || isFinal(r->incident.state))
            return;
        const Step &step = r->runbook.steps.at(index);
        recordStepFacts(r->incident, step.name, o.outcome, o.facts);
        if (!o.evidence.isEmpty()) {
            QJsonObject steps = r->incident.diagnostics.value(u"steps"_s).toObject();
            steps.insert(step.name, o.evidence);
            r->incident.diagnostics.insert(u"steps"_s, steps);
        }
        saveIncident(*r);
        publish(event(EngineEvent::Kind::StepFinished, incidentId, u"%1 %2: %3"_s.arg(step.name, o.outcome, o.detail),
            { { u"step"_s, step.name }, { u"action"_s, step.action }, { u"outcome"_s, o.outcome },
                { u"phase"_s, u"diagnosis"_s }, { u"facts"_s, QJsonObject::fromVariantMap(o.facts) } }));
        runDiagnosisStep(incidentId, index + 1);
    }));
}

void EngineState::plan(const QString &incidentId, const QString &why)
{
    IncidentRecord *r = record(incidentId);
    if (!r || isFinal(r->incident.state) || r->run)
        return;
    if (r->planning) {
        r->replanQueued = true;
        return;
    }
    r->planning = true;
    Planner::Input in;
    in.runbook = r->runbook;
    in.incident = r->incident;
    in.clock = m_ports.clock;
    in.executorFor = [this](const QString &family) { return executorFor(family); };
    r->batchLimit.reset();
    r->batchReason.clear();
    if (levelOf(r->runbook) >= 4) {
        // Level 4 adapts to context, and only ever in the careful direction.
        double traffic = 0;
        for (auto it = r->incident.facts.constBegin(); it != r->incident.facts.constEnd(); ++it) {
            if (it.key().endsWith(u".traffic_ratio"_s))
                traffic = std::max(traffic, it.value().toDouble());
        }
        if (traffic >= 1.5 || r->incident.severity == u"critical") {
            r->batchLimit = 1;
            r->batchReason = traffic >= 1.5
                ? u"level 4: traffic is %1× normal, so one target per cycle"_s.arg(traffic, 0, 'f', 1)
                : u"level 4: critical severity, so one target per cycle"_s;
        } else {
            r->batchReason = u"level 4: normal traffic, the full cap per cycle"_s;
        }
    }
    in.batchLimit = r->batchLimit;
    in.batchReason = r->batchReason;
    Q_UNUSED(why);
    Planner::make(
        std::move(in), guarded([this, incidentId](const Planner::Result &result) { planned(incidentId, result); }));
}

GuardrailInput EngineState::guardrailInput(IncidentRecord &r, const Plan &plan, const QStringList &missing)
{
    const TimePoint now = m_ports.clock->now();
    GuardrailInput in;
    in.runbook = &r.runbook;
    in.incident = &r.incident;
    in.plan = &plan;
    in.now = now;
    const auto advanced = m_breakers.advance(r.runbook.name, r.runbook.breaker, now);
    if (advanced.changed) {
        m_ports.store->saveBreaker(advanced.state);
        publish(event(EngineEvent::Kind::BreakerHalfOpen, {},
            u"breaker for %1 is half-open: %2"_s.arg(r.runbook.name, advanced.state.lastReason),
            { { u"type"_s, r.runbook.name } }));
        Q_EMIT q->breakerChanged(advanced.state);
    }
    in.breaker = advanced.state;
    const auto cd = m_cooldowns.constFind(resourceOf(r.incident));
    if (cd != m_cooldowns.constEnd() && cd->until > now)
        in.cooldown = *cd;
    const QString busy = m_busy.value(resourceOf(r.incident));
    if (!busy.isEmpty() && busy != r.incident.id)
        in.busyWith = busy;
    m_automatedRuns.removeIf([&](TimePoint t) { return now - t > m_settings.rateWindow; });
    in.automatedInWindow = static_cast<int>(m_automatedRuns.size());
    in.rateLimit = m_settings.rateLimit;
    in.rateWindow = m_settings.rateWindow;
    in.freshnessBound = m_settings.freshnessBound;
    for (const FeedHealth &f : std::as_const(m_feeds)) {
        if (f.state != FeedHealth::State::Healthy)
            in.unhealthyFeeds << f;
    }
    in.missingExecutors = missing;
    // From the store, not from memory: the interruption may be another process's, or a
    // previous life's of this one.
    if (const auto last = m_ports.store->lastExecutionOn(resourceOf(r.incident));
        last && last->outcome == u"interrupted")
        in.interrupted = *last;
    return in;
}

Proposal EngineState::makeProposal(
    IncidentRecord &r, const Plan &plan, const QStringList &missing, const QStringList &fleetErrors)
{
    Proposal p;
    p.id = u"%1-P%2"_s.arg(r.incident.id).arg(++r.proposalSeq);
    p.incidentId = r.incident.id;
    p.plan = plan;
    applyGuards(r);
    const GuardrailInput in = guardrailInput(r, p.plan, missing);
    p.guardrails = Guardrails::evaluate(in);
    for (const QString &e : fleetErrors)
        p.guardrails << GuardrailResult { u"fleet"_s, GuardrailResult::Verdict::Block,
            u"cannot see what would be touched: %1"_s.arg(e) };
    p.decision = decide(r.runbook, levelOf(r.runbook), p.plan, p.guardrails);
    p.approvalsRequired = std::max(1, r.runbook.approvals);
    p.createdAt = m_ports.clock->now();
    p.expiresAt = p.createdAt + m_settings.approvalTtl;
    return p;
}

void EngineState::planned(const QString &incidentId, const Planner::Result &result)
{
    IncidentRecord *r = record(incidentId);
    if (!r)
        return;
    r->planning = false;
    if (isFinal(r->incident.state) || r->run)
        return;
    Proposal fresh = makeProposal(*r, result.plan, result.missingExecutors, result.fleetErrors);
    bool isNew = true;
    QStringList differences;
    if (r->proposal && r->proposal->state == Proposal::State::Pending) {
        Proposal &current = *r->proposal;
        if (current.plan.fingerprint == fresh.plan.fingerprint && !r->forceNewProposal) {
            // The same plan: keep its id and approvals, refresh the checks and the
            // observations it rests on. Without the fresh observations the plan on
            // screen would age past the freshness bound while a person reads it, and
            // every approval after that bound would be refused as stale.
            const bool modeChanged = current.decision.mode != fresh.decision.mode;
            const bool reasonChanged = current.blockReason() != fresh.blockReason();
            --r->proposalSeq;
            current.plan = fresh.plan;
            current.guardrails = fresh.guardrails;
            current.decision = fresh.decision;
            // Approvals another process recorded meanwhile: shown with this update.
            const bool quorum = current.decision.mode == Mode::Approve && takeStoredApprovals(*r);
            m_ports.store->saveProposal(current);
            Q_EMIT q->proposalChanged(current);
            if (modeChanged || reasonChanged || quorum)
                act(incidentId, false, {});
            else if (current.decision.mode == Mode::Approve)
                armWaitingTimers(incidentId);
            else if (current.decision.mode == Mode::Blocked)
                armRetry(incidentId);
            if (r->replanQueued) {
                r->replanQueued = false;
                plan(incidentId, u"queued"_s);
            }
            return;
        }
        differences = fresh.plan.differencesFrom(current.plan);
        if (r->forceNewProposal && differences.isEmpty())
            differences << u"the previous proposal expired unapproved after %1"_s.arg(
                formatDuration(m_settings.approvalTtl));
        current.state = r->forceNewProposal ? Proposal::State::Expired : Proposal::State::Superseded;
        r->pastProposals.insert(current.id, current.state);
        m_ports.store->saveProposal(current);
        Q_EMIT q->proposalChanged(current);
    }
    r->forceNewProposal = false;
    r->proposal = fresh;
    r->incident.proposalId = fresh.id;
    QJsonObject targets = r->incident.diagnostics.value(u"targets"_s).toObject();
    for (auto it = result.fleets.constBegin(); it != result.fleets.constEnd(); ++it) {
        QJsonArray members;
        for (const Target &t : it->members) {
            QJsonObject m { { u"name"_s, t.name }, { u"state"_s, t.state }, { u"healthy"_s, t.healthy } };
            for (auto metric = t.metrics.constBegin(); metric != t.metrics.constEnd(); ++metric)
                m.insert(metric.key(), metric.value());
            members.append(m);
        }
        targets.insert(it.key(),
            QJsonObject { { u"scope"_s, it->scope }, { u"observed_at"_s, formatTime(it->observedAt) },
                { u"members"_s, members } });
    }
    r->incident.diagnostics.insert(u"targets"_s, targets);
    saveIncident(*r);
    act(incidentId, isNew, differences);
    if (IncidentRecord *again = record(incidentId); again && again->replanQueued) {
        again->replanQueued = false;
        plan(incidentId, u"queued"_s);
    }
}

bool EngineState::takeStoredApprovals(IncidentRecord &r)
{
    Proposal &p = *r.proposal;
    bool quorum = false;
    QStringList known;
    for (const Approval &a : std::as_const(p.approvals)) {
        if (a.approved && a.fingerprint == p.plan.fingerprint)
            known << a.approver;
    }
    for (const QString &approver : m_ports.store->approversOf(p.id, p.plan.fingerprint)) {
        if (known.contains(approver))
            continue;
        known << approver;
        p.approvals << Approval { p.id, p.plan.fingerprint, approver, m_ports.clock->now(), true, {} };
        publish(event(EngineEvent::Kind::Approved, r.incident.id,
            u"%1 approved plan %2 (%3 of %4), recorded in the store by another process"_s
                .arg(approver, p.plan.shortFingerprint())
                .arg(known.size())
                .arg(p.approvalsRequired),
            { { u"proposal"_s, p.id }, { u"fingerprint"_s, p.plan.fingerprint }, { u"approver"_s, approver } }));
        quorum = known.size() >= p.approvalsRequired;
    }
    return quorum;
}

void EngineState::armWaitingTimers(const QString &incidentId)
{
    IncidentRecord *r = record(incidentId);
    if (!r || !r->proposal)
        return;
    if (!r->expiryTimer) {
        r->expiryTimer = m_ports.clock->callAt(r->proposal->expiresAt, guarded([this, incidentId] {
            IncidentRecord *r = record(incidentId);
            if (!r)
                return;
            r->expiryTimer = 0;
            if (!r->proposal || r->proposal->state != Proposal::State::Pending)
                return;
            r->forceNewProposal = true;
            plan(incidentId, u"expired"_s);
        }));
    }
    // Keep the plan on screen true to the world: re-plan while it waits.
    if (!r->refreshTimer) {
        r->refreshTimer = m_ports.clock->callAfter(m_settings.evaluationInterval, guarded([this, incidentId] {
            if (IncidentRecord *r = record(incidentId)) {
                r->refreshTimer = 0;
                plan(incidentId, u"refresh"_s);
            }
        }));
    }
}

void EngineState::act(const QString &incidentId, bool isNew, const QStringList &differences)
{
    IncidentRecord *r = record(incidentId);
    if (!r || !r->proposal)
        return;
    Proposal &p = *r->proposal;
    m_ports.store->saveProposal(p);
    Q_EMIT q->proposalChanged(p);
    const QString head = differences.isEmpty() ? QString() : u"plan changed (%1); "_s.arg(differences.join(u"; "_s));
    if (isNew) {
        QJsonObject data = proposalData(p);
        data.insert(u"differences"_s, QJsonArray::fromStringList(differences));
        publish(event(EngineEvent::Kind::Proposed, incidentId,
            u"%1plan %2 from %3: %4; mode %5 (%6)"_s.arg(head, p.plan.shortFingerprint(), p.plan.runbook,
                p.plan.steps.isEmpty() ? u"no steps"_s : stepList(p.plan), modeText(p.decision.mode),
                p.decision.reasons.value(0)),
            data));
    }
    cancelTimers(*r);
    switch (p.decision.mode) {
    case Mode::Show:
        r->lastBlock.clear();
        transition(incidentId, IncidentState::Proposed, p.decision.reasons.value(0));
        return;
    case Mode::Approve: {
        r->lastBlock.clear();
        // Approved while the store made it wait (another process's execution on the
        // resource, then its cooldown): the same plan runs now, without a second click.
        takeStoredApprovals(*r);
        QStringList approvers;
        for (const Approval &a : std::as_const(p.approvals)) {
            if (a.approved && a.fingerprint == p.plan.fingerprint && !approvers.contains(a.approver))
                approvers << a.approver;
        }
        if (approvers.size() >= p.approvalsRequired && m_ports.clock->now() < p.expiresAt) {
            execute(incidentId, approvers);
            return;
        }
        const bool wasWaiting = r->incident.state == IncidentState::AwaitingApproval;
        transition(incidentId, IncidentState::AwaitingApproval, p.decision.reasons.value(0));
        if (isNew || !wasWaiting)
            publish(event(EngineEvent::Kind::ApprovalRequested, incidentId,
                u"waiting for %1 approval%2 of plan %3: %4"_s.arg(p.approvalsRequired)
                    .arg(p.approvalsRequired == 1 ? QString() : u"s"_s, p.plan.shortFingerprint(),
                        p.decision.reasons.value(0)),
                { { u"proposal"_s, p.id }, { u"fingerprint"_s, p.plan.fingerprint },
                    { u"expires"_s, formatTime(p.expiresAt) } }));
        armWaitingTimers(incidentId);
        waitForAnswer(*r);
        // Whenever approval is requested: also for a plan that waited out a block first
        // (a cooldown), which is no new proposal but newly asks for a human.
        if (m_settings.autoApprove && (isNew || !wasWaiting)) {
            if (const QString risky = riskyForAutoApproval(*r); !risky.isEmpty() && !m_settings.autoApproveRisky) {
                publish(event(EngineEvent::Kind::ApprovalRequested, incidentId,
                    u"not approved automatically: %1; --approve auto approves only safe-tier plans, a human approves this one"_s
                        .arg(risky),
                    { { u"proposal"_s, p.id }, { u"fingerprint"_s, p.plan.fingerprint },
                        { u"auto_approval"_s, u"refused"_s } }));
                return;
            }
            const QString pid = p.id;
            const QString fp = p.plan.fingerprint;
            m_ports.clock->callAfter(
                Duration { 0 }, guarded([this, pid, fp] { approve(pid, fp, m_settings.autoApprover); }));
        }
        return;
    }
    case Mode::Auto:
        r->lastBlock.clear();
        execute(incidentId, {});
        return;
    case Mode::Blocked:
        break;
    }
    const QString reason = p.blockReason();
    const auto retry = armRetry(incidentId);
    if (!retry) {
        escalate(incidentId, u"blocked: %1"_s.arg(reason), false);
        return;
    }
    transition(incidentId, IncidentState::Proposed, u"waiting: %1"_s.arg(reason));
    if (r->lastBlock != reason) {
        r->lastBlock = reason;
        publish(event(EngineEvent::Kind::GuardrailBlocked, incidentId, u"waiting, nothing runs yet: %1"_s.arg(reason),
            { { u"proposal"_s, p.id }, { u"retry_at"_s, formatTime(*retry) } }));
    }
}

QString EngineState::riskyForAutoApproval(const IncidentRecord &r) const
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

std::optional<TimePoint> EngineState::armRetry(const QString &incidentId)
{
    IncidentRecord *r = record(incidentId);
    if (!r || !r->proposal)
        return std::nullopt;
    const GuardrailInput in = guardrailInput(*r, r->proposal->plan, {});
    const auto retry = Guardrails::retryAt(in, r->proposal->guardrails);
    if (!retry)
        return std::nullopt;
    if (r->retryTimer)
        m_ports.clock->cancel(r->retryTimer);
    r->retryTimer = m_ports.clock->callAt(*retry, guarded([this, incidentId] {
        if (IncidentRecord *r = record(incidentId)) {
            r->retryTimer = 0;
            plan(incidentId, u"retry"_s);
        }
    }));
    return retry;
}

} // namespace antibody

#include "engine/pipeline/proposer.h"

#include "engine/pipeline/decision.h"
#include "engine/pipeline/diagnosisfindings.h"
#include "engine/pipeline/engineparts.h"
#include "engine/pipeline/facts.h"
#include "engine/runbook/actioncatalog.h"

#include <QJsonArray>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QJsonObject proposalData(const Proposal &p)
{
    QJsonArray steps;
    for (const PlannedStep &s : p.plan.steps)
        steps.append(QJsonObject { { u"name"_s, s.name }, { u"action"_s, s.action }, { u"tier"_s, tierText(s.tier) },
            { u"condition"_s, s.condition } });
    return QJsonObject { { u"proposal"_s, p.id }, { u"runbook"_s, p.plan.runbook },
        { u"fingerprint"_s, p.plan.fingerprint }, { u"mode"_s, modeText(p.decision.mode) },
        { u"reasons"_s, QJsonArray::fromStringList(p.decision.reasons) }, { u"blast_radius"_s, p.blastRadiiJson() },
        { u"guardrails"_s, p.guardrailsJson() }, { u"steps"_s, steps },
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

QJsonObject targetsSeen(const QHash<QString, Fleet> &fleets, QJsonObject targets)
{
    for (auto it = fleets.constBegin(); it != fleets.constEnd(); ++it) {
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
    return targets;
}

} // namespace

Proposer::Proposer(EngineParts &parts)
    : m_parts(parts)
{
}

void Proposer::diagnose(const QString &incidentId)
{
    IncidentRecord *r = m_parts.book.find(incidentId);
    if (!r)
        return;
    r->incident.diagnostics.insert(u"recent_actions"_s, m_parts.execution.recentActionsOn(r->incident.service));
    if (m_parts.core.levelOf(r->runbook) <= 1) {
        plan(incidentId, u"level 1: the checklist is prepared, nothing runs"_s);
        return;
    }
    m_parts.book.transition(
        incidentId, IncidentState::Diagnosing, u"collecting diagnostics before proposing anything"_s);
    runDiagnosisStep(incidentId, 0);
}

void Proposer::runDiagnosisStep(const QString &incidentId, int index)
{
    EngineCore &core = m_parts.core;
    IncidentRecord *r = m_parts.book.find(incidentId);
    if (!r || isFinal(r->incident.state))
        return;
    if (index >= Planner::diagnosisSteps(r->runbook)) {
        const QStringList findings = diagnosisFindings(r->incident, &r->runbook);
        r->incident.diagnostics.insert(u"facts"_s, QJsonObject::fromVariantMap(r->incident.facts));
        m_parts.book.save(*r);
        core.publish(core.event(EngineEvent::Kind::Diagnosed, incidentId,
            findings.isEmpty()
                ? (index == 0 ? u"no diagnosis steps; planning from the alert alone"_s
                              : u"diagnosis found nothing to go on (its steps failed or were skipped); planning "
                                u"from the alert alone"_s)
                : u"diagnosis: %1"_s.arg(findings.join(u"; "_s)),
            { { u"facts"_s, QJsonObject::fromVariantMap(r->incident.facts) } }));
        m_parts.paging.pageGuard(incidentId); // with the diagnostics just collected
        plan(incidentId, u"diagnosed"_s);
        return;
    }
    const Step &step = r->runbook.steps.at(index);
    const ActionSpec *spec = ActionCatalog::instance().find(step.action);
    if (step.condition) {
        const auto v = step.condition->evaluate(factLookup(r->incident));
        if (!v.known || !v.value) {
            recordStepFacts(r->incident, step.name, StepResult::Skipped, {});
            core.publish(core.event(EngineEvent::Kind::StepSkipped, incidentId,
                u"%1 skipped: %2"_s.arg(step.name, v.explanation),
                { { u"step"_s, step.name }, { u"phase"_s, u"diagnosis"_s } }));
            runDiagnosisStep(incidentId, index + 1);
            return;
        }
    }
    core.publish(
        core.event(EngineEvent::Kind::StepStarted, incidentId, u"%1 (%2) started"_s.arg(step.name, step.action),
            { { u"step"_s, step.name }, { u"action"_s, step.action }, { u"phase"_s, u"diagnosis"_s } }));
    StepRunner::run(step, *spec, m_parts.execution.stepContextFor(incidentId),
        core.guarded([this, incidentId, index](const StepOutcome &o) {
            IncidentRecord *r = m_parts.book.find(incidentId);
            if (!r || isFinal(r->incident.state))
                return;
            const Step &step = r->runbook.steps.at(index);
            recordStepFacts(r->incident, step.name, o.result, o.facts);
            if (!o.evidence.isEmpty()) {
                QJsonObject steps = r->incident.diagnostics.value(u"steps"_s).toObject();
                steps.insert(step.name, o.evidence);
                r->incident.diagnostics.insert(u"steps"_s, steps);
            }
            m_parts.book.save(*r);
            m_parts.core.publish(m_parts.core.event(EngineEvent::Kind::StepFinished, incidentId,
                u"%1 %2: %3"_s.arg(step.name, o.text(), o.detail),
                { { u"step"_s, step.name }, { u"action"_s, step.action }, { u"outcome"_s, o.text() },
                    { u"phase"_s, u"diagnosis"_s }, { u"facts"_s, QJsonObject::fromVariantMap(o.facts) } }));
            runDiagnosisStep(incidentId, index + 1);
        }));
}

void Proposer::plan(const QString &incidentId, const QString &why)
{
    Q_UNUSED(why); // said by whoever asked, in its own event
    EngineCore &core = m_parts.core;
    IncidentRecord *r = m_parts.book.find(incidentId);
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
    in.clock = &core.clock();
    in.executorFor = [&core](const QString &family) { return core.executorFor(family); };
    r->batchLimit.reset();
    r->batchReason.clear();
    if (core.levelOf(r->runbook) >= 4) {
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
    Planner::make(std::move(in),
        core.guarded([this, incidentId](const Planner::Result &result) { planned(incidentId, result); }));
}

Proposal Proposer::makeProposal(
    IncidentRecord &r, const Plan &plan, const QStringList &missing, const QStringList &fleetErrors)
{
    EngineCore &core = m_parts.core;
    Proposal p;
    p.id = u"%1-P%2"_s.arg(r.incident.id).arg(++r.proposalSeq);
    p.incidentId = r.incident.id;
    p.plan = plan;
    m_parts.intake.applyGuards(r);
    const GuardrailInput in = m_parts.safeguards.inputFor(r, p.plan, missing);
    p.guardrails = Guardrails::evaluate(in);
    for (const QString &e : fleetErrors)
        p.guardrails << GuardrailResult::of(GuardrailResult::Check::Fleet, GuardrailResult::Verdict::Block,
            u"cannot see what would be touched: %1"_s.arg(e));
    p.approvalsRequired = core.approvalsFor(r.runbook, p.plan);
    p.requestedBy = r.requestedBy;
    p.decision = decisionFor(r, p);
    p.createdAt = core.clock().now();
    p.expiresAt = p.createdAt + core.settings().approvalTtl;
    return p;
}

Decision Proposer::decisionFor(const IncidentRecord &r, const Proposal &p) const
{
    const int level = m_parts.core.levelOf(r.runbook);
    if (r.requestedBy.isEmpty())
        return decide(r.runbook, level, p.plan, p.guardrails, p.approvalsRequired);
    // Requested: decided as level 2 would decide it (every tier, guard and guardrail still
    // holds), and never unattended, even a plan that changes nothing: the requester asked
    // for a second person.
    Decision d = decide(r.runbook, std::max(level, 2), p.plan, p.guardrails, p.approvalsRequired);
    d.reasons.removeIf([](const QString &reason) { return reason.startsWith(u"level 2"_s); }); // not the runbook's
    if (d.mode == Mode::Auto)
        d.mode = Mode::Approve;
    if (d.mode == Mode::Approve)
        d.reasons.prepend(u"requested by %1 (%2): someone else approves it"_s.arg(r.requestedBy, r.requestReason));
    return d;
}

void Proposer::refreshChecks(IncidentRecord &r)
{
    Proposal &p = *r.proposal;
    m_parts.intake.applyGuards(r);
    for (const GuardrailResult &g : p.guardrails) {
        if (g.check == GuardrailResult::Check::Executor)
            return; // the plan itself is incomplete; a re-plan is what fixes it
    }
    const GuardrailInput in = m_parts.safeguards.inputFor(r, p.plan, {});
    const Mode before = p.decision.mode;
    p.guardrails = Guardrails::evaluate(in);
    p.decision = decisionFor(r, p);
    if (p.decision.mode != before) {
        m_parts.core.store().saveProposal(p);
        Q_EMIT m_parts.core.engine().proposalChanged(p);
    }
}

void Proposer::planned(const QString &incidentId, const Planner::Result &result)
{
    EngineCore &core = m_parts.core;
    IncidentRecord *r = m_parts.book.find(incidentId);
    if (!r)
        return;
    r->planning = false;
    if (isFinal(r->incident.state) || r->run)
        return;
    Proposal fresh = makeProposal(*r, result.plan, result.missingExecutors, result.fleetErrors);
    QStringList differences;
    if (r->proposal && r->proposal->state == Proposal::State::Pending) {
        Proposal &current = *r->proposal;
        if (current.plan.fingerprint == fresh.plan.fingerprint && !r->forceNewProposal) {
            refreshed(*r, std::move(fresh));
            return;
        }
        differences = fresh.plan.differencesFrom(current.plan);
        if (r->forceNewProposal && differences.isEmpty())
            differences << u"the previous proposal expired unapproved after %1"_s.arg(
                formatDuration(core.settings().approvalTtl));
        current.state = r->forceNewProposal ? Proposal::State::Expired : Proposal::State::Superseded;
        r->pastProposals.insert(current.id, current.state);
        core.store().saveProposal(current);
        Q_EMIT core.engine().proposalChanged(current);
    }
    r->forceNewProposal = false;
    r->proposal = fresh;
    r->incident.proposalId = fresh.id;
    r->incident.diagnostics.insert(
        u"targets"_s, targetsSeen(result.fleets, r->incident.diagnostics.value(u"targets"_s).toObject()));
    m_parts.book.save(*r);
    act(incidentId, true, differences);
    if (IncidentRecord *again = m_parts.book.find(incidentId); again && again->replanQueued) {
        again->replanQueued = false;
        plan(incidentId, u"queued"_s);
    }
}

void Proposer::refreshed(IncidentRecord &r, Proposal fresh)
{
    // The same plan: keep its id and approvals, refresh the checks and the
    // observations it rests on. Without the fresh observations the plan on
    // screen would age past the freshness bound while a person reads it, and
    // every approval after that bound would be refused as stale.
    const QString incidentId = r.incident.id;
    Proposal &current = *r.proposal;
    const bool modeChanged = current.decision.mode != fresh.decision.mode;
    const bool reasonChanged = current.blockReason() != fresh.blockReason();
    --r.proposalSeq;
    current.plan = fresh.plan;
    current.guardrails = fresh.guardrails;
    current.decision = fresh.decision;
    // Approvals another process recorded meanwhile: shown with this update.
    const bool quorum = current.decision.mode == Mode::Approve && m_parts.approvals.takeStoredApprovals(r);
    m_parts.core.store().saveProposal(current);
    Q_EMIT m_parts.core.engine().proposalChanged(current);
    if (modeChanged || reasonChanged || quorum)
        act(incidentId, false, {});
    else if (current.decision.mode == Mode::Approve)
        m_parts.approvals.armWaitingTimers(incidentId);
    else if (current.decision.mode == Mode::Blocked)
        armRetry(incidentId);
    if (r.replanQueued) {
        r.replanQueued = false;
        plan(incidentId, u"queued"_s);
    }
}

void Proposer::act(const QString &incidentId, bool isNew, const QStringList &differences)
{
    EngineCore &core = m_parts.core;
    IncidentRecord *r = m_parts.book.find(incidentId);
    if (!r || !r->proposal)
        return;
    Proposal &p = *r->proposal;
    core.store().saveProposal(p);
    Q_EMIT core.engine().proposalChanged(p);
    const QString head = differences.isEmpty() ? QString() : u"plan changed (%1); "_s.arg(differences.join(u"; "_s));
    if (isNew) {
        QJsonObject data = proposalData(p);
        data.insert(u"differences"_s, QJsonArray::fromStringList(differences));
        core.publish(core.event(EngineEvent::Kind::Proposed, incidentId,
            u"%1plan %2 from %3: %4; mode %5 (%6)"_s.arg(head, p.plan.shortFingerprint(), p.plan.runbook,
                p.plan.steps.isEmpty() ? u"no steps"_s : stepList(p.plan), modeText(p.decision.mode),
                p.decision.reasons.value(0)),
            data));
    }
    m_parts.book.cancelTimers(*r);
    if (p.decision.mode != Mode::Blocked)
        r->lastBlock.clear();
    switch (p.decision.mode) {
    case Mode::Show:
        m_parts.book.transition(incidentId, IncidentState::Proposed, p.decision.reasons.value(0));
        return;
    case Mode::Approve:
        m_parts.approvals.await(*r, isNew);
        return;
    case Mode::Auto:
        m_parts.execution.execute(incidentId, {});
        return;
    case Mode::Blocked:
        waitOutBlock(*r);
        return;
    }
}

void Proposer::waitOutBlock(IncidentRecord &r)
{
    const QString incidentId = r.incident.id;
    const Proposal &p = *r.proposal;
    const QString reason = p.blockReason();
    const auto retry = armRetry(incidentId);
    if (!retry) {
        m_parts.escalation.escalate(incidentId, u"blocked: %1"_s.arg(reason), false);
        return;
    }
    m_parts.book.transition(incidentId, IncidentState::Proposed, u"waiting: %1"_s.arg(reason));
    if (r.lastBlock != reason) {
        r.lastBlock = reason;
        m_parts.core.publish(m_parts.core.event(EngineEvent::Kind::GuardrailBlocked, incidentId,
            u"waiting, nothing runs yet: %1"_s.arg(reason),
            { { u"proposal"_s, p.id }, { u"retry_at"_s, formatTime(*retry) } }));
    }
}

std::optional<TimePoint> Proposer::armRetry(const QString &incidentId)
{
    EngineCore &core = m_parts.core;
    IncidentRecord *r = m_parts.book.find(incidentId);
    if (!r || !r->proposal)
        return std::nullopt;
    const GuardrailInput in = m_parts.safeguards.inputFor(*r, r->proposal->plan, {});
    const auto retry = Guardrails::retryAt(in, r->proposal->guardrails);
    if (!retry)
        return std::nullopt;
    if (r->retryTimer)
        core.clock().cancel(r->retryTimer);
    r->retryTimer = core.clock().callAt(*retry, core.guarded([this, incidentId] {
        if (IncidentRecord *r = m_parts.book.find(incidentId)) {
            r->retryTimer = 0;
            plan(incidentId, u"retry"_s);
        }
    }));
    return retry;
}

} // namespace antibody

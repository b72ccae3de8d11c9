#include "engine/pipeline/executionrun.h"

#include "engine/pipeline/executionverdict.h"
#include "engine/pipeline/facts.h"
#include "engine/pipeline/planner.h"
#include "engine/pipeline/targetselection.h"
#include "engine/runbook/actioncatalog.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// How an action's answer reads as a step result (a timeout is decided by the caller).
StepResult resultOf(const ActionResult &r)
{
    return r.blocked ? StepResult::Blocked : r.ok ? StepResult::Succeeded : StepResult::Failed;
}

void mergeFacts(QVariantMap &into, const QVariantMap &facts)
{
    for (auto it = facts.constBegin(); it != facts.constEnd(); ++it) {
        const QVariant &old = into.value(it.key());
        // counts add up over passes ("terminated" 2 + 2 + 2); everything else is the latest value
        if (old.isValid() && old.typeId() != QMetaType::Bool && it.value().typeId() != QMetaType::Bool
            && old.canConvert<double>() && it.value().canConvert<double>() && it.value().typeId() != QMetaType::QString)
            into.insert(it.key(), old.toDouble() + it.value().toDouble());
        else
            into.insert(it.key(), it.value());
    }
}

} // namespace

ExecutionRun::ExecutionRun(ExecutionHost &host, Runbook runbook, Plan plan, Options options)
    : m_host(host)
    , m_runbook(std::move(runbook))
    , m_plan(std::move(plan))
    , m_options(std::move(options))
{
}

void ExecutionRun::start()
{
    m_lastActionAt = m_host.clock()->now();
    for (const PlannedStep &s : m_plan.steps) {
        if (ActionCatalog::hasRole(s.action, ActionRole::Verify))
            m_summary.hadVerification = true;
    }
    auto self = shared_from_this();
    m_host.clock()->callAfter(Duration { 0 }, [self] { self->runStep(0); });
}

void ExecutionRun::cancel(const QString &who)
{
    if (stopped())
        return;
    m_cancelled = true;
    m_cancelledBy = who;
    finish(ExecutionOutcome::Cancelled, u"cancelled by %1"_s.arg(who));
}

int ExecutionRun::verificationAfter(int index) const
{
    for (int i = index + 1; i < m_plan.steps.size(); ++i) {
        const PlannedStep &s = m_plan.steps.at(i);
        if (ActionCatalog::hasRole(s.action, ActionRole::Verify) && s.condition.isEmpty())
            return i;
        if (s.effect == Effect::Mutates)
            break;
    }
    return -1;
}

void ExecutionRun::runStep(int index)
{
    if (stopped())
        return;
    if (index >= m_plan.steps.size()) {
        const auto verdict
            = ExecutionVerdict::of(m_plan, m_outcomes, m_runbook, m_host.incident(m_options.incidentId), m_summary);
        finish(verdict.outcome, verdict.reason);
        return;
    }
    const PlannedStep &planned = m_plan.steps.at(index);
    const Step *step = m_runbook.step(planned.name);
    const ActionSpec *spec = ActionCatalog::instance().find(planned.action);
    Incident *incident = m_host.incident(m_options.incidentId);
    if (!step || !spec || !incident) {
        finish(ExecutionOutcome::Escalated, u"step %1 cannot run: its runbook definition is gone"_s.arg(planned.name));
        return;
    }
    if (step->condition) {
        const auto verdict = step->condition->evaluate(factLookup(*incident));
        if (!verdict.known || !verdict.value) {
            m_outcomes.insert(index, StepResult::Skipped);
            recordStepFacts(*incident, planned.name, StepResult::Skipped, {});
            m_host.incidentUpdated(m_options.incidentId);
            m_host.publish(EngineEvent::make(EngineEvent::Kind::StepSkipped, m_host.clock()->now(),
                m_options.incidentId, u"%1 skipped: %2"_s.arg(planned.name, verdict.explanation),
                { { u"step"_s, planned.name }, { u"action"_s, planned.action } }));
            auto self = shared_from_this();
            m_host.clock()->callAfter(Duration { 0 }, [self, index] { self->runStep(index + 1); });
            return;
        }
    }
    if (spec->effect == Effect::Mutates) {
        m_host.transition(
            m_options.incidentId, IncidentState::Executing, u"running %1 (%2)"_s.arg(planned.name, planned.action));
        runPass(index, 1);
        return;
    }
    if (ActionCatalog::hasRole(planned.action, ActionRole::Verify))
        m_host.transition(m_options.incidentId, IncidentState::Verifying, u"verifying with %1"_s.arg(planned.name));
    m_host.publish(EngineEvent::make(EngineEvent::Kind::StepStarted, m_host.clock()->now(), m_options.incidentId,
        u"%1 (%2) started"_s.arg(planned.name, planned.action),
        { { u"step"_s, planned.name }, { u"action"_s, planned.action } }));
    StepRunner::Context ctx = m_host.stepContext(m_options.incidentId);
    ctx.lastActionAt = m_lastActionAt;
    ctx.executionId = m_options.executionId;
    auto self = shared_from_this();
    StepRunner::run(*step, *spec, ctx, [self, index](const StepOutcome &o) {
        if (self->stopped())
            return;
        self->finishStep(index, o);
    });
}

void ExecutionRun::finishStep(int index, const StepOutcome &outcome)
{
    const PlannedStep &planned = m_plan.steps.at(index);
    Incident *incident = m_host.incident(m_options.incidentId);
    if (!incident) {
        finish(ExecutionOutcome::Escalated, u"the incident vanished during execution"_s);
        return;
    }
    mergeFacts(m_stepFacts[index], outcome.facts);
    m_outcomes.insert(index, outcome.result);
    recordStepFacts(*incident, planned.name, outcome.result, m_stepFacts.value(index));
    if (!outcome.evidence.isEmpty()) {
        QJsonObject steps = incident->diagnostics.value(u"steps"_s).toObject();
        steps.insert(planned.name, outcome.evidence);
        incident->diagnostics.insert(u"steps"_s, steps);
    }
    if (ActionCatalog::hasRole(planned.action, ActionRole::Page) && outcome.result == StepResult::Succeeded) {
        m_summary.paged = true;
        if (!outcome.affected.isEmpty())
            m_host.notePaged(
                m_options.incidentId, m_plan.steps.at(index).params.value(u"severity"_s, u"high"_s).toString());
        m_host.publish(
            EngineEvent::make(EngineEvent::Kind::Paged, m_host.clock()->now(), m_options.incidentId, outcome.detail,
                { { u"step"_s, planned.name }, { u"notifiers"_s, QJsonArray::fromStringList(outcome.affected) },
                    { u"sent"_s, !outcome.affected.isEmpty() } }));
    } else if (ActionCatalog::hasRole(planned.action, ActionRole::Notify) && outcome.result == StepResult::Succeeded) {
        m_host.publish(EngineEvent::make(EngineEvent::Kind::Notified, m_host.clock()->now(), m_options.incidentId,
            outcome.detail, { { u"step"_s, planned.name } }));
    }
    const int passes = m_passes.value(index);
    QString tried = u"%1: %2"_s.arg(planned.name, outcome.text());
    if (passes > 0)
        tried += u" after %1 pass%2, %3 touched"_s.arg(passes)
                     .arg(passes == 1 ? QString() : u"es"_s)
                     .arg(m_affected.value(index).size());
    m_summary.tried << tried;
    m_host.incidentUpdated(m_options.incidentId);
    QJsonObject data { { u"step"_s, planned.name }, { u"action"_s, planned.action }, { u"outcome"_s, outcome.text() },
        { u"facts"_s, QJsonObject::fromVariantMap(m_stepFacts.value(index)) } };
    if (passes > 0) {
        data.insert(u"passes"_s, passes);
        data.insert(u"affected"_s, QJsonArray::fromStringList(m_affected.value(index)));
    }
    m_host.publish(EngineEvent::make(EngineEvent::Kind::StepFinished, m_host.clock()->now(), m_options.incidentId,
        u"%1 %2: %3"_s.arg(planned.name, outcome.text(), outcome.detail), data));
    auto self = shared_from_this();
    m_host.clock()->callAfter(Duration { 0 }, [self, index] { self->runStep(index + 1); });
}

void ExecutionRun::runPass(int index, int pass)
{
    if (stopped())
        return;
    const PlannedStep &planned = m_plan.steps.at(index);
    const Step *step = m_runbook.step(planned.name);
    const ActionSpec *spec = ActionCatalog::instance().find(planned.action);
    ActionExecutor *executor = m_host.executorFor(spec->family);
    if (!executor) {
        finishStep(index, StepOutcome::failed(u"no executor runs %1 actions"_s.arg(spec->family)));
        return;
    }
    const QString blocker = m_host.blockerBeforePass(m_options.incidentId, planned.name);
    if (!blocker.isEmpty()) {
        finishStep(index, StepOutcome::blocked(u"stopped before pass %1: %2"_s.arg(pass).arg(blocker)));
        return;
    }
    const Incident incidentCopy = *m_host.incident(m_options.incidentId);
    TargetQuery q;
    q.action = planned.action;
    q.dimension = spec->dimension;
    q.service = TargetSelection::scopeOf(*step, incidentCopy);
    q.params = planned.params;
    auto self = shared_from_this();
    executor->fleet(q, [self, index, pass, executor, incidentCopy](const Fleet &fleet) {
        if (self->stopped() || self->m_detached)
            return;
        const PlannedStep &planned = self->m_plan.steps.at(index);
        const Step *step = self->m_runbook.step(planned.name);
        const ActionSpec *spec = ActionCatalog::instance().find(planned.action);
        if (!fleet.ok) {
            self->finishStep(index, StepOutcome::failed(u"could not read the fleet: %1"_s.arg(fleet.error)));
            return;
        }
        const auto selection = TargetSelection::select(
            *step, *spec, fleet, incidentCopy, self->m_options.batchLimit, self->m_affected.value(index));
        if (!selection.refusal.isEmpty()) {
            self->finishStep(
                index, StepOutcome::blocked(u"refused before pass %1: %2"_s.arg(pass).arg(selection.refusal)));
            return;
        }
        const BlastRadius &radius = selection.radius;
        if (pass == 1 && self->m_options.humanApproved && planned.blastRadius
            && radius.chosen != planned.blastRadius->chosen) {
            self->finish(ExecutionOutcome::Superseded,
                u"the targets of %1 changed since approval (%2 -> %3): the plan must be approved again"_s.arg(
                    planned.name, planned.blastRadius->chosen.join(u", "_s), radius.chosen.join(u", "_s)));
            return;
        }
        if (radius.chosen.isEmpty()) {
            self->finishStep(index,
                StepOutcome::succeeded(pass == 1
                        ? u"nothing qualifies: %1"_s.arg(selection.why)
                        : u"done after %1 pass%2: nothing left that qualifies"_s.arg(pass - 1).arg(
                            pass - 1 == 1 ? QString() : u"es"_s)));
            return;
        }
        if (radius.affected() > radius.capCount) { // TargetSelection never does this; the check keeps it so
            self->finishStep(index,
                StepOutcome::blocked(
                    u"refused: %1 targets exceed the cap of %2"_s.arg(radius.affected()).arg(radius.capCount)));
            return;
        }
        StepRecord intent;
        intent.executionId = self->m_options.executionId;
        intent.incidentId = self->m_options.incidentId;
        intent.step = planned.name;
        intent.action = planned.action;
        intent.pass = pass;
        intent.targets = radius.chosen;
        // A whole-object action carries the plan's pins, never ones recomputed now: the
        // executor refuses when the object has left where the plan (and its approval) found it.
        intent.params = planned.params;
        intent.startedAt = self->m_host.clock()->now();
        // Intent first: a crash after this line can never hide what was attempted.
        intent.id = self->m_host.store()->recordStepIntent(intent);
        if (intent.id == 0) {
            // The store refused the intent (the execution was ended elsewhere, the pass already
            // ran) or could not record it: without a recorded intent, nothing runs.
            self->finishStep(
                index, StepOutcome::blocked(u"pass %1 was not run: its intent could not be recorded"_s.arg(pass)));
            return;
        }
        self->m_passes[index] = pass;
        self->m_host.publish(
            EngineEvent::make(EngineEvent::Kind::StepStarted, intent.startedAt, self->m_options.incidentId,
                u"%1 (%2) pass %3: %4 [%5]"_s.arg(planned.name, planned.action)
                    .arg(pass)
                    .arg(radius.chosen.join(u", "_s), radius.summary()),
                { { u"step"_s, planned.name }, { u"action"_s, planned.action }, { u"pass"_s, pass },
                    { u"targets"_s, QJsonArray::fromStringList(radius.chosen) }, { u"affected"_s, radius.affected() },
                    { u"total"_s, radius.fleetSize() }, { u"cap"_s, radius.capCount } }));
        ActionRequest request;
        request.executionId = self->m_options.executionId;
        request.incidentId = self->m_options.incidentId;
        request.step = planned.name;
        request.action = planned.action;
        request.service = TargetSelection::scopeOf(*step, incidentCopy);
        request.params = intent.params;
        request.targets = radius.chosen;
        request.pass = pass;
        StepRunner::runPass(
            executor, request, self->m_host.clock(), StepRunner::timeoutOf(*step, *spec),
            [self, index, pass, intent](const ActionResult &r, bool timedOut) mutable {
                if (self->m_detached)
                    return;
                intent.finishedAt = self->m_host.clock()->now();
                intent.outcome = timedOut ? StepResult::TimedOut : resultOf(r);
                intent.detail = r.ok ? r.detail : r.error;
                intent.affected = r.affected;
                self->m_host.store()->recordStepOutcome(intent);
                self->m_summary.mutated = true;
                self->m_summary.refused = self->m_summary.refused || r.blocked;
                self->m_lastActionAt = *intent.finishedAt;
                if (self->stopped())
                    return;
                self->m_affected[index] << r.affected;
                mergeFacts(self->m_stepFacts[index], r.facts);
                if (intent.outcome != StepResult::Succeeded) {
                    self->finishStep(index,
                        StepOutcome::of(
                            *intent.outcome, u"pass %1: %2"_s.arg(pass).arg(intent.detail), {}, {}, r.affected));
                    return;
                }
                self->afterPass(index, pass);
            },
            [self, index, pass](const ActionResult &r) {
                if (!self->m_detached)
                    self->recordLateResult(index, pass, r);
            });
    });
}

void ExecutionRun::recordLateResult(int index, int pass, const ActionResult &result)
{
    // The pass is on record as timed_out and the run went on without it (the summary says
    // its outcome is unknown); what it did after all is kept in the audit trail, even when
    // the run has ended since, instead of vanishing.
    const PlannedStep &planned = m_plan.steps.at(index);
    const QString outcome = stepResultText(resultOf(result));
    QJsonObject data { { u"step"_s, planned.name }, { u"action"_s, planned.action }, { u"pass"_s, pass },
        { u"outcome"_s, outcome }, { u"affected"_s, QJsonArray::fromStringList(result.affected) },
        { u"facts"_s, QJsonObject::fromVariantMap(result.facts) } };
    m_host.publish(EngineEvent::make(EngineEvent::Kind::LateResult, m_host.clock()->now(), m_options.incidentId,
        u"late result of %1 pass %2 (%3), which was recorded timed_out: %4 after all: %5"_s.arg(planned.name)
            .arg(pass)
            .arg(planned.action, outcome, result.ok ? result.detail : result.error),
        data));
}

void ExecutionRun::afterPass(int index, int pass)
{
    const PlannedStep &planned = m_plan.steps.at(index);
    const int cycles = std::min(m_options.maxCycles, std::max(1, planned.maxCycles));
    const QString done = u"%1 touched in %2 pass%3"_s.arg(m_affected.value(index).size())
                             .arg(pass)
                             .arg(pass == 1 ? QString() : u"es"_s);
    const ActionSpec *spec = ActionCatalog::instance().find(planned.action);
    if ((spec && spec->wholeObject) || pass >= cycles) {
        finishStep(index, StepOutcome::succeeded(done, {}, {}, m_affected.value(index)));
        return;
    }
    const int verify = verificationAfter(index);
    auto self = shared_from_this();
    if (verify < 0) {
        m_host.clock()->callAfter(m_options.passSettle, [self, index, pass] { self->runPass(index, pass + 1); });
        return;
    }
    const PlannedStep &check = m_plan.steps.at(verify);
    const Step *verifyStep = m_runbook.step(check.name);
    const ActionSpec *verifySpec = ActionCatalog::instance().find(check.action);
    const TimePoint deadline = m_host.clock()->now() + StepRunner::timeoutOf(*verifyStep, *verifySpec);
    m_host.clock()->callAfter(m_options.passSettle,
        [self, index, verify, pass, deadline] { self->waitForFreshGoal(index, verify, pass, deadline); });
}

void ExecutionRun::waitForFreshGoal(int index, int verifyIndex, int pass, TimePoint deadline)
{
    if (stopped())
        return;
    const Step *verifyStep = m_runbook.step(m_plan.steps.at(verifyIndex).name);
    StepRunner::Context ctx = m_host.stepContext(m_options.incidentId);
    if (!ctx.metrics) {
        runPass(index, pass + 1);
        return;
    }
    MetricQuery q;
    q.expression = verifyStep->param(u"metric"_s) ? verifyStep->param(u"metric"_s)->toText() : QString();
    if (!ctx.incident.service.isEmpty())
        q.scope.insert(u"service"_s, ctx.incident.service);
    const ParamValue *below = verifyStep->param(u"below"_s);
    const ParamValue *above = verifyStep->param(u"above"_s);
    auto self = shared_from_this();
    ctx.metrics->query(
        q, [self, index, verifyIndex, pass, deadline, below, above, ctx, metric = q.expression](const MetricResult &r) {
            if (self->stopped())
                return;
            const auto sample = r.ok ? StepRunner::pick(r, ctx.incident) : std::nullopt;
            const TimePoint now = self->m_host.clock()->now();
            if (!sample || sample->at <= self->m_lastActionAt) {
                // Not yet a sample taken after the last pass: what we could read would be the pre-action value.
                if (now >= deadline) {
                    self->finishStep(index,
                        StepOutcome::succeeded(u"%1 passes ran; no fresh data came to check the goal"_s.arg(pass), {},
                            {}, self->m_affected.value(index)));
                    return;
                }
                self->m_host.clock()->callAfter(
                    ctx.pollInterval / 5 + Duration { 1 }, [self, index, verifyIndex, pass, deadline] {
                        self->waitForFreshGoal(index, verifyIndex, pass, deadline);
                    });
                return;
            }
            const bool holds = below ? sample->value < below->toNumber()
                : above              ? sample->value > above->toNumber()
                                     : true;
            if (holds) {
                self->finishStep(index,
                    StepOutcome::succeeded(u"goal holds after pass %1 (%2 = %3): %4 touched"_s.arg(pass)
                                               .arg(metric, QString::number(sample->value, 'g', 4))
                                               .arg(self->m_affected.value(index).size()),
                        {}, {}, self->m_affected.value(index)));
                return;
            }
            self->runPass(index, pass + 1);
        });
}

void ExecutionRun::finish(ExecutionOutcome outcome, const QString &reason)
{
    if (m_finished)
        return;
    m_finished = true;
    m_summary.outcome = outcome;
    m_summary.reason = reason;
    m_host.executionFinished(m_options.incidentId, m_summary);
}

} // namespace antibody

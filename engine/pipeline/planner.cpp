#include "engine/pipeline/planner.h"

#include "engine/pipeline/facts.h"
#include "engine/pipeline/targetselection.h"
#include "engine/runbook/actioncatalog.h"

#include <memory>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

struct PendingPlan
{
    Planner::Input input;
    std::function<void(const Planner::Result &)> done;
    Planner::Result result;
    QHash<int, Fleet> fleets; // plan step index -> fleet
    int outstanding = 0;
    bool finished = false;
    Clock::TimerId timeout = 0;
};

void finish(const std::shared_ptr<PendingPlan> &p)
{
    if (p->finished)
        return;
    p->finished = true;
    if (p->timeout)
        p->input.clock->cancel(p->timeout);
    Plan &plan = p->result.plan;
    plan.dataAsOf = plan.madeAt;
    const auto &catalog = ActionCatalog::instance();
    for (int i = 0; i < plan.steps.size(); ++i) {
        PlannedStep &ps = plan.steps[i];
        if (ps.effect != Effect::Mutates)
            continue;
        const Step *step = p->input.runbook.step(ps.name);
        const ActionSpec *spec = catalog.find(ps.action);
        const auto it = p->fleets.constFind(i);
        if (!step || !spec || it == p->fleets.constEnd())
            continue;
        if (!it->ok) {
            p->result.fleetErrors << u"%1: %2"_s.arg(
                ps.name, it->error.isEmpty() ? u"the executor did not answer"_s : it->error);
            continue;
        }
        p->result.fleets.insert(ps.name, *it);
        const auto selection = TargetSelection::select(*step, *spec, *it, p->input.incident, p->input.batchLimit);
        ps.blastRadius = selection.radius;
        ps.explanation = selection.why;
        if (p->input.batchLimit && !p->input.batchReason.isEmpty())
            ps.explanation += u"; "_s + p->input.batchReason;
        // Pins are parameters, so the fingerprint an approval binds to covers them.
        ps.params.insert(selection.pins);
        const int stepCycles = step->blastRadius && step->blastRadius->maxCycles > 0 ? step->blastRadius->maxCycles
                                                                                     : selection.radius.cycles;
        ps.maxCycles = spec->wholeObject ? 1 : std::max(1, stepCycles);
        plan.dataAsOf = std::min(plan.dataAsOf, it->observedAt);
    }
    plan.fingerprint = plan.computeFingerprint();
    p->done(p->result);
}

} // namespace

int Planner::diagnosisSteps(const Runbook &runbook)
{
    int n = 0;
    for (const Step &s : runbook.steps) {
        const ActionSpec *spec = ActionCatalog::instance().find(s.action);
        if (!spec || spec->effect != Effect::ReadOnly || spec->role == ActionRole::Verify)
            break;
        ++n;
    }
    return n;
}

QVariantMap Planner::paramsOf(const Step &step)
{
    QVariantMap out;
    for (auto it = step.params.constBegin(); it != step.params.constEnd(); ++it) {
        const ParamValue &v = it.value();
        if (v.cap)
            out.insert(it.key(), v.cap->text);
        else if (v.measure)
            out.insert(it.key(), v.measure->value);
        else
            out.insert(it.key(), v.value);
    }
    return out;
}

void Planner::make(Input input, std::function<void(const Result &)> done)
{
    auto p = std::make_shared<PendingPlan>();
    p->input = std::move(input);
    p->done = std::move(done);
    const Runbook &rb = p->input.runbook;
    const Incident &incident = p->input.incident;
    Plan &plan = p->result.plan;
    plan.runbook = rb.name;
    plan.runbookHash = rb.sourceHash;
    plan.incidentId = incident.id;
    plan.service = incident.service;
    plan.madeAt = p->input.clock->now();

    const auto facts = factLookup(incident);
    const auto &catalog = ActionCatalog::instance();
    QList<int> needFleet;
    for (int i = diagnosisSteps(rb); i < rb.steps.size(); ++i) {
        const Step &s = rb.steps.at(i);
        const ActionSpec *spec = catalog.find(s.action);
        if (!spec)
            continue; // the validator refuses unknown actions; a draft in a dry run may have one
        if (s.condition) {
            const auto v = s.condition->evaluate(facts);
            if (v.known && !v.value) {
                plan.skipped << u"%1: %2"_s.arg(s.name, v.explanation);
                continue;
            }
        }
        PlannedStep ps;
        ps.name = s.name;
        ps.action = s.action;
        ps.tier = spec->tier;
        ps.effect = spec->effect;
        ps.params = paramsOf(s);
        ps.condition = s.conditionText;
        ps.explanation = spec->description.section(u". "_s, 0, 0);
        plan.steps << ps;
        if (spec->effect == Effect::Mutates) {
            if (p->input.executorFor(spec->family))
                needFleet << static_cast<int>(plan.steps.size() - 1);
            else if (!p->result.missingExecutors.contains(spec->family))
                p->result.missingExecutors << spec->family;
        }
    }
    if (needFleet.isEmpty()) {
        // Deliver through the clock: never inside the call that asked.
        p->input.clock->callAfter(Duration { 0 }, [p] { finish(p); });
        return;
    }
    p->outstanding = static_cast<int>(needFleet.size());
    p->timeout = p->input.clock->callAfter(p->input.fleetTimeout, [p] {
        p->timeout = 0;
        finish(p);
    });
    for (int index : needFleet) {
        const PlannedStep &ps = plan.steps.at(index);
        const Step *s = rb.step(ps.name);
        const ActionSpec *spec = catalog.find(ps.action);
        TargetQuery q;
        q.action = ps.action;
        q.dimension = spec->dimension;
        q.service = TargetSelection::scopeOf(*s, incident);
        q.params = ps.params;
        p->input.executorFor(spec->family)->fleet(q, [p, index](const Fleet &fleet) {
            if (p->finished)
                return;
            p->fleets.insert(index, fleet);
            if (--p->outstanding == 0)
                finish(p);
        });
    }
}

} // namespace antibody

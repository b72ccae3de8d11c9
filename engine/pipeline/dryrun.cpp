// A dry run: the proposal a runbook would make against the world as it is,
// with guardrails and mode. It reads (diagnosis steps are read-only) and never
// changes anything, stores nothing and publishes no event.
#include "engine/pipeline/enginestate.h"
#include "engine/pipeline/facts.h"
#include "engine/runbook/actioncatalog.h"

#include <memory>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

struct DryRun
{
    EngineState::IncidentRecord record;
    std::function<void(const Proposal &)> done;
};

} // namespace

void EngineState::dryRun(const Runbook &runbook, const Labels &labels, std::function<void(const Proposal &)> done)
{
    auto d = std::make_shared<DryRun>();
    d->done = std::move(done);
    Incident &inc = d->record.incident;
    inc.id = u"DRY-RUN"_s;
    inc.service = labels.value(u"service"_s);
    inc.severity = labels.value(u"severity"_s, u"warning"_s);
    inc.title = u"dry run of %1"_s.arg(runbook.name);
    inc.labels = labels;
    inc.runbook = runbook.name;
    inc.level = levelOf(runbook);
    inc.confidence = runbook.trigger.confidence;
    inc.detectedAt = m_ports.clock->now();
    d->record.runbook = runbook;
    applyGuards(d->record);

    auto makePlan = [this, d] {
        Planner::Input in;
        in.runbook = d->record.runbook;
        in.incident = d->record.incident;
        in.clock = m_ports.clock;
        in.executorFor = [this](const QString &family) { return executorFor(family); };
        Planner::make(std::move(in), guarded([this, d](const Planner::Result &result) {
            Proposal p = makeProposal(d->record, result.plan, result.missingExecutors, result.fleetErrors);
            p.id = u"DRY-RUN"_s;
            d->done(p);
        }));
    };
    const int diagnosis = Planner::diagnosisSteps(runbook);
    auto step = std::make_shared<std::function<void(int)>>();
    *step = [this, d, diagnosis, makePlan, step](int index) {
        if (index >= diagnosis) {
            makePlan();
            *step = nullptr; // break the self-reference
            return;
        }
        const Step &s = d->record.runbook.steps.at(index);
        StepRunner::Context ctx;
        ctx.clock = m_ports.clock;
        ctx.metrics = m_ports.metrics;
        ctx.executorFor = [this](const QString &family) { return executorFor(family); };
        ctx.incident = d->record.incident;
        StepRunner::run(s, *ActionCatalog::instance().find(s.action), ctx,
            guarded([d, index, step, name = s.name](const StepOutcome &o) {
                recordStepFacts(d->record.incident, name, o.outcome, o.facts);
                if (*step)
                    (*step)(index + 1);
            }));
    };
    (*step)(0);
}

} // namespace antibody

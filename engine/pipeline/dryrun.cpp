#include "engine/pipeline/dryrun.h"

#include "engine/pipeline/engineparts.h"
#include "engine/pipeline/facts.h"
#include "engine/runbook/actioncatalog.h"

#include <memory>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

struct Run
{
    IncidentRecord record;
    std::function<void(const Proposal &)> done;
};

} // namespace

void DryRun::start(
    EngineParts &parts, const Runbook &runbook, const Labels &labels, std::function<void(const Proposal &)> done)
{
    EngineCore &core = parts.core;
    auto d = std::make_shared<Run>();
    d->done = std::move(done);
    Incident &inc = d->record.incident;
    inc.id = u"DRY-RUN"_s;
    inc.service = labels.value(u"service"_s);
    inc.severity = labels.value(u"severity"_s, u"warning"_s);
    inc.title = u"dry run of %1"_s.arg(runbook.name);
    inc.labels = labels;
    inc.runbook = runbook.name;
    inc.level = core.levelOf(runbook);
    inc.confidence = runbook.trigger.confidence;
    inc.detectedAt = core.clock().now();
    d->record.runbook = runbook;
    parts.intake.applyGuards(d->record);

    auto makePlan = [&parts, d] {
        EngineCore &core = parts.core;
        Planner::Input in;
        in.runbook = d->record.runbook;
        in.incident = d->record.incident;
        in.clock = &core.clock();
        in.executorFor = [&core](const QString &family) { return core.executorFor(family); };
        Planner::make(std::move(in), core.guarded([&parts, d](const Planner::Result &result) {
            Proposal p
                = parts.proposer.makeProposal(d->record, result.plan, result.missingExecutors, result.fleetErrors);
            p.id = u"DRY-RUN"_s;
            d->done(p);
        }));
    };
    const int diagnosis = Planner::diagnosisSteps(runbook);
    auto step = std::make_shared<std::function<void(int)>>();
    *step = [&core, d, diagnosis, makePlan, step](int index) {
        if (index >= diagnosis) {
            makePlan();
            *step = nullptr; // break the self-reference
            return;
        }
        const Step &s = d->record.runbook.steps.at(index);
        StepRunner::Context ctx;
        ctx.clock = &core.clock();
        ctx.metrics = core.metrics();
        ctx.executorFor = [&core](const QString &family) { return core.executorFor(family); };
        ctx.incident = d->record.incident;
        StepRunner::run(s, *ActionCatalog::instance().find(s.action), ctx,
            core.guarded([d, index, step, name = s.name](const StepOutcome &o) {
                recordStepFacts(d->record.incident, name, o.result, o.facts);
                if (*step)
                    (*step)(index + 1);
            }));
    };
    (*step)(0);
}

} // namespace antibody

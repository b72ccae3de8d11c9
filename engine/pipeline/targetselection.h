#pragma once

#include "engine/domain/incident.h"
#include "engine/domain/plan.h"
#include "engine/ports/actionexecutor.h"
#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/runbook.h"

namespace antibody {

// Which members of a fleet a mutating step would act on, and how many per cycle:
// the blast radius an engineer sees before anything runs. Pure: the same fleet,
// step and incident always give the same answer, in the same order.
class TargetSelection
{
public:
    struct Result
    {
        BlastRadius radius;
        QString why; // how the candidates were picked, in a sentence
        QVariantMap
            pins; // whole-object actions: what the plan fixes for the executor to check (engine/ports/workloadstate.h)
        QString
            refusal; // the step must not run at all, and why (an autoscaler owns the count); the run stops "blocked"
    };

    // `batchLimit` (level 4 adaptation) may lower the per-cycle count, never raise it above the cap.
    // `alreadyAffected`: what earlier passes of the same step acted on; a run never picks a target twice.
    static Result select(const Step &step, const ActionSpec &spec, const Fleet &fleet, const Incident &incident,
        std::optional<int> batchLimit = std::nullopt, const QStringList &alreadyAffected = {});

    // The fleet scope of a step: its `targets.service`, else the incident's service.
    static QString scopeOf(const Step &step, const Incident &incident);

    // The cap used when a step declares none (the validator requires one; dry runs of drafts may not have it).
    static Cap defaultCap(const QString &dimension);
};

} // namespace antibody

#pragma once

#include "engine/domain/incident.h"
#include "engine/domain/outcome.h"
#include "engine/runbook/condition.h"

namespace antibody {

// The facts conditions read for an incident: "step.outcome" and "step.fact"
// from the steps that ran, and "alert.<label>" from the alert that opened it.
Condition::Facts factLookup(const Incident &incident);

// Records a finished step's outcome (succeeded, failed, skipped, timed_out) and its facts.
void recordStepFacts(Incident &incident, const QString &step, StepResult result, const QVariantMap &facts);

} // namespace antibody

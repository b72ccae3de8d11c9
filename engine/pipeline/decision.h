#pragma once

#include "engine/domain/guardrail.h"
#include "engine/domain/plan.h"
#include "engine/domain/proposal.h"
#include "engine/runbook/runbook.h"

namespace antibody {

// The effective mode of a plan: the strictest of the runbook's level, the
// action tiers, the trigger's confidence, the guardrails (never-automate guards,
// breaker, freshness and the rest). Every contributor leaves a reason. The table:
// docs/design.md, "The decision".
Decision decide(const Runbook &runbook, int effectiveLevel, const Plan &plan, const QList<GuardrailResult> &guardrails);

} // namespace antibody

#pragma once

#include "engine/domain/guardrail.h"
#include "engine/domain/plan.h"
#include "engine/domain/proposal.h"
#include "engine/runbook/runbook.h"

namespace antibody {

// The effective mode of a plan: the strictest of the runbook's level, the
// action tiers, the trigger's confidence, the guardrails (never-automate guards,
// breaker, freshness and the rest). Every contributor leaves a reason. The table:
// docs/design.md, "The decision". `people`: how many distinct people approve the plan
// (the runbook's `approvals:` or the team's policy for its tier, the more); 0: the runbook's.
Decision decide(const Runbook &runbook, int effectiveLevel, const Plan &plan, const QList<GuardrailResult> &guardrails,
    int people = 0);

} // namespace antibody

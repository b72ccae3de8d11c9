#pragma once

#include "engine/domain/guardrail.h"
#include "engine/domain/incident.h"
#include "engine/domain/plan.h"
#include "engine/ports/alert.h"
#include "engine/ports/store.h"
#include "engine/runbook/runbook.h"

#include <QList>

namespace antibody {

// Everything the guardrails look at, gathered by the engine at decision time.
struct GuardrailInput
{
    const Runbook *runbook = nullptr;
    const Incident *incident = nullptr;
    const Plan *plan = nullptr;
    TimePoint now;
    BreakerState breaker;
    std::optional<Cooldown> cooldown; // running on the plan's resource
    QString busyWith; // another incident executing on the same resource
    int automatedInWindow = 0;
    int rateLimit = 10;
    Duration rateWindow { 10 * 60'000 };
    Duration freshnessBound { 120'000 };
    QList<FeedHealth> unhealthyFeeds;
    QStringList missingExecutors; // action families the plan needs and nobody runs
    std::optional<ExecutionRecord> interrupted; // the last execution on the resource, when a crash interrupted it
};

// Each guardrail is a named check with a one-line reason. A Block either clears
// by itself (cooldown, one at a time, rate limit, stale data: the engine retries)
// or needs a human (breaker open, never-automate guard, runbook guard: the
// engine escalates). Their default numbers and where they come from: docs/design.md,
// "Guardrails and their numbers".
class Guardrails
{
public:
    static QList<GuardrailResult> evaluate(const GuardrailInput &in);

    static bool clearsByItself(const GuardrailResult &r);
    // When the earliest self-clearing block may clear, for a retry timer.
    static std::optional<TimePoint> retryAt(const GuardrailInput &in, const QList<GuardrailResult> &results);

    static GuardrailResult blastRadius(const Plan &plan);
    static GuardrailResult capacityChange(const Plan &plan);
    static GuardrailResult cooldown(const GuardrailInput &in);
    static GuardrailResult circuitBreaker(const GuardrailInput &in);
    static GuardrailResult freshness(const GuardrailInput &in);
    static GuardrailResult neverAutomate(const GuardrailInput &in);
    static GuardrailResult oneAtATime(const GuardrailInput &in);
    static GuardrailResult rateLimit(const GuardrailInput &in);
    static GuardrailResult interrupted(const GuardrailInput &in);
    static QList<GuardrailResult> runbookGuards(const GuardrailInput &in);
};

} // namespace antibody

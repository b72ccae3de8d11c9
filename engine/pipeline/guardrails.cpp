#include "engine/pipeline/guardrails.h"

#include "engine/pipeline/facts.h"
#include "engine/runbook/actioncatalog.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

using Verdict = GuardrailResult::Verdict;

using Check = GuardrailResult::Check;

GuardrailResult result(Check check, Verdict verdict, QString reason)
{
    return GuardrailResult::of(check, verdict, std::move(reason));
}

} // namespace

GuardrailResult Guardrails::blastRadius(const Plan &plan)
{
    QStringList parts;
    for (const PlannedStep &s : plan.steps) {
        if (!s.blastRadius)
            continue;
        const BlastRadius &b = *s.blastRadius;
        if (!b.withinCap())
            return result(Check::BlastRadius, Verdict::Block,
                u"%1 would touch %2 %3, over its cap of %4 per cycle"_s.arg(s.name)
                    .arg(b.affected())
                    .arg(b.dimension)
                    .arg(b.capCount));
        parts << u"%1: %2 of %3 %4, cap %5"_s.arg(s.name)
                     .arg(b.affected())
                     .arg(b.fleetSize())
                     .arg(b.dimension)
                     .arg(b.capCount);
    }
    if (parts.isEmpty())
        return result(Check::BlastRadius, Verdict::Pass, u"nothing in the plan changes a system"_s);
    return result(Check::BlastRadius, Verdict::Pass, u"within caps (%1)"_s.arg(parts.join(u"; "_s)));
}

GuardrailResult Guardrails::capacityChange(const Plan &plan)
{
    for (const PlannedStep &s : plan.steps) {
        if (!ActionCatalog::changesCapacity(s.action) || !s.blastRadius)
            continue;
        const BlastRadius &b = *s.blastRadius;
        const int change = static_cast<int>(b.candidates.size());
        const int fleet = std::max(1, b.fleetSize());
        if (double(change) / fleet > 0.5)
            return result(Check::CapacityChange, Verdict::NeedsApproval,
                u"%1 changes capacity by %2 of %3 replicas (%4%): over 50% of the fleet needs a human"_s.arg(s.name)
                    .arg(change)
                    .arg(fleet)
                    .arg(std::lround(100.0 * change / fleet)));
        return result(Check::CapacityChange, Verdict::Pass,
            u"%1 changes capacity by %2 of %3 replicas, within 50%"_s.arg(s.name).arg(change).arg(fleet));
    }
    return result(Check::CapacityChange, Verdict::Pass, u"no capacity change"_s);
}

GuardrailResult Guardrails::cooldown(const GuardrailInput &in)
{
    if (in.cooldown && in.cooldown->until > in.now)
        return result(Check::Cooldown, Verdict::Block,
            u"%1 was remediated recently: cooldown ends in %2 (%3)"_s.arg(
                in.cooldown->resource, formatDuration(in.cooldown->until - in.now), in.cooldown->reason));
    return result(Check::Cooldown, Verdict::Pass,
        u"no remediation of %1 within its %2 cooldown"_s.arg(
            in.incident->service, formatDuration(in.runbook->cooldown)));
}

GuardrailResult Guardrails::circuitBreaker(const GuardrailInput &in)
{
    const BreakerState &b = in.breaker;
    const int failures = static_cast<int>(b.failures.size());
    switch (b.state) {
    case BreakerState::State::Open:
        return result(Check::CircuitBreaker, Verdict::Block,
            u"breaker for %1 is open after %2 failures within %3: automation of this remediation is halted until a human resets it or the cool-off passes"_s
                .arg(b.type)
                .arg(failures)
                .arg(formatDuration(in.runbook->breaker.window)));
    case BreakerState::State::HalfOpen:
        return result(
            Check::CircuitBreaker, Verdict::Pass, u"breaker for %1 is half-open: one attempt may try"_s.arg(b.type));
    case BreakerState::State::Closed:
        break;
    }
    return result(Check::CircuitBreaker, Verdict::Pass,
        u"breaker for %1 is closed (%2 of %3 failures within %4)"_s.arg(b.type.isEmpty() ? in.runbook->name : b.type)
            .arg(failures)
            .arg(in.runbook->breaker.failures)
            .arg(formatDuration(in.runbook->breaker.window)));
}

GuardrailResult Guardrails::freshness(const GuardrailInput &in)
{
    if (!in.unhealthyFeeds.isEmpty()) {
        const FeedHealth &f = in.unhealthyFeeds.front();
        return result(Check::Freshness, Verdict::Block,
            u"%1 is %2 (%3): no action on data that may be stale"_s.arg(f.feed, feedStateText(f.state), f.reason));
    }
    const Duration age = in.now - in.plan->dataAsOf;
    if (age > in.freshnessBound)
        return result(Check::Freshness, Verdict::Block,
            u"the plan rests on data %1 old, beyond the %2 bound: waiting for fresh data"_s.arg(
                formatDuration(age), formatDuration(in.freshnessBound)));
    return result(Check::Freshness, Verdict::Pass,
        u"data is %1 old (bound %2)"_s.arg(formatDuration(age), formatDuration(in.freshnessBound)));
}

GuardrailResult Guardrails::neverAutomate(const GuardrailInput &in)
{
    if (in.incident->guards.isEmpty())
        return result(Check::NeverAutomate, Verdict::Pass,
            u"no data corruption, security incident, unknown cascade or transactions in flight on %1"_s.arg(
                in.incident->service));
    const Guard g = *in.incident->guards.begin();
    bool safeMutation = false;
    bool approveMutation = false;
    for (const PlannedStep &s : in.plan->steps) {
        if (s.effect != Effect::Mutates)
            continue;
        (s.tier == Tier::Safe ? safeMutation : approveMutation) = true;
    }
    if (safeMutation)
        return result(Check::NeverAutomate, Verdict::Block, guardReason(g));
    if (approveMutation)
        return result(Check::NeverAutomate, Verdict::NeedsApproval,
            u"%1 (%2): only a human may approve containment"_s.arg(guardName(g), guardReason(g)));
    return result(Check::NeverAutomate, Verdict::Pass,
        u"%1 holds, but this plan only preserves state and tells people"_s.arg(guardName(g)));
}

GuardrailResult Guardrails::oneAtATime(const GuardrailInput &in)
{
    if (!in.busyWith.isEmpty())
        return result(Check::OneAtATime, Verdict::Block,
            u"%1 is already being remediated by %2: one remediation at a time per resource"_s.arg(
                in.incident->service, in.busyWith));
    return result(
        Check::OneAtATime, Verdict::Pass, u"no other remediation is running on %1"_s.arg(in.incident->service));
}

GuardrailResult Guardrails::rateLimit(const GuardrailInput &in)
{
    if (in.automatedInWindow >= in.rateLimit)
        return result(Check::RateLimit, Verdict::Block,
            u"%1 automated remediations in the last %2 reached the limit of %3: a storm of fixes is itself an incident"_s
                .arg(in.automatedInWindow)
                .arg(formatDuration(in.rateWindow))
                .arg(in.rateLimit));
    return result(Check::RateLimit, Verdict::Pass,
        u"%1 of %2 automated remediations used in the last %3"_s.arg(in.automatedInWindow)
            .arg(in.rateLimit)
            .arg(formatDuration(in.rateWindow)));
}

GuardrailResult Guardrails::interrupted(const GuardrailInput &in)
{
    const ExecutionRecord &x = *in.interrupted;
    return result(Check::Interrupted, Verdict::NeedsApproval,
        u"the last remediation of %1 (%2, started %3) was interrupted and what it did is unknown: a human approves the "
        "next run"_s.arg(in.incident->service, x.id, formatTime(x.startedAt)));
}

QList<GuardrailResult> Guardrails::runbookGuards(const GuardrailInput &in)
{
    QList<GuardrailResult> out;
    const auto facts = factLookup(*in.incident);
    for (const RunbookGuard &g : in.runbook->guards) {
        if (!g.when)
            continue;
        const auto v = g.when->evaluate(facts);
        const auto guard = [&](Verdict verdict, QString reason) {
            return GuardrailResult::of(Check::RunbookGuard, verdict, std::move(reason), g.name);
        };
        if (!v.known)
            out << guard(Verdict::Block,
                u"%1: cannot tell (%2); refusing to act blind"_s.arg(
                    g.reason.isEmpty() ? g.whenText : g.reason, v.explanation));
        else if (v.value)
            out << guard(Verdict::Block, u"%1 (%2)"_s.arg(g.reason.isEmpty() ? g.whenText : g.reason, v.explanation));
        else
            out << guard(Verdict::Pass, u"%1 does not hold (%2)"_s.arg(g.whenText, v.explanation));
    }
    return out;
}

QList<GuardrailResult> Guardrails::evaluate(const GuardrailInput &in)
{
    QList<GuardrailResult> out;
    // The checks that need a human come first: theirs is the reason to show when several block.
    out << neverAutomate(in) << circuitBreaker(in) << runbookGuards(in) << blastRadius(*in.plan)
        << capacityChange(*in.plan) << freshness(in) << cooldown(in) << oneAtATime(in) << rateLimit(in);
    // Listed only when it holds, like `executor`: almost every plan has nothing to say here.
    if (in.interrupted)
        out << interrupted(in);
    if (!in.missingExecutors.isEmpty())
        out << result(Check::Executor, Verdict::Block,
            u"no executor runs %1 actions here: configure one"_s.arg(in.missingExecutors.join(u", "_s)));
    return out;
}

bool Guardrails::clearsByItself(const GuardrailResult &r)
{
    return r.check == Check::Cooldown || r.check == Check::OneAtATime || r.check == Check::RateLimit
        || r.check == Check::Freshness;
}

std::optional<TimePoint> Guardrails::retryAt(const GuardrailInput &in, const QList<GuardrailResult> &results)
{
    std::optional<TimePoint> at;
    for (const GuardrailResult &r : results) {
        if (r.verdict != Verdict::Block)
            continue;
        if (!clearsByItself(r))
            return std::nullopt; // a human must act first
        TimePoint when = in.now + Duration { 15'000 };
        if (r.check == Check::Cooldown && in.cooldown)
            when = in.cooldown->until;
        at = at ? std::max(*at, when) : when;
    }
    return at;
}

} // namespace antibody

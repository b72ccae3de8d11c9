#include "tests/support/samples.h"

#include "engine/runbook/runbookloader.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody::samples {

TimePoint at(qint64 secondsAfterStart)
{
    return fromMillis(t0 + secondsAfterStart * 1000);
}

Incident incident(const QString &id, const QString &service, IncidentState state, int level, const QString &severity,
    qint64 detectedSeconds)
{
    Incident i;
    i.id = id;
    i.service = service;
    i.title = u"DbConnectionPoolExhausted"_s;
    i.severity = severity;
    i.runbook = level > 0 ? u"connection-pool-exhaustion"_s : QString();
    i.level = level;
    i.confidence = Confidence::High;
    i.labels = { { u"alertname"_s, i.title }, { u"service"_s, service }, { u"severity"_s, severity } };
    i.state = state;
    i.detectedAt = at(detectedSeconds);
    i.history << Transition { IncidentState::Open, i.detectedAt, u"pool utilization 95% is above 90%"_s };
    if (state != IncidentState::Open)
        i.history << Transition { state, at(detectedSeconds + 30), u"moved on"_s };
    return i;
}

BlastRadius podRadius(int fleet, int affected, int cap)
{
    BlastRadius b;
    b.dimension = u"pods"_s;
    b.scope = u"checkout-svc"_s;
    for (int i = 1; i <= fleet; ++i)
        b.fleet << u"checkout-svc-%1"_s.arg(i);
    b.candidates = b.fleet.mid(0, affected);
    b.chosen = b.fleet.mid(0, std::min(affected, cap));
    b.cap = *Cap::parse(QString::number(cap));
    b.capCount = cap;
    b.cycles = cap > 0 ? (affected + cap - 1) / cap : 1;
    b.leftServing = b.fleetSize() - b.affected();
    return b;
}

Plan poolPlan(const QString &incidentId, QStringList chosen)
{
    Plan p;
    p.runbook = u"connection-pool-exhaustion"_s;
    p.runbookHash = "0123abcd";
    p.incidentId = incidentId;
    p.service = u"checkout-svc"_s;

    PlannedStep diagnose;
    diagnose.name = u"diagnose"_s;
    diagnose.action = u"collect_diagnostics"_s;
    diagnose.explanation = u"collects pool, query and traffic figures first"_s;
    p.steps << diagnose;

    PlannedStep reset;
    reset.name = u"reset_pool"_s;
    reset.action = u"reset_connection_pool"_s;
    reset.effect = Effect::Mutates;
    reset.params = { { u"drain_timeout"_s, 30000 } };
    BlastRadius radius = podRadius(5, static_cast<int>(chosen.size()), 2);
    radius.chosen = chosen;
    radius.leftServing = radius.fleetSize() - radius.affected();
    reset.blastRadius = radius;
    reset.explanation = u"diagnose.cause is pool_saturation, so the pools are reset"_s;
    p.steps << reset;

    PlannedStep verify;
    verify.name = u"verify_recovery"_s;
    verify.action = u"wait_for_metric"_s;
    verify.params = { { u"metric"_s, u"db_pool_utilization"_s }, { u"below"_s, 0.7 } };
    p.steps << verify;

    PlannedStep page;
    page.name = u"escalate_if_failed"_s;
    page.action = u"page_oncall"_s;
    page.effect = Effect::Notifies;
    page.condition = u"verify_recovery.failed"_s;
    p.steps << page;

    p.madeAt = at(20);
    p.dataAsOf = at(15);
    p.fingerprint = p.computeFingerprint();
    return p;
}

Proposal proposal(const QString &id, const Plan &plan, Mode mode, Proposal::State state)
{
    Proposal p;
    p.id = id;
    p.incidentId = plan.incidentId;
    p.plan = plan;
    p.decision.mode = mode;
    p.decision.reasons << u"runbook level 2 waits for approval"_s;
    p.state = state;
    p.createdAt = plan.madeAt;
    p.expiresAt = plan.madeAt + Duration { 15 * 60'000 };
    p.guardrails << guardrail(
        u"blast_radius"_s, GuardrailResult::Verdict::Pass, u"2 of 5 pods is within the cap of 2 per cycle"_s)
                 << guardrail(u"circuit_breaker"_s, GuardrailResult::Verdict::Pass, u"breaker closed"_s)
                 << guardrail(u"freshness"_s, GuardrailResult::Verdict::Pass, u"data is 5 s old"_s);
    return p;
}

GuardrailResult guardrail(const QString &name, GuardrailResult::Verdict verdict, const QString &reason)
{
    // The check of that name, so that check and name agree as the engine makes them.
    using Check = GuardrailResult::Check;
    for (Check c :
        { Check::NeverAutomate, Check::CircuitBreaker, Check::BlastRadius, Check::CapacityChange, Check::Freshness,
            Check::Cooldown, Check::OneAtATime, Check::RateLimit, Check::Interrupted, Check::Executor, Check::Fleet }) {
        if (checkName(c) == name)
            return GuardrailResult::of(c, verdict, reason);
    }
    const QString prefix = checkName(Check::RunbookGuard) + u':';
    Q_ASSERT_X(name.startsWith(prefix), "samples::guardrail", "not a guardrail the engine makes");
    return GuardrailResult::of(Check::RunbookGuard, verdict, reason, name.mid(prefix.size()));
}

EngineEvent event(
    EngineEvent::Kind kind, qint64 seconds, const QString &incidentId, const QString &detail, const QJsonObject &data)
{
    return EngineEvent::make(kind, at(seconds), incidentId, detail, data);
}

BreakerState breaker(const QString &type, BreakerState::State state, int failures, qint64 openedSeconds)
{
    BreakerState b;
    b.type = type;
    b.state = state;
    for (int i = 0; i < failures; ++i)
        b.failures << at(i * 60);
    if (state != BreakerState::State::Closed)
        b.openedAt = at(openedSeconds);
    b.lastReason = failures > 0 ? u"verify_recovery failed"_s : QString();
    return b;
}

Runbook errorRateRunbook()
{
    const auto loaded = loadRunbookText("name: region-failover\nlevel: 2\ntrigger:\n  alert: RegionDegraded\nsteps:\n"
                                        "  - name: diagnose\n    action: query_metrics\n"
                                        "    params: { metric: error_rate, window: 10m }\n"
                                        "  - name: verify\n    action: wait_for_metric\n"
                                        "    params: { metric: error_rate, below: 5%, timeout: 10m }\n",
        u"region-failover.yaml"_s);
    Q_ASSERT(loaded.runbook);
    return *loaded.runbook;
}

void addErrorRateReading(Incident &incident)
{
    const QVariantMap facts { { u"diagnose.value"_s, 0.3169 }, { u"diagnose.avg"_s, 0.3046 },
        { u"diagnose.max"_s, 0.5134 }, { u"diagnose.min"_s, 0.005985 }, { u"diagnose.age_seconds"_s, 5 },
        { u"diagnose.succeeded"_s, true }, { u"diagnose.failed"_s, false }, { u"diagnose.skipped"_s, false },
        { u"diagnose.timed_out"_s, false } };
    incident.facts.insert(facts);
    QJsonObject steps = incident.diagnostics.value(u"steps"_s).toObject();
    steps.insert(u"diagnose"_s,
        QJsonObject { { u"metric"_s, u"error_rate"_s }, { u"window"_s, u"10m"_s }, { u"value"_s, 0.3169 },
            { u"avg"_s, 0.3046 }, { u"min"_s, 0.005985 }, { u"max"_s, 0.5134 },
            { u"at"_s, u"2026-12-02T03:03:05.000Z"_s },
            { u"points"_s, QJsonArray { QJsonArray { 1, 0.1 }, QJsonArray { 2, 0.5134 } } } });
    incident.diagnostics.insert(u"steps"_s, steps);
}

} // namespace antibody::samples

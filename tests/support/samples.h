#pragma once

// Hand-made engine data for the console's model and widget tests: the plain
// structs the engine publishes, filled the way the seed's scenarios fill them.
#include "engine/domain/engineevent.h"
#include "engine/domain/incident.h"
#include "engine/domain/proposal.h"
#include "engine/ports/store.h"

namespace antibody::samples {

inline constexpr qint64 t0 = 1'780'000'000'000; // the VirtualClock's default start

TimePoint at(qint64 secondsAfterStart);

Incident incident(const QString &id, const QString &service, IncidentState state = IncidentState::Open, int level = 3,
    const QString &severity = QStringLiteral("critical"), qint64 detectedSeconds = 0);

// checkout-svc: 5 pods, cap 2 per cycle, the first `affected` pods chosen.
BlastRadius podRadius(int fleet = 5, int affected = 2, int cap = 2);

// The seed's connection-pool runbook as a plan: diagnose, reset_pool (mutating,
// on pods), verify_recovery, escalate_if_failed.
Plan poolPlan(const QString &incidentId,
    QStringList chosen = { QStringLiteral("checkout-svc-1"), QStringLiteral("checkout-svc-2") });

Proposal proposal(
    const QString &id, const Plan &plan, Mode mode = Mode::Approve, Proposal::State state = Proposal::State::Pending);

GuardrailResult guardrail(const QString &name, GuardrailResult::Verdict verdict, const QString &reason);

EngineEvent event(EngineEvent::Kind kind, qint64 seconds, const QString &incidentId, const QString &detail = {},
    const QJsonObject &data = {});

BreakerState breaker(const QString &type, BreakerState::State state, int failures, qint64 openedSeconds = 0);

// The shipped region-failover runbook's shape: diagnose reads error_rate over 10m,
// verify waits for it below 5%.
Runbook errorRateRunbook();

// What that diagnosis leaves on an incident, bookkeeping and all: error rate 0.3169
// (max 0.5134) 5 s old, and its evidence with the points it read.
void addErrorRateReading(Incident &incident);

} // namespace antibody::samples

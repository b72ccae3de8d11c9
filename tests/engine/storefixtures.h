#pragma once

// Records for the store's tests and their child processes: an incident on
// orders-db with the seed's connection-pool plan, its alert and its proposal.
#include "engine/domain/incident.h"
#include "engine/domain/proposal.h"
#include "engine/ports/alert.h"
#include "engine/ports/store.h"
#include "engine/store/sqlitedatabase.h"

#include <QStringList>

namespace antibody::fixtures {

using namespace Qt::StringLiterals;

// The tests' epoch, and `seconds` after it.
inline const TimePoint t0 = fromMillis(1'780'000'000'000);

inline TimePoint at(int seconds)
{
    return t0 + Duration { seconds * 1000 };
}

inline Incident incident(
    const QString &id, TimePoint detectedAt, const QString &runbook = u"connection-pool-exhaustion"_s, int level = 3)
{
    Incident i;
    i.id = id;
    i.title = u"Connection pool exhausted on orders-db"_s;
    i.service = u"orders-db"_s;
    i.severity = u"critical"_s;
    i.runbook = runbook;
    i.level = level;
    i.confidence = Confidence::High;
    i.labels = { { u"alertname"_s, u"DbConnectionPoolExhausted"_s }, { u"service"_s, u"orders-db"_s } };
    i.alertFingerprints = { id + u"-alert"_s };
    i.detectedAt = detectedAt;
    i.history << Transition { IncidentState::Open, detectedAt, u"DbConnectionPoolExhausted is firing"_s };
    return i;
}

inline Alert alert(const QString &incidentId, TimePoint startsAt, TimePoint observedAt)
{
    Alert a;
    a.fingerprint = incidentId + u"-alert"_s;
    a.name = u"DbConnectionPoolExhausted"_s;
    a.labels = { { u"alertname"_s, a.name }, { u"service"_s, u"orders-db"_s } };
    a.startsAt = startsAt;
    a.observedAt = observedAt;
    a.source = u"simulator"_s;
    a.value = 0.96;
    return a;
}

inline Plan plan(const QString &incidentId, const QStringList &targets = { u"pid 4711"_s, u"pid 4712"_s })
{
    Plan p;
    p.runbook = u"connection-pool-exhaustion"_s;
    p.runbookHash = "seed";
    p.incidentId = incidentId;
    p.service = u"orders-db"_s;
    PlannedStep kill;
    kill.name = u"kill_idle"_s;
    kill.action = u"terminate_connections"_s;
    kill.effect = Effect::Mutates;
    kill.params = { { u"state"_s, u"idle"_s }, { u"older_than"_s, 300000 } };
    BlastRadius b;
    b.dimension = u"connections"_s;
    b.scope = u"orders-db"_s;
    b.fleet = { u"pid 4711"_s, u"pid 4712"_s, u"pid 4713"_s, u"pid 4714"_s, u"pid 4715"_s, u"pid 4716"_s, u"pid 4717"_s,
        u"pid 4718"_s, u"pid 4719"_s, u"pid 4720"_s, u"pid 4721"_s, u"pid 4722"_s, u"pid 4723"_s, u"pid 4724"_s };
    b.candidates = targets;
    b.chosen = targets;
    b.capCount = 2;
    b.leftServing = static_cast<int>(b.fleet.size() - targets.size());
    kill.blastRadius = b;
    p.steps << kill;
    p.fingerprint = p.computeFingerprint();
    return p;
}

inline Proposal proposal(const QString &id, const QString &incidentId, TimePoint createdAt, int approvalsRequired = 1,
    const QString &requestedBy = {})
{
    Proposal p;
    p.id = id;
    p.incidentId = incidentId;
    p.plan = plan(incidentId);
    p.plan.madeAt = createdAt;
    p.decision.mode = Mode::Approve;
    p.decision.reasons = { u"runbook level 2 waits for approval"_s };
    p.guardrails << GuardrailResult::of(
        GuardrailResult::Check::BlastRadius, GuardrailResult::Verdict::Pass, u"2 of 14 connections"_s);
    p.approvalsRequired = approvalsRequired;
    p.requestedBy = requestedBy;
    p.createdAt = createdAt;
    p.expiresAt = createdAt + Duration { 15 * 60'000 };
    return p;
}

inline Approval approval(const Proposal &p, const QString &approver, TimePoint at)
{
    return Approval { p.id, p.plan.fingerprint, approver, at, true, {} };
}

inline StepRecord step(const QString &executionId, const QString &name, int pass, TimePoint at)
{
    StepRecord s;
    s.executionId = executionId;
    s.step = name;
    s.action = u"terminate_connections"_s;
    s.pass = pass;
    s.targets = { u"pid 4711"_s };
    s.params = { { u"state"_s, u"idle"_s } };
    s.startedAt = at;
    return s;
}

// One incident from detection to resolution, as the engine records it.
inline void recordIncident(Store &store, const QString &n, int offset)
{
    const QString incidentId = u"INC-"_s + n;
    Incident i = incident(incidentId, at(offset));
    store.saveIncident(i);
    store.saveAlert(incidentId, alert(incidentId, at(offset - 20), at(offset)));
    store.append(
        { EngineEvent::Kind::Detected, at(offset), incidentId, u"DbConnectionPoolExhausted fired, pool at 96%"_s,
            QJsonObject { { u"alert"_s, u"DbConnectionPoolExhausted"_s } } });
    const Proposal p = proposal(u"P-"_s + n, incidentId, at(offset + 5));
    store.saveProposal(p);
    store.append({ EngineEvent::Kind::Proposed, at(offset + 5), incidentId, u"kill 2 idle connections, \"15%\" cap"_s,
        QJsonObject { { u"fingerprint"_s, p.plan.fingerprint } } });
    store.recordApproval(approval(p, u"alice"_s, at(offset + 30)));
    store.append({ EngineEvent::Kind::Approved, at(offset + 30), incidentId, u"alice approved"_s, {} });
    const auto claim
        = store.claimExecution(p.id, p.plan.fingerprint, u"alice@laptop (pid 1)"_s, u"alice"_s, at(offset + 30));
    StepRecord s = step(claim.executionId, u"kill_idle"_s, 1, at(offset + 31));
    s.id = store.recordStepIntent(s);
    store.append({ EngineEvent::Kind::StepStarted, at(offset + 31), incidentId, u"kill_idle pass 1"_s, {} });
    s.outcome = StepResult::Succeeded;
    s.finishedAt = at(offset + 32);
    store.recordStepOutcome(s);
    store.finishExecution(claim.executionId, ExecutionOutcome::Resolved, at(offset + 60));
    i.state = IncidentState::Resolved;
    i.resolvedAt = at(offset + 60);
    i.history << Transition { IncidentState::Resolved, at(offset + 60), u"pool below 70%"_s };
    store.saveIncident(i);
    store.append({ EngineEvent::Kind::Resolved, at(offset + 60), incidentId, u"resolved in 80s"_s, {} });
}

// A breaker with one failure at `offset`, a cooldown and a drill.
inline void recordEngineState(Store &store, int offset)
{
    BreakerState b;
    b.type = u"connection-pool-exhaustion"_s;
    b.failures = { at(offset) };
    store.saveBreaker(b);
    store.saveCooldown({ u"database/orders-db"_s, at(offset + 180), u"remediated"_s });
    store.saveDrill({ u"connection-pool-exhaustion"_s, u"pool-leak"_s, true, u"resolved"_s, Duration { 80'000 },
        at(offset + 900), u"resolved in 80s"_s });
}

// The first column of the first row of `sql` as a number; -1 when there is no row.
inline qint64 scalar(SqliteDatabase &db, const QString &sql)
{
    auto q = db.prepare(sql);
    return q.step() ? q.integer(0) : -1;
}

} // namespace antibody::fixtures

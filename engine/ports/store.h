#pragma once

#include "engine/core/time.h"
#include "engine/domain/breaker.h"
#include "engine/domain/drillresult.h"
#include "engine/domain/engineevent.h"
#include "engine/domain/execution.h"
#include "engine/domain/incident.h"
#include "engine/domain/proposal.h"
#include "engine/ports/alert.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariantMap>
#include <functional>
#include <optional>

namespace antibody {

// "May I execute this proposal?", with what the store checks in the same transaction.
struct ExecutionRequest
{
    QString proposalId;
    QString fingerprint;
    QString executor; // who claims it: "alice@laptop (pid 4711)"
    QString approvedBy; // comma-separated distinct approvers; empty: an automated run
    TimePoint at;
    // The lease: while an execution on this resource ("service/orders-db") is unfinished,
    // in any process, no other starts there; nor while the stored cooldown runs; nor, for
    // an automated run, when the last execution there was interrupted. Empty: no lease.
    QString resource;
    int rateLimit = 0; // automated runs only: at most this many per window in the store; 0: no limit
    Duration rateWindow { 0 };
    // A person broke the glass: the named approvers' stored approvals suffice, however
    // few, and the requester may be one of them (docs/team.md, "Break-glass").
    bool breakGlass = false;
};

// The answer to "may I execute this proposal?". Exactly one caller ever gets granted.
struct ExecutionClaim
{
    bool granted = false;
    QString executionId;
    QString claimedBy; // when refused: who executes it
    TimePoint claimedAt;
    QString approvedBy; // when refused: who approved that execution
    QString reason; // when refused and nobody claimed it: why (the resource is not free, unknown proposal, the store
                    // failed)
    std::optional<TimePoint> retryAt; // refused because the resource is not free yet: when to ask again
    bool needsApproval = false; // refused: an automated run after an interrupted one; a human approves it
};

// The answer to "may I open this incident?". The first save of an incident inserts
// it and never replaces another one.
struct IncidentOpening
{
    bool opened = false;
    bool idTaken = false; // refused: another incident has this id; draw another
    QString heldBy; // refused: the open incident of the same problem, which another process handles
    QString reason; // refused: why, in a sentence
};

struct ApprovalOutcome
{
    bool accepted = false;
    QString reason; // when refused
    QStringList approvers; // distinct approvers of this fingerprint so far
};

// Port: the engine's durable memory, in facets. Each facet is one kind of record;
// a collaborator of the engine needs one or two of them, and a store implements each
// in its own class (SqliteIncidents, SqliteExecutions, ...), joined by Store.
//
// Calls come from the engine's thread and are synchronous: when a call that records a
// decision or an execution returns, the record is durable (for stores that promise
// durability). Informational records (incident snapshots, alerts, proposals,
// non-decision events) may be batched, and are durable at the latest when the next
// decision record is. Implementations: MemoryStore (tests, dry runs) and SqliteStore
// (the default), later a PostgreSQL store for a team.

// Incidents, their alerts and proposals.
class IncidentRecords
{
public:
    virtual ~IncidentRecords();

    // The first save of an incident: an insert that fails when the id is taken, and
    // (for stores shared by processes) when another live process has an incident of
    // the same problem open. Committed before it returns, so the answer holds across
    // processes.
    virtual IncidentOpening openIncident(const Incident &incident, const QString &problemKey) = 0;
    // Whether the store holds this incident and it is over (resolved, escalated,
    // interrupted): an engine that stood aside for it stops waiting.
    virtual bool incidentEnded(const QString &incidentId) = 0;
    // Later snapshots of an opened incident (its latest state); they may be batched.
    virtual void saveIncident(const Incident &incident) = 0;
    // An alert of a saved incident (its startsAt is where "time to detect" starts).
    virtual void saveAlert(const QString &incidentId, const Alert &alert) = 0;
    virtual void saveProposal(const Proposal &proposal) = 0;
    // Ends an incident no engine holds any more (its process stopped): state and one
    // transition, committed before it returns. An incident already final is left alone.
    virtual void closeIncident(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at) = 0;
};

// Approvals and denials of a proposal's plan.
class ApprovalRecords
{
public:
    virtual ~ApprovalRecords();

    virtual ApprovalOutcome recordApproval(const Approval &approval) = 0;
    // Distinct approvers of this plan of this proposal, whichever process recorded them
    // (another console, `antibodyctl approve`), in the order they approved.
    virtual QStringList approversOf(const QString &proposalId, const QString &fingerprint) = 0;
    virtual void recordDenial(const Approval &denial) = 0;
};

// Executions and their steps: the claim that makes them exactly-once, the lease that
// makes them one at a time per resource, and what recovery reads back.
class ExecutionLedger
{
public:
    virtual ~ExecutionLedger();

    // Exactly-once: the first claim of a proposal wins; every later one learns who and when.
    // One execution at a time per resource across processes (the request's lease).
    virtual ExecutionClaim claimExecution(const ExecutionRequest &request) = 0;
    // A claim without a lease (tools and tests that record executions directly).
    ExecutionClaim claimExecution(const QString &proposalId, const QString &fingerprint, const QString &executor,
        const QString &approvedBy, TimePoint at)
    {
        return claimExecution(
            ExecutionRequest { proposalId, fingerprint, executor, approvedBy, at, {}, 0, Duration { 0 } });
    }
    // Who executes a proposal, if anyone does, without claiming it (for approvals of
    // proposals this process does not hold: another process may).
    virtual std::optional<ExecutionRecord> findExecution(const QString &proposalId) = 0;
    // Returns the step's id, or 0 when the intent could not be recorded (the execution
    // already ended, this step and pass already started, the store failed): then the
    // step must not run.
    virtual qint64 recordStepIntent(const StepRecord &step) = 0;
    virtual void recordStepOutcome(const StepRecord &step) = 0;
    virtual void finishExecution(const QString &executionId, ExecutionOutcome outcome, TimePoint at) = 0;
    // Executions started and never finished (the process died): for recovery at start.
    virtual QList<ExecutionRecord> unfinishedExecutions() = 0;
    // The newest execution on a resource, without its steps: when it was interrupted,
    // a human approves the next run there.
    virtual std::optional<ExecutionRecord> lastExecutionOn(const QString &resource) = 0;
    // When the automated executions (nobody approved them) since `since` started: the
    // rate limit counts them across restarts.
    virtual QList<TimePoint> automatedRunsSince(TimePoint since) = 0;
};

// Circuit breakers and cooldowns, kept across restarts.
class SafeguardRecords
{
public:
    virtual ~SafeguardRecords();

    virtual void saveBreaker(const BreakerState &breaker) = 0;
    virtual QList<BreakerState> loadBreakers() = 0;
    virtual void saveCooldown(const Cooldown &cooldown) = 0;
    virtual QList<Cooldown> loadCooldowns() = 0;
};

// Drills of runbooks: a Level 3 runbook needs a recent passing one.
class DrillRecords
{
public:
    virtual ~DrillRecords();

    virtual void saveDrill(const DrillResult &drill) = 0;
    virtual std::optional<DrillResult> lastDrill(const QString &runbook) = 0;
};

// The audit trail: every engine event, in order. Never contains secrets.
class AuditLog
{
public:
    virtual ~AuditLog();

    virtual void append(const EngineEvent &event) = 0;

    // The audit chain's newest row, for checkpoints that leave the machine with every
    // page and notice. A log without a chain (MemoryStore) has none.
    struct AuditCheckpoint
    {
        qint64 seq = 0;
        QString hash;
    };
    virtual std::optional<AuditCheckpoint> auditCheckpoint() { return std::nullopt; }

    // One event of the trail as clients' event streams carry it. Its sequence number is
    // its place in the chain, so it never changes: a client that saw `seq` asks for what
    // came after it, from any server on the store.
    struct StoredEvent
    {
        qint64 seq = 0;
        TimePoint at;
        QString kind; // EngineEvent::kindName(), or a store's own ("chain_restarted")
        QString incidentId;
        QString detail;
        QJsonObject data;
    };
    // The events after `seq`, oldest first, at most `limit`. Seals are not events: the
    // numbers of consecutive events may have gaps, never repeats.
    virtual QList<StoredEvent> eventsAfter(qint64 seq, int limit) = 0;
};

// The whole store: every facet, and its own health. The facets are virtual bases so
// that an implementation can join one class per facet (each overriding its facet's
// calls) under one Store.
class Store : public virtual IncidentRecords,
              public virtual ApprovalRecords,
              public virtual ExecutionLedger,
              public virtual SafeguardRecords,
              public virtual DrillRecords,
              public virtual AuditLog
{
public:
    ~Store() override;

    // The store's own health, as a feed: `watcher` hears when writing stops working
    // (down: a lock held too long, a full disk) and when it works again. The engine
    // shows it and, like any unhealthy feed, holds automated actions meanwhile. A
    // store that cannot fail to write (MemoryStore) never calls it.
    virtual void watchHealth(std::function<void(const FeedHealth &)> watcher) { Q_UNUSED(watcher); }
};

} // namespace antibody

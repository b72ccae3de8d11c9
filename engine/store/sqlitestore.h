#pragma once

#include "engine/ports/store.h"
#include "engine/store/incidenttimes.h"

#include <QString>
#include <functional>
#include <memory>

class QObject;

namespace antibody {

class SqliteDatabase;

// The default Store: one SQLite file (WAL, synchronous=FULL, foreign keys on),
// called on the engine's thread. Decision and execution records (approvals,
// denials, claims, step intents and outcomes, finished executions, breakers,
// cooldowns, drills, decision events) are committed before the call returns.
// Informational records (incident snapshots, alerts, proposals, other events)
// share one transaction that is committed with the next decision, when control
// returns to the thread's event loop, or after `batchLimit` of them.
// Every record is sealed into the hash-chained audit trail (AuditTrail), and
// nothing is written before Redaction has removed what looks like a secret.
class SqliteStore : public Store
{
public:
    struct Options
    {
        Duration busyTimeout { 5'000 }; // how long to wait for another process's write lock
        bool batching = true;
        int batchLimit = 256;
    };

    // Opens FILE (creating it and its schema, or migrating it). On failure returns
    // nullptr and sets `error` to a message that names the file and what to do.
    static std::unique_ptr<SqliteStore> open(const QString &file, const Options &options, QString *error);
    static std::unique_ptr<SqliteStore> open(const QString &file, QString *error)
    {
        return open(file, Options {}, error);
    }
    ~SqliteStore() override;

    void append(const EngineEvent &event) override;
    void saveIncident(const Incident &incident) override;
    void saveAlert(const QString &incidentId, const Alert &alert) override;
    void saveProposal(const Proposal &proposal) override;
    ApprovalOutcome recordApproval(const Approval &approval) override;
    void recordDenial(const Approval &denial) override;
    ExecutionClaim claimExecution(const QString &proposalId, const QString &fingerprint, const QString &executor,
        const QString &approvedBy, TimePoint at) override;
    qint64 recordStepIntent(const StepRecord &step) override;
    void recordStepOutcome(const StepRecord &step) override;
    void finishExecution(const QString &executionId, const QString &outcome, TimePoint at) override;
    QList<ExecutionRecord> unfinishedExecutions() override;
    void saveBreaker(const BreakerState &breaker) override;
    QList<BreakerState> loadBreakers() override;
    void saveCooldown(const Cooldown &cooldown) override;
    QList<Cooldown> loadCooldowns() override;
    void saveDrill(const DrillResult &drill) override;
    std::optional<DrillResult> lastDrill(const QString &runbook) override;

    QList<DrillResult> drills(const QString &runbook = {});
    // The facts recovery times are computed from, oldest incident first.
    QList<IncidentTimes> incidentTimes();

    // Commits the batch now.
    void flush();
    QString file() const;
    // Failures after opening (disk full, a lock held too long, a refused step) go here;
    // the default writes them to the log with qCritical.
    void setFailureHandler(std::function<void(const QString &)> handler);

    // Whether an event of this kind is committed before append() returns.
    static bool isDecision(EngineEvent::Kind kind);

private:
    enum class Durability { Batched, Durable };

    SqliteStore(std::unique_ptr<SqliteDatabase> db, const Options &options);
    // Runs `body` as one atomic operation (a savepoint inside the batch transaction)
    // and commits when it is durable or the batch is full. False when it failed.
    bool write(const QString &what, Durability durability, const std::function<void()> &body);
    // Runs a query; false (and a report to the failure handler) when it failed.
    bool read(const QString &what, const std::function<void()> &body);
    void commit();
    void scheduleFlush();
    void fail(const QString &message);
    void seal(const QString &table, const QJsonArray &key, TimePoint at);

    std::unique_ptr<SqliteDatabase> m_db;
    Options m_options;
    int m_pending = 0;
    bool m_flushScheduled = false;
    std::unique_ptr<QObject> m_flushContext;
    std::function<void(const QString &)> m_failureHandler;
};

} // namespace antibody

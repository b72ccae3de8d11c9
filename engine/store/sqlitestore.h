#pragma once

#include "engine/ports/store.h"
#include "engine/store/incidenttimes.h"

#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

class QObject;

namespace antibody {

class OwnerLock;
class SqliteDatabase;
class SqliteStatement;

// The default Store: one SQLite file (WAL, synchronous=FULL, foreign keys on),
// called on the engine's thread. Decision and execution records (approvals,
// denials, claims, step intents and outcomes, finished executions, breakers,
// cooldowns, drills, decision events) are committed before the call returns.
// Informational records (incident snapshots, alerts, proposals, other events)
// wait in a queue and are written in the transaction of the next decision, when
// control returns to the thread's event loop, before a read, or after `batchLimit`
// of them: the write lock is held only while a transaction commits.
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
    IncidentOpening openIncident(const Incident &incident, const QString &problemKey) override;
    bool incidentEnded(const QString &incidentId) override;
    void saveIncident(const Incident &incident) override;
    void saveAlert(const QString &incidentId, const Alert &alert) override;
    void saveProposal(const Proposal &proposal) override;
    ApprovalOutcome recordApproval(const Approval &approval) override;
    QStringList approversOf(const QString &proposalId, const QString &fingerprint) override;
    void recordDenial(const Approval &denial) override;
    using Store::claimExecution;
    ExecutionClaim claimExecution(const ExecutionRequest &request) override;
    std::optional<ExecutionRecord> findExecution(const QString &proposalId) override;
    qint64 recordStepIntent(const StepRecord &step) override;
    void recordStepOutcome(const StepRecord &step) override;
    void finishExecution(const QString &executionId, ExecutionOutcome outcome, TimePoint at) override;
    QList<ExecutionRecord> unfinishedExecutions() override;
    std::optional<ExecutionRecord> lastExecutionOn(const QString &resource) override;
    QList<TimePoint> automatedRunsSince(TimePoint since) override;
    void closeIncident(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at) override;
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
    // Where the owner locks of the processes using this database live ("<file>-owners").
    static QString ownersFolder(const QString &file);
    // Failures after opening (disk full, a lock held too long, a refused step) go here;
    // the default writes them to the log with qCritical.
    void setFailureHandler(std::function<void(const QString &)> handler);
    // What the start found and someone must hear: a chain that restarted or was cut
    // back since its anchor, an anchor that cannot be read. Empty when all is well.
    QStringList startWarnings() const { return m_startWarnings; }
    void watchHealth(std::function<void(const FeedHealth &)> watcher) override;
    std::optional<AuditCheckpoint> auditCheckpoint() override;

    // Whether an event of this kind is committed before append() returns.
    static bool isDecision(EngineEvent::Kind kind);

private:
    // Batched: queued, committed later. Shared: committed before the call returns, so
    // every process on the database sees it at once, and synced to disk with the next
    // durable commit (a process crash loses nothing; a power cut may lose the last of
    // these). Durable: on disk before the call returns.
    enum class Durability { Batched, Shared, Durable };

    SqliteStore(std::unique_ptr<SqliteDatabase> db, std::unique_ptr<OwnerLock> owner, const Options &options);
    struct Pending
    {
        QString what;
        std::function<void()> body;
    };

    // A durable write commits `body` (with whatever is queued) before returning; a
    // batched one is queued. False when it failed (reported to the failure handler).
    bool write(const QString &what, Durability durability, std::function<void()> body);
    // One transaction: the queued writes, then `body` if any, each in its own savepoint.
    bool commitWith(
        const QString &what, const std::function<void()> *body, Durability durability = Durability::Durable);
    bool runOperation(const QString &what, const std::function<void()> &body);
    // Runs a query after committing the queue; false (and a report) when it failed.
    bool read(const QString &what, const std::function<void()> &body);
    void scheduleFlush();
    void fail(const QString &message);
    void seal(const QString &table, const QJsonArray &key, TimePoint at);
    static SqliteStatement &bindIncident(SqliteStatement &statement, const Incident &incident);
    // Refuses (false, `out` says why) when another live process holds an open incident
    // of the problem; ends the open incidents of stopped processes.
    bool takeProblem(const Incident &incident, const QString &problemKey, IncidentOpening &out);
    void closeIncidentRow(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at);
    // Why a claim may not execute now, read inside its transaction; nothing when it may.
    std::optional<ExecutionClaim> refusalOf(const ExecutionRequest &request);
    // How soon a claim refused for a running execution asks again.
    static constexpr Duration leaseRetry { 15'000 };
    void writeHistory(const Incident &incident, TimePoint at);
    qint64 storedTransitions(const QString &incidentId);
    void writeTransition(const QString &incidentId, qint64 seq, const Transition &transition);

    std::unique_ptr<SqliteDatabase> m_db;
    std::unique_ptr<OwnerLock> m_owner;
    Options m_options;
    std::vector<Pending> m_queue;
    bool m_flushScheduled = false;
    std::unique_ptr<QObject> m_flushContext;
    std::function<void(const QString &)> m_failureHandler;
    std::function<void(const FeedHealth &)> m_healthWatcher;
    bool m_writing = true; // false after a transaction failed, until one commits
    void setWriting(bool writing, const QString &reason);

    // The anchor outside the file (sqlitestoreanchor.cpp).
    QStringList m_startWarnings;
    qint64 m_anchoredSeq = 0;
    qint64 m_anchoredAtMs = 0; // monotonic: anchors are written at most once a second, and after every decision
    bool m_anchorFailed = false;
    bool m_anchorFrozen = false; // the anchor found at start was unusable: left as evidence
    void checkAnchorAtStart();
    void keepAnchor(bool decision);
};

} // namespace antibody

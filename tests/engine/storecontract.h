#pragma once

// The Store port's contract, one suite for every backend: exactly-once claims, leases,
// cooldowns, interruptions, rate limits, the approval rules, what survives a restart,
// what the schema refuses, redaction and the audit chain. tst_sqlitestore runs it on
// MemoryStore and SqliteStore, tst_pgstore on PostgresStore.
#include "engine/ports/store.h"

#include <QObject>
#include <QStringList>
#include <memory>
#include <vector>

namespace antibody {

// One backend as the contract sees it: a store on a fresh database, the same database
// after a restart, and a look at the database underneath.
class StoreBackend
{
public:
    virtual ~StoreBackend() = default;

    virtual QString name() const = 0;
    // Whether there is a database under the store (MemoryStore: none; the rows that look
    // at the database skip it).
    virtual bool hasDatabase() const { return true; }
    // A store on a new, empty database; the one before is closed.
    virtual Store &fresh() = 0;
    // The same database after its process stopped and another started: executions in
    // flight are the stopped one's.
    virtual Store &restart() = 0;
    // Commits what the store batches.
    virtual void flush() { }
    // The first column of the first row of `sql` on the database, -1 when there is no row.
    virtual qint64 scalar(const QString &sql) = 0;
    // Runs `sql` straight at the database, around the store: the error, empty when it was accepted.
    virtual QString rawExec(const QString &sql) = 0;
    // Whether `text` is anywhere in what the store wrote.
    virtual bool holds(const QString &text) = 0;
    // The audit trail checked as `antibodyctl audit verify` checks it: the first problem, empty when intact.
    virtual QString verify() = 0;
    // What the store reported as failed since the last fresh() or restart().
    virtual QStringList failures() const = 0;
};

class StoreContract : public QObject
{
    Q_OBJECT
public:
    explicit StoreContract(std::vector<std::unique_ptr<StoreBackend>> backends);
    ~StoreContract() override;

private Q_SLOTS:
    void anIncidentWithATakenIdIsRefusedNotOverwritten_data() { backends_data(); }
    void anIncidentWithATakenIdIsRefusedNotOverwritten();
    void firstClaimWinsAndApproversAreDistinct_data() { backends_data(); }
    void firstClaimWinsAndApproversAreDistinct();
    void theStoreEnforcesTheApprovalRules_data();
    void theStoreEnforcesTheApprovalRules();
    void theApprovalRulesMetGrantTheClaim_data() { backends_data(); }
    void theApprovalRulesMetGrantTheClaim();
    void aClaimHoldsTheResourceLeaseAndReadsTheStore_data() { backends_data(); }
    void aClaimHoldsTheResourceLeaseAndReadsTheStore();
    void anAutomatedClaimAfterAnInterruptionNeedsAHuman_data() { backends_data(); }
    void anAutomatedClaimAfterAnInterruptionNeedsAHuman();
    void theRateLimitIsCountedInTheStore_data() { backends_data(); }
    void theRateLimitIsCountedInTheStore();
    void theRequesterDoesNotApprove_data() { backends_data(); }
    void theRequesterDoesNotApprove();
    void aSecondExecutionIsImpossibleByConstraint_data() { backends_data(); }
    void aSecondExecutionIsImpossibleByConstraint();
    void approvalsBindToThePlanShown_data() { backends_data(); }
    void approvalsBindToThePlanShown();
    void lateApprovalsLearnWhoExecutes_data() { backends_data(); }
    void lateApprovalsLearnWhoExecutes();
    void unknownProposalsAreRefused_data() { backends_data(); }
    void unknownProposalsAreRefused();
    void aStepRunsOnceAndNeverAfterItsExecutionEnded_data() { backends_data(); }
    void aStepRunsOnceAndNeverAfterItsExecutionEnded();
    void executionsInFlightSurviveARestart_data() { backends_data(); }
    void executionsInFlightSurviveARestart();
    void breakersAndCooldownsSurviveARestart_data() { backends_data(); }
    void breakersAndCooldownsSurviveARestart();
    void drillsAreKept_data() { backends_data(); }
    void drillsAreKept();
    void incidentsKeepHistoryAlertsAndDiagnostics_data() { backends_data(); }
    void incidentsKeepHistoryAlertsAndDiagnostics();
    void theSchemaRefusesEditsAndDeletions_data();
    void theSchemaRefusesEditsAndDeletions();
    void secretsNeverReachTheDatabase_data() { backends_data(); }
    void secretsNeverReachTheDatabase();
    void eventsKeepTheirNumbers_data() { backends_data(); }
    void eventsKeepTheirNumbers();
    void theAuditChainVerifies_data() { backends_data(); }
    void theAuditChainVerifies();

private:
    void backends_data();
    // The backend of the current data row.
    StoreBackend &backend();

    std::vector<std::unique_ptr<StoreBackend>> m_backends;
};

} // namespace antibody

// SqliteStore as the engine uses it: the Store port's contract (storecontract.cpp, on
// MemoryStore and SqliteStore here, on PostgresStore in tests/store/tst_pgstore), and what
// only SQLite has: several processes on one file with their owner locks, migrations of
// files older versions wrote, and the batch of informational records.
#include "engine/store/auditverifier.h"
#include "engine/store/incidenttimes.h"
#include "engine/store/memorystore.h"
#include "engine/store/memorytokens.h"
#include "engine/store/schema.h"
#include "engine/store/sqlitedatabase.h"
#include "engine/store/sqlitestore.h"
#include "engine/store/sqlitetokens.h"
#include "engine/store/storeerror.h"
#include "storecontract.h"
#include "storefixtures.h"
#include "tokencontract.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using fixtures::at;
using fixtures::t0;

namespace {

// MemoryStore for the contract: no database underneath, no restart.
class MemoryBackend : public StoreBackend
{
public:
    QString name() const override { return u"MemoryStore"_s; }
    bool hasDatabase() const override { return false; }
    Store &fresh() override
    {
        m_store = std::make_unique<MemoryStore>();
        return *m_store;
    }
    Store &restart() override { return *m_store; }
    qint64 scalar(const QString &) override { return -1; }
    QString rawExec(const QString &) override { return {}; }
    bool holds(const QString &) override { return false; }
    QString verify() override { return {}; }
    QStringList failures() const override { return {}; }

private:
    std::unique_ptr<MemoryStore> m_store;
};

// SqliteStore for the contract: a new file for each fresh store; a restart closes the
// store (its owner lock goes with it) and opens the file again.
class SqliteBackend : public StoreBackend
{
public:
    QString name() const override { return u"SqliteStore"_s; }
    Store &fresh() override
    {
        m_store.reset();
        m_folder = m_dir.filePath(u"contract-%1"_s.arg(++m_count));
        QDir().mkpath(m_folder);
        return restart();
    }
    Store &restart() override
    {
        m_store.reset();
        m_failures.clear();
        QString error;
        m_store = SqliteStore::open(m_folder + u"/antibody.db"_s, &error);
        if (!m_store)
            qFatal("%s", qPrintable(error));
        m_store->setFailureHandler([this](const QString &m) { m_failures << m; });
        return *m_store;
    }
    void flush() override { m_store->flush(); }
    qint64 scalar(const QString &sql) override
    {
        SqliteDatabase db(m_store->file(), SqliteDatabase::Access::ReadOnly, Duration { 1000 });
        return fixtures::scalar(db, sql);
    }
    QString rawExec(const QString &sql) override
    {
        try {
            SqliteDatabase(m_store->file(), SqliteDatabase::Access::ReadWrite, Duration { 1000 }).exec(sql);
            return {};
        } catch (const StoreError &e) {
            return e.message();
        }
    }
    bool holds(const QString &text) override
    {
        // Every file beside the database too: the WAL, the anchor, the owner locks.
        QDirIterator files(m_folder, QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile f(files.next());
            if (f.open(QIODevice::ReadOnly) && f.readAll().contains(text.toUtf8()))
                return true;
        }
        return false;
    }
    QString verify() override
    {
        SqliteDatabase db(m_store->file(), SqliteDatabase::Access::ReadOnly, Duration { 1000 });
        const auto report = AuditVerifier::verify(db);
        return report.intact() ? QString() : report.problems.front().where + u": "_s + report.problems.front().what;
    }
    QStringList failures() const override { return m_failures; }

private:
    QTemporaryDir m_dir;
    QString m_folder;
    int m_count = 0;
    std::unique_ptr<SqliteStore> m_store;
    QStringList m_failures;
};

} // namespace

class TestSqliteStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;
    QStringList m_failures;

    QString newFile() { return m_dir.filePath(u"store-%1.db"_s.arg(++m_files)); }

    std::unique_ptr<SqliteStore> open(const QString &file, SqliteStore::Options options = {})
    {
        QString error;
        auto store = SqliteStore::open(file, options, &error);
        if (!store)
            qWarning("%s", qUtf8Printable(error));
        else
            store->setFailureHandler([this](const QString &m) { m_failures << m; });
        return store;
    }

    // An incident with its proposal, as the engine saves them before anyone approves.
    static Proposal seed(Store &store, const QString &id, int approvals = 1, const QString &requestedBy = {})
    {
        store.saveIncident(fixtures::incident(u"INC-"_s + id, at(0)));
        // Automated runs claim it as well as approved ones; the approval rules have their own tests.
        Proposal p = fixtures::proposal(id, u"INC-"_s + id, at(10), approvals, requestedBy);
        p.decision.mode = Mode::Auto;
        store.saveProposal(p);
        return p;
    }

    static qint64 count(const QString &file, const QString &sql)
    {
        SqliteDatabase db(file, SqliteDatabase::Access::ReadOnly, Duration { 1000 });
        auto q = db.prepare(sql);
        return q.step() ? q.integer(0) : -1;
    }

    // A database as an older version wrote it, from its SQL dump in tests/engine/fixtures.
    static bool loadDump(const QString &file, const QString &name)
    {
        QFile dump(qEnvironmentVariable("ANTIBODY_SOURCE_DIR") + u"/tests/engine/fixtures/"_s + name);
        if (!dump.open(QIODevice::ReadOnly)) {
            qWarning("cannot read %s", qPrintable(dump.fileName()));
            return false;
        }
        SqliteDatabase db(file, SqliteDatabase::Access::ReadWrite, Duration { 1000 });
        db.exec(QString::fromUtf8(dump.readAll()));
        return true;
    }

    // Incidents and transitions stored in this state.
    static qint64 waitingRows(const QString &file, const QString &state)
    {
        return count(file,
            u"SELECT (SELECT count(*) FROM incidents WHERE state = '%1') "
            "+ (SELECT count(*) FROM transitions WHERE state = '%1')"_s.arg(state));
    }

private Q_SLOTS:
    void init() { m_failures.clear(); }

    // Review finding #3: one problem, one open incident, across processes on one database.
    void oneOpenIncidentPerProblemAcrossProcesses()
    {
        const QString file = newFile();
        auto console = open(file);
        auto run = open(file);
        const QString pool = u"connection-pool-exhaustion|orders-db"_s;
        QVERIFY(console->openIncident(fixtures::incident(u"INC-a"_s, at(0)), pool).opened);
        const IncidentOpening second = run->openIncident(fixtures::incident(u"INC-b"_s, at(0)), pool);
        QVERIFY(!second.opened);
        QCOMPARE(second.heldBy, u"INC-a"_s);
        // Another problem is another incident.
        QVERIFY(run->openIncident(fixtures::incident(u"INC-c"_s, at(0)), u"crashloop|checkout-svc"_s).opened);
        // Once INC-a is over, the problem may open again.
        Incident over = fixtures::incident(u"INC-a"_s, at(0));
        over.state = IncidentState::Resolved;
        over.history << Transition { IncidentState::Resolved, at(60), u"pool below 70%"_s };
        console->saveIncident(over);
        QVERIFY(run->openIncident(fixtures::incident(u"INC-b"_s, at(90)), pool).opened);
        // The schema holds it too, whoever writes: a second open row of one problem is refused.
        SqliteDatabase raw(file, SqliteDatabase::Access::ReadWrite, Duration { 1000 });
        QVERIFY_THROWS_EXCEPTION(StoreError,
            raw.exec(
                u"UPDATE incidents SET problem_key = 'connection-pool-exhaustion|orders-db' WHERE id = 'INC-c'"_s));
    }

    // The process holding a problem stopped: the next one to see it takes it over and
    // ends the old incident with a transition that says so.
    void theIncidentOfAStoppedProcessIsTakenOver()
    {
        const QString file = newFile();
        const QString pool = u"connection-pool-exhaustion|orders-db"_s;
        {
            auto stopped = open(file);
            QVERIFY(stopped->openIncident(fixtures::incident(u"INC-a"_s, at(0)), pool).opened);
        } // its owner lock goes with it
        auto next = open(file);
        QVERIFY(next->openIncident(fixtures::incident(u"INC-b"_s, at(30)), pool).opened);
        QCOMPARE(count(file, u"SELECT count(*) FROM incidents WHERE id = 'INC-a' AND state = 'escalated'"_s), 1);
        QCOMPARE(count(file,
                     u"SELECT count(*) FROM transitions WHERE incident_id = 'INC-a' AND reason LIKE "
                     "'%process that handled it stopped; INC-b takes the problem over'"_s),
            1);
    }

    // The lease: one unfinished execution per resource, whichever process claims it; and
    // the cooldown and an interruption as the store holds them at the claim.
    void aClaimHoldsTheResourceLeaseAcrossProcesses()
    {
        const QString file = newFile();
        auto console = open(file);
        auto run = open(file);
        const Proposal first = seed(*console, u"1"_s);
        const Proposal second = seed(*console, u"2"_s);
        const QString resource = u"service/orders-db"_s;
        auto request = [&](const Proposal &p, const QString &who, const QString &approvedBy, int seconds) {
            return ExecutionRequest { p.id, p.plan.fingerprint, who, approvedBy, at(seconds), resource, 10,
                Duration { 600'000 } };
        };
        const ExecutionClaim running = console->claimExecution(request(first, u"console"_s, {}, 20));
        QVERIFY(running.granted);
        const ExecutionClaim leased = run->claimExecution(request(second, u"run"_s, {}, 21));
        QVERIFY(!leased.granted);
        QVERIFY(leased.claimedBy.isEmpty());
        QVERIFY2(leased.reason.contains(running.executionId) && leased.reason.contains(u"console"_s),
            qPrintable(leased.reason));
        QCOMPARE(leased.retryAt, at(21) + Duration { 15'000 });

        console->finishExecution(running.executionId, ExecutionOutcome::Resolved, at(40));
        console->saveCooldown({ resource, at(220), u"connection-pool-exhaustion ran (resolved)"_s });
        const ExecutionClaim cooling = run->claimExecution(request(second, u"run"_s, {}, 60));
        QVERIFY(!cooling.granted);
        QCOMPARE(cooling.retryAt, at(220));
        QVERIFY2(cooling.reason.contains(u"cools down"_s), qPrintable(cooling.reason));
        QVERIFY(run->claimExecution(request(second, u"run"_s, {}, 221)).granted);
        QVERIFY2(m_failures.isEmpty(), qPrintable(m_failures.join(u'\n')));
    }

    // A database written by schema version 1 (tests/engine/fixtures/schema-v1.sql: what
    // `antibodyctl simulate --data-dir` wrote before migration 2, a healed pool and a
    // certificate renewal left waiting for approval) opens, migrates, still verifies, and
    // keeps the new rules.
    void aDatabaseOfSchemaVersion1Migrates()
    {
        const QString file = newFile();
        QVERIFY(loadDump(file, u"schema-v1.sql"_s));
        QCOMPARE(count(file, u"SELECT max(version) FROM schema_version"_s), 1);
        const qint64 incidents = count(file, u"SELECT count(*) FROM incidents"_s);
        const qint64 audit = count(file, u"SELECT count(*) FROM audit"_s);
        const qint64 waiting = waitingRows(file, u"awaiting approval"_s);
        QVERIFY(waiting > 0);

        auto store = open(file);
        QVERIFY(store);
        QCOMPARE(count(file, u"SELECT max(version) FROM schema_version"_s), Schema::latestVersion());
        QCOMPARE(count(file, u"SELECT count(*) FROM incidents"_s), incidents);
        // Migration 3 stores state identifiers and seals each changed row again.
        QCOMPARE(waitingRows(file, u"awaiting approval"_s), 0);
        QCOMPARE(waitingRows(file, u"awaiting_approval"_s), waiting);
        QCOMPARE(count(file, u"SELECT count(*) FROM audit"_s), audit + waiting);
        {
            SqliteDatabase db(file, SqliteDatabase::Access::ReadOnly, Duration { 1000 });
            const auto report = AuditVerifier::verify(db);
            QVERIFY2(
                report.intact(), qPrintable(report.problems.value(0).where + u": "_s + report.problems.value(0).what));
        }
        // The old incident waiting for approval has no problem key: it blocks nothing; new ones get the rules.
        const QString renewal = u"certificate-renewal|api-gateway"_s;
        QVERIFY(store->openIncident(fixtures::incident(u"INC-new"_s, at(0)), renewal).opened);
        auto other = open(file);
        QCOMPARE(other->openIncident(fixtures::incident(u"INC-other"_s, at(0)), renewal).heldBy, u"INC-new"_s);
        const Proposal p = seed(*store, u"new-p"_s);
        QVERIFY(
            store->claimExecution({ p.id, p.plan.fingerprint, u"me"_s, {}, at(10), u"service/api-gateway"_s, 0, {} })
                .granted);
        store->flush();
        SqliteDatabase db(file, SqliteDatabase::Access::ReadOnly, Duration { 1000 });
        const auto report = AuditVerifier::verify(db);
        QVERIFY2(report.intact(), qPrintable(report.problems.value(0).where + u": "_s + report.problems.value(0).what));
    }

    // The identifiers the store keeps never change, whatever the console calls the states;
    // each reads back as its state, and text no version wrote reads as nothing.
    void stateIdentifiersAreFixed()
    {
        const QList<std::pair<IncidentState, QString>> ids { { IncidentState::Open, u"open"_s },
            { IncidentState::Diagnosing, u"diagnosing"_s }, { IncidentState::Proposed, u"proposed"_s },
            { IncidentState::AwaitingApproval, u"awaiting_approval"_s }, { IncidentState::Executing, u"executing"_s },
            { IncidentState::Verifying, u"verifying"_s }, { IncidentState::Resolved, u"resolved"_s },
            { IncidentState::Escalated, u"escalated"_s }, { IncidentState::Interrupted, u"interrupted"_s } };
        for (const auto &[state, id] : ids) {
            QCOMPARE(incidentStateId(state), id);
            QCOMPARE(incidentStateFromId(id), std::optional(state));
        }
        QCOMPARE(incidentStateText(IncidentState::AwaitingApproval), u"awaiting approval"_s);
        QVERIFY(!incidentStateFromId(u"awaiting approval"_s));
        QVERIFY(!incidentStateFromId(u""_s));
        QVERIFY(!incidentStateFromId(u"OPEN"_s));
        for (const QString &text :
            { u"succeeded"_s, u"failed"_s, u"timed_out"_s, u"skipped"_s, u"blocked"_s, u"cancelled"_s, u"unknown"_s })
            QCOMPARE(stepResultText(stepResultFromText(text).value_or(StepResult::Failed)), text);
        for (const QString &text : { u"resolved"_s, u"escalated"_s, u"cancelled"_s, u"superseded"_s, u"interrupted"_s })
            QCOMPARE(executionOutcomeText(executionOutcomeFromText(text).value_or(ExecutionOutcome::Escalated)), text);
        QVERIFY(!stepResultFromText(u"timed out"_s));
        QVERIFY(!executionOutcomeFromText(u"Resolved"_s));
    }

    // A database written by schema version 2, the code before states were stored as
    // identifiers (tests/engine/fixtures/schema-v2.sql: `antibodyctl simulate --data-dir`
    // with a healed pool, then security-incident with --approve none, which leaves a plan
    // awaiting approval). It migrates to the identifiers, its audit trail still verifies,
    // and what is read back is the state it was in.
    void aDatabaseOfSchemaVersion2Migrates()
    {
        const QString file = newFile();
        QVERIFY(loadDump(file, u"schema-v2.sql"_s));
        QCOMPARE(count(file, u"SELECT max(version) FROM schema_version"_s), 2);
        const qint64 audit = count(file, u"SELECT count(*) FROM audit"_s);
        QCOMPARE(waitingRows(file, u"awaiting approval"_s), 2); // the incident and its transition

        auto store = open(file);
        QVERIFY(store);
        QCOMPARE(count(file, u"SELECT max(version) FROM schema_version"_s), Schema::latestVersion());
        QCOMPARE(waitingRows(file, u"awaiting approval"_s), 0);
        QCOMPARE(waitingRows(file, u"awaiting_approval"_s), 2);
        QCOMPARE(count(file, u"SELECT count(*) FROM audit"_s), audit + 2);
        QCOMPARE(count(file, u"SELECT count(*) FROM audit WHERE seq > %1 AND kind = 'sealed'"_s.arg(audit)), 2);
        SqliteDatabase db(file, SqliteDatabase::Access::ReadOnly, Duration { 1000 });
        const auto report = AuditVerifier::verify(db);
        QVERIFY2(report.intact(), qPrintable(report.problems.value(0).where + u": "_s + report.problems.value(0).what));
        QMap<QString, std::optional<IncidentState>> states;
        for (const IncidentTimes &t : IncidentTimes::read(db))
            states.insert(t.incidentId, t.state);
        QCOMPARE(states.size(), 2);
        QCOMPARE(
            states.value(u"INC-1b3b058fc45db611a8151de9f151ded9"_s), std::optional(IncidentState::AwaitingApproval));
        QCOMPARE(states.value(u"INC-13ef798fb71e064d7f2965bccc6675a9"_s), std::optional(IncidentState::Resolved));
        // Migrated once: opening again changes nothing.
        store.reset();
        auto again = open(file);
        QCOMPARE(count(file, u"SELECT count(*) FROM audit"_s), audit + 2);
    }

    // Another process on the same database is still running its execution: not ours to interrupt.
    void aLiveProcessKeepsItsExecutions()
    {
        const QString file = newFile();
        auto running = open(file);
        const Proposal p = seed(*running, u"P1"_s);
        QVERIFY(running->claimExecution(p.id, p.plan.fingerprint, u"alice@laptop (pid 1)"_s, {}, at(20)).granted);
        running->recordStepIntent(fixtures::step(p.id + u"-X"_s, u"kill_idle"_s, 1, at(21)));
        auto starting = open(file);
        QVERIFY(starting->unfinishedExecutions().isEmpty());
        running.reset(); // that process ends without finishing its execution
        QCOMPARE(starting->unfinishedExecutions().size(), 1);
        QVERIFY(!QFileInfo::exists(SqliteStore::ownersFolder(file) + u"/*.lock"_s));
    }
    // Informational records ride along with the next decision; decisions never wait.
    void batchedRecordsAreCommittedWithTheNextDecision()
    {
        const QString file = newFile();
        auto store = open(file);
        store->saveIncident(fixtures::incident(u"INC-1"_s, at(0)));
        store->append({ EngineEvent::Kind::Detected, at(0), u"INC-1"_s, u"pool at 96%"_s, {} });
        QCOMPARE(count(file, u"SELECT count(*) FROM incidents"_s), 0);
        store->append({ EngineEvent::Kind::Proposed, at(1), u"INC-1"_s, u"kill 2 idle connections"_s, {} });
        QCOMPARE(count(file, u"SELECT count(*) FROM incidents"_s), 1);
        QCOMPARE(count(file, u"SELECT count(*) FROM audit WHERE kind IN ('detected', 'proposed')"_s), 2);
    }

    void batchedRecordsAreCommittedWhenTheEventLoopTurns()
    {
        const QString file = newFile();
        auto store = open(file);
        store->append({ EngineEvent::Kind::FeedChanged, at(0), {}, u"simulator healthy"_s, {} });
        QCOMPARE(count(file, u"SELECT count(*) FROM audit"_s), 0);
        QTRY_COMPARE(count(file, u"SELECT count(*) FROM audit"_s), 1);
    }

    void batchLimitBoundsWhatARestartCanLose()
    {
        const QString file = newFile();
        auto store = open(file, SqliteStore::Options { Duration { 5000 }, true, 10 });
        for (int i = 0; i < 25; ++i)
            store->append({ EngineEvent::Kind::StateChanged, at(i), {}, u"tick %1"_s.arg(i), {} });
        QCOMPARE(count(file, u"SELECT count(*) FROM audit"_s), 20);
    }

    void unbatchedStoresCommitEverything()
    {
        const QString file = newFile();
        auto store = open(file, SqliteStore::Options { Duration { 5000 }, false, 1 });
        store->saveIncident(fixtures::incident(u"INC-1"_s, at(0)));
        QCOMPARE(count(file, u"SELECT count(*) FROM incidents"_s), 1);
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    TestSqliteStore sqliteOnly;
    std::vector<std::unique_ptr<StoreBackend>> backends;
    backends.push_back(std::make_unique<MemoryBackend>());
    backends.push_back(std::make_unique<SqliteBackend>());
    StoreContract contract(std::move(backends));
    std::vector<TokenBackend> tokenBackends;
    tokenBackends.push_back(
        { std::make_unique<MemoryBackend>(), [](Store &store) { return std::make_unique<MemoryTokens>(&store); } });
    tokenBackends.push_back({ std::make_unique<SqliteBackend>(),
        [](Store &store) { return std::make_unique<SqliteTokens>(dynamic_cast<SqliteStore &>(store).session()); } });
    TokenContract tokens(std::move(tokenBackends));
    // All three, and a failure in any fails the suite.
    const int sqlite = QTest::qExec(&sqliteOnly, argc, argv);
    const int store = QTest::qExec(&contract, argc, argv);
    return QTest::qExec(&tokens, argc, argv) | store | sqlite;
}

#include "tst_sqlitestore.moc"

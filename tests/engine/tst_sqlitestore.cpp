// SqliteStore as the engine uses it: the Store port's semantics (as MemoryStore
// keeps them, and more), what survives a restart, what the schema itself refuses,
// and what never reaches the file.
#include "engine/store/auditverifier.h"
#include "engine/store/incidenttimes.h"
#include "engine/store/memorystore.h"
#include "engine/store/schema.h"
#include "engine/store/sqlitedatabase.h"
#include "engine/store/sqlitestore.h"
#include "engine/store/storeerror.h"
#include "storefixtures.h"

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

    // Review finding #4: the first save of an incident was an upsert, so an incident that
    // drew a taken id replaced the first one's row and skipped its first transitions.
    // Now it is an insert: the second is refused, the first keeps its row and history.
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
    void aClaimHoldsTheResourceLeaseAndReadsTheStore()
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

    void anAutomatedClaimAfterAnInterruptionNeedsAHuman()
    {
        const QString file = newFile();
        auto store = open(file);
        const Proposal first = seed(*store, u"1"_s);
        const Proposal second = seed(*store, u"2"_s);
        const QString resource = u"service/orders-db"_s;
        const auto x
            = store->claimExecution({ first.id, first.plan.fingerprint, u"me"_s, {}, at(20), resource, 0, {} });
        store->finishExecution(x.executionId, ExecutionOutcome::Interrupted, at(30));
        const ExecutionClaim automated
            = store->claimExecution({ second.id, second.plan.fingerprint, u"me"_s, {}, at(40), resource, 0, {} });
        QVERIFY(!automated.granted);
        QVERIFY(automated.needsApproval);
        QVERIFY(store->recordApproval(fixtures::approval(second, u"alice"_s, at(41))).accepted);
        QVERIFY(
            store->claimExecution({ second.id, second.plan.fingerprint, u"me"_s, u"alice"_s, at(41), resource, 0, {} })
                .granted);
    }

    void theRateLimitIsCountedInTheStore()
    {
        const QString file = newFile();
        auto console = open(file);
        auto run = open(file);
        const Proposal first = seed(*console, u"1"_s);
        const Proposal second = seed(*console, u"2"_s);
        const Duration window { 600'000 };
        const auto x = console->claimExecution(
            { first.id, first.plan.fingerprint, u"console"_s, {}, at(20), u"service/a"_s, 1, window });
        QVERIFY(x.granted);
        const ExecutionClaim limited = run->claimExecution(
            { second.id, second.plan.fingerprint, u"run"_s, {}, at(30), u"service/b"_s, 1, window });
        QVERIFY(!limited.granted);
        QCOMPARE(limited.retryAt, at(20) + window);
        QCOMPARE(run->automatedRunsSince(at(0)).size(), 1);
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
        QCOMPARE(count(file, u"SELECT max(version) FROM schema_version"_s), 3);
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

    void anIncidentWithATakenIdIsRefusedNotOverwritten_data() { sharedSemantics_data(); }

    void anIncidentWithATakenIdIsRefusedNotOverwritten()
    {
        QFETCH(bool, durable);
        const QString file = newFile();
        std::unique_ptr<Store> store = durable ? std::unique_ptr<Store>(open(file)) : std::make_unique<MemoryStore>();
        Incident first = fixtures::incident(u"INC-same"_s, at(0));
        QVERIFY(store->openIncident(first, u"connection-pool-exhaustion|orders-db"_s).opened);
        first.state = IncidentState::Resolved;
        first.resolvedAt = at(60);
        first.history << Transition { IncidentState::Resolved, at(60), u"pool below 70%"_s };
        store->saveIncident(first);

        Incident second = fixtures::incident(u"INC-same"_s, at(500), u"crashloop"_s);
        second.service = u"checkout-svc"_s;
        const IncidentOpening opening = store->openIncident(second, u"crashloop|checkout-svc"_s);
        QVERIFY(!opening.opened);
        QVERIFY(opening.idTaken);
        QVERIFY2(opening.reason.contains(u"INC-same"_s), qPrintable(opening.reason));

        if (!durable) {
            const Incident kept = static_cast<MemoryStore &>(*store).incidents().value(u"INC-same"_s);
            QCOMPARE(kept.service, u"orders-db"_s);
            QCOMPARE(kept.state, IncidentState::Resolved);
            return;
        }
        static_cast<SqliteStore &>(*store).flush();
        QCOMPARE(
            count(file, u"SELECT count(*) FROM incidents WHERE service = 'orders-db' AND state = 'resolved'"_s), 1);
        QCOMPARE(count(file, u"SELECT detected_at FROM incidents"_s), toMillis(at(0)));
        QCOMPARE(count(file, u"SELECT count(*) FROM transitions WHERE incident_id = 'INC-same'"_s), 2);
        QVERIFY2(m_failures.isEmpty(), qPrintable(m_failures.join(u'\n')));
    }

    void sharedSemantics_data()
    {
        QTest::addColumn<bool>("durable");
        QTest::addRow("MemoryStore") << false;
        QTest::addRow("SqliteStore") << true;
    }

    // What MemoryStore promises, SqliteStore keeps: first claim wins, later ones learn
    // who and when; approvers are distinct per fingerprint.
    void sharedSemantics()
    {
        QFETCH(bool, durable);
        MemoryStore memory;
        std::unique_ptr<SqliteStore> sqlite = durable ? open(newFile()) : nullptr;
        Store &store = durable ? static_cast<Store &>(*sqlite) : memory;
        const Proposal p = seed(store, u"P1"_s);

        const auto a = store.recordApproval(fixtures::approval(p, u"alice"_s, at(20)));
        QVERIFY(a.accepted);
        const auto again = store.recordApproval(fixtures::approval(p, u"alice"_s, at(21)));
        QVERIFY(!again.accepted);
        QVERIFY2(again.reason.contains(u"alice already approved"_s), qPrintable(again.reason));
        QCOMPARE(store.recordApproval(fixtures::approval(p, u"bob"_s, at(22))).approvers,
            (QStringList { u"alice"_s, u"bob"_s }));

        const auto first = store.claimExecution(p.id, p.plan.fingerprint, u"alice-console"_s, u"alice,bob"_s, at(23));
        QVERIFY(first.granted);
        const auto second = store.claimExecution(p.id, p.plan.fingerprint, u"bob-console"_s, u"bob"_s, at(24));
        QVERIFY(!second.granted);
        QCOMPARE(second.executionId, first.executionId);
        QCOMPARE(second.claimedBy, u"alice-console"_s);
        QCOMPARE(second.approvedBy, u"alice,bob"_s);
        QCOMPARE(second.claimedAt, at(23));
        QVERIFY(m_failures.isEmpty());
    }

    void eventsKeepTheirNumbers_data() { sharedSemantics_data(); }

    // What a client's event stream resumes from: each event keeps one number, seals are
    // not events, and what came after a number is the same whenever it is asked.
    void eventsKeepTheirNumbers()
    {
        QFETCH(bool, durable);
        MemoryStore memory;
        std::unique_ptr<SqliteStore> sqlite = durable ? open(newFile()) : nullptr;
        Store &store = durable ? static_cast<Store &>(*sqlite) : memory;
        QVERIFY(store.eventsAfter(0, 10).isEmpty());
        seed(store, u"P1"_s); // records sealed into the chain: not events
        store.append(EngineEvent::make(EngineEvent::Kind::Detected, at(1), u"INC-P1"_s, u"pool exhausted"_s));
        store.append(EngineEvent::make(EngineEvent::Kind::Approved, at(2), u"INC-P1"_s, u"alice approved"_s,
            QJsonObject { { u"approver"_s, u"alice"_s } }));
        store.append(EngineEvent::make(EngineEvent::Kind::BreakerOpened, at(3), {}, u"breaker open"_s));

        const auto all = store.eventsAfter(0, 100);
        QCOMPARE(all.size(), 3);
        QCOMPARE(all.at(0).kind, u"detected"_s);
        QCOMPARE(all.at(0).incidentId, u"INC-P1"_s);
        QCOMPARE(all.at(1).data.value(u"approver"_s).toString(), u"alice"_s);
        QCOMPARE(all.at(2).at, at(3));
        QVERIFY(all.at(0).seq < all.at(1).seq && all.at(1).seq < all.at(2).seq);

        // Resuming after the first: the same two, with the same numbers; a limit pages.
        const auto rest = store.eventsAfter(all.at(0).seq, 100);
        QCOMPARE(rest.size(), 2);
        QCOMPARE(rest.at(0).seq, all.at(1).seq);
        const auto page = store.eventsAfter(0, 1);
        QCOMPARE(page.size(), 1);
        QCOMPARE(page.at(0).seq, all.at(0).seq);
        QVERIFY(store.eventsAfter(all.at(2).seq, 100).isEmpty());
        QVERIFY(store.eventsAfter(-5, 0).isEmpty());
        QVERIFY(m_failures.isEmpty());
    }

    void theStoreEnforcesTheApprovalRules_data()
    {
        QTest::addColumn<bool>("durable");
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("refusal");
        const QList<std::pair<const char *, const char *>> rules {
            { "claim of another plan", "is not the stored plan" },
            { "claim naming an approver never stored", "no approval of theirs is stored" },
            { "claim with 1 of 2 approvals", "1 of the 2 distinct approvals" },
            { "approval by the requester", "cannot also approve" },
            { "claim after the approval window", "approval window" },
            { "automated claim of a plan that waits for approval", "runs only with approval" },
            { "claim of a denied proposal", "is denied, not pending" },
            { "approval after the approval window", "approval window" },
            { "approval of a superseded proposal", "is superseded, not pending" },
            { "approval of a shown-only proposal", "nothing to approve" },
        };
        for (const bool durable : { false, true }) {
            for (const auto &[rule, refusal] : rules)
                QTest::addRow("%s: %s", durable ? "SqliteStore" : "MemoryStore", rule)
                    << durable << QString::fromUtf8(rule) << QString::fromUtf8(refusal);
        }
    }

    // Finding 9 of the reliability review: the store itself refuses what the approval
    // rules refuse, whatever the claiming process believes. Each row breaks one rule on
    // a stored proposal (approve mode, one approval needed, made at 10 s, expiring 15 min
    // later) and is refused with a reason that says which.
    void theStoreEnforcesTheApprovalRules()
    {
        QFETCH(bool, durable);
        QFETCH(QString, rule);
        QFETCH(QString, refusal);
        MemoryStore memory;
        std::unique_ptr<SqliteStore> sqlite = durable ? open(newFile()) : nullptr;
        Store &store = durable ? static_cast<Store &>(*sqlite) : memory;
        store.saveIncident(fixtures::incident(u"INC-P1"_s, at(0)));
        Proposal p = fixtures::proposal(u"P1"_s, u"INC-P1"_s, at(10), rule.contains(u"1 of 2"_s) ? 2 : 1,
            rule.contains(u"requester"_s) ? u"carol"_s : QString());
        if (rule.contains(u"denied"_s))
            p.state = Proposal::State::Denied;
        if (rule.contains(u"superseded"_s))
            p.state = Proposal::State::Superseded;
        if (rule.contains(u"shown-only"_s))
            p.decision.mode = Mode::Show;
        store.saveProposal(p);
        const TimePoint late = p.expiresAt + Duration { 1000 };

        QString answer;
        if (rule.startsWith(u"approval"_s)) {
            const ApprovalOutcome outcome = store.recordApproval(fixtures::approval(p,
                rule.contains(u"requester"_s) ? u"carol"_s : u"alice"_s, rule.contains(u"window"_s) ? late : at(20)));
            QVERIFY(!outcome.accepted);
            answer = outcome.reason;
        } else {
            if (!rule.contains(u"denied"_s) && !rule.contains(u"never stored"_s) && !rule.contains(u"automated"_s))
                QVERIFY(store.recordApproval(fixtures::approval(p, u"alice"_s, at(20))).accepted);
            QString fingerprint = p.plan.fingerprint;
            if (rule.contains(u"another plan"_s))
                fingerprint = fixtures::plan(p.incidentId, { u"pid 4799"_s }).fingerprint;
            const QString approvedBy = rule.contains(u"automated"_s) ? QString()
                : rule.contains(u"never stored"_s)                   ? u"mallory"_s
                                                                     : u"alice"_s;
            const ExecutionClaim claim = store.claimExecution(
                p.id, fingerprint, u"me"_s, approvedBy, rule.contains(u"window"_s) ? late : at(21));
            QVERIFY(!claim.granted);
            QVERIFY(claim.claimedBy.isEmpty());
            QVERIFY2(claim.reason.contains(u"nothing was executed"_s), qPrintable(claim.reason));
            answer = claim.reason;
            QVERIFY(store.unfinishedExecutions().isEmpty());
        }
        QVERIFY2(answer.contains(refusal), qPrintable(answer));
    }

    // The same proposal, its rules met, is claimed: the refusals above are the rules, not a broken claim.
    void theApprovalRulesMetGrantTheClaim()
    {
        for (MemoryStore memory; const bool durable : { false, true }) {
            std::unique_ptr<SqliteStore> sqlite = durable ? open(newFile()) : nullptr;
            Store &store = durable ? static_cast<Store &>(*sqlite) : memory;
            store.saveIncident(fixtures::incident(u"INC-P1"_s, at(0)));
            const Proposal p = fixtures::proposal(u"P1"_s, u"INC-P1"_s, at(10), 2, u"carol"_s);
            store.saveProposal(p);
            QVERIFY(store.recordApproval(fixtures::approval(p, u"alice"_s, at(20))).accepted);
            QVERIFY(store.recordApproval(fixtures::approval(p, u"bob"_s, p.expiresAt - Duration { 1000 })).accepted);
            const ExecutionClaim claim = store.claimExecution(
                p.id, p.plan.fingerprint, u"me"_s, u"alice, bob"_s, p.expiresAt - Duration { 500 });
            QVERIFY2(claim.granted, qPrintable(claim.reason));
        }
    }

    void aSecondExecutionIsImpossibleByConstraint()
    {
        const QString file = newFile();
        auto store = open(file);
        const Proposal p = seed(*store, u"P1"_s);
        QVERIFY(store->claimExecution(p.id, p.plan.fingerprint, u"me"_s, {}, at(20)).granted);
        // Not through the store's code: straight at the table, under another execution id.
        SqliteDatabase raw(file, SqliteDatabase::Access::ReadWrite, Duration { 1000 });
        try {
            raw.exec(
                u"INSERT INTO executions (id, proposal_id, incident_id, fingerprint, executor, owner, approved_by, "
                "started_at) VALUES ('other', 'P1', 'INC-P1', 'fp', 'intruder', '', '', 0)"_s);
            QFAIL("a second execution of P1 was inserted");
        } catch (const StoreError &e) {
            QVERIFY2(
                e.message().contains(u"UNIQUE constraint failed: executions.proposal_id"_s), qPrintable(e.message()));
        }
    }

    void theRequesterDoesNotApprove()
    {
        auto store = open(newFile());
        const Proposal p = seed(*store, u"P1"_s, 2, u"carol"_s);
        const auto own = store->recordApproval(fixtures::approval(p, u"carol"_s, at(20)));
        QVERIFY(!own.accepted);
        QVERIFY2(own.reason.contains(u"carol requested this action"_s), qPrintable(own.reason));
        QVERIFY(store->recordApproval(fixtures::approval(p, u"alice"_s, at(21))).accepted);
        const auto second = store->recordApproval(fixtures::approval(p, u"bob"_s, at(22)));
        QCOMPARE(second.approvers, (QStringList { u"alice"_s, u"bob"_s }));
    }

    void approvalsBindToThePlanShown()
    {
        auto store = open(newFile());
        Proposal p = seed(*store, u"P1"_s);
        QVERIFY(store->recordApproval(fixtures::approval(p, u"alice"_s, at(20))).accepted);
        // The world changed: the proposal was re-planned with other targets.
        const QString shown = p.plan.fingerprint;
        p.plan = fixtures::plan(p.incidentId, { u"pid 4720"_s });
        store->saveProposal(p);
        const auto stale = store->recordApproval(Approval { p.id, shown, u"bob"_s, at(30), true, {} });
        QVERIFY(!stale.accepted);
        QVERIFY2(stale.reason.contains(u"the plan changed"_s), qPrintable(stale.reason));
        // The new plan starts from zero approvers.
        QCOMPARE(
            store->recordApproval(fixtures::approval(p, u"alice"_s, at(31))).approvers, QStringList { u"alice"_s });
        QCOMPARE(count(store->file(), u"SELECT count(*) FROM plans WHERE proposal_id = 'P1'"_s), 2);
    }

    void lateApprovalsLearnWhoExecutes()
    {
        auto store = open(newFile());
        const Proposal p = seed(*store, u"P1"_s);
        QVERIFY(store->recordApproval(fixtures::approval(p, u"alice"_s, at(20))).accepted);
        QVERIFY(store->claimExecution(p.id, p.plan.fingerprint, u"alice@laptop (pid 1)"_s, u"alice"_s, at(20)).granted);
        const auto late = store->recordApproval(fixtures::approval(p, u"bob"_s, at(25)));
        QVERIFY(!late.accepted);
        QVERIFY2(late.reason.contains(u"approved by alice, run by alice@laptop (pid 1)"_s), qPrintable(late.reason));
        QVERIFY2(late.reason.contains(formatTime(at(20))), qPrintable(late.reason));
    }

    void unknownProposalsAreRefused()
    {
        auto store = open(newFile());
        const auto approval = store->recordApproval(Approval { u"nope"_s, u"fp"_s, u"alice"_s, at(1), true, {} });
        QVERIFY(!approval.accepted);
        QVERIFY(approval.reason.contains(u"no proposal nope"_s));
        const auto claim = store->claimExecution(u"nope"_s, u"fp"_s, u"me"_s, {}, at(1));
        QVERIFY(!claim.granted);
        QVERIFY(claim.claimedBy.isEmpty());
        QVERIFY2(claim.reason.contains(u"nothing was executed"_s), qPrintable(claim.reason));
    }

    void aStepRunsOnceAndNeverAfterItsExecutionEnded()
    {
        auto store = open(newFile());
        const Proposal p = seed(*store, u"P1"_s);
        const auto claim = store->claimExecution(p.id, p.plan.fingerprint, u"me"_s, {}, at(20));
        StepRecord s = fixtures::step(claim.executionId, u"kill_idle"_s, 1, at(21));
        s.id = store->recordStepIntent(s);
        QVERIFY(s.id > 0);
        QCOMPARE(store->recordStepIntent(s), 0);
        QVERIFY2(m_failures.value(0).contains(u"already started"_s), qPrintable(m_failures.value(0)));
        s.outcome = StepResult::Succeeded;
        s.finishedAt = at(22);
        store->recordStepOutcome(s);
        store->recordStepOutcome(s); // a second outcome is refused, the first stays
        QVERIFY(m_failures.value(1).contains(u"is not in flight"_s));
        QVERIFY(store->recordStepIntent(fixtures::step(claim.executionId, u"kill_idle"_s, 2, at(23))) > 0);
        store->finishExecution(claim.executionId, ExecutionOutcome::Interrupted, at(24));
        QCOMPARE(store->recordStepIntent(fixtures::step(claim.executionId, u"kill_idle"_s, 3, at(25))), 0);
        QVERIFY(m_failures.value(2).contains(u"already ended (interrupted)"_s));
        QCOMPARE(count(store->file(), u"SELECT count(*) FROM steps"_s), 2);
    }

    void executionsInFlightSurviveARestart()
    {
        const QString file = newFile();
        QString executionId;
        {
            auto store = open(file);
            const Proposal p = seed(*store, u"P1"_s);
            QVERIFY(store->recordApproval(fixtures::approval(p, u"alice"_s, at(20))).accepted);
            executionId = store->claimExecution(p.id, p.plan.fingerprint, u"me"_s, u"alice"_s, at(20)).executionId;
            StepRecord done = fixtures::step(executionId, u"diagnose"_s, 1, at(21));
            done.id = store->recordStepIntent(done);
            done.outcome = StepResult::Succeeded;
            done.finishedAt = at(22);
            done.affected = { u"pid 4711"_s };
            store->recordStepOutcome(done);
            store->recordStepIntent(fixtures::step(executionId, u"kill_idle"_s, 1, at(23)));
            // The process dies here: no finishExecution.
        }
        auto store = open(file);
        const auto unfinished = store->unfinishedExecutions();
        QCOMPARE(unfinished.size(), 1);
        const ExecutionRecord &e = unfinished.front();
        QCOMPARE(e.id, executionId);
        QCOMPARE(e.incidentId, u"INC-P1"_s);
        QCOMPARE(e.approvedBy, u"alice"_s);
        QCOMPARE(e.steps.size(), 2);
        QCOMPARE(e.steps[0].outcome, std::optional(StepResult::Succeeded));
        QCOMPARE(e.steps[0].affected, QStringList { u"pid 4711"_s });
        QVERIFY(!e.steps[1].outcome); // in flight: outcome unknown
        QCOMPARE(e.steps[1].targets, QStringList { u"pid 4711"_s });
        store->finishExecution(executionId, ExecutionOutcome::Interrupted, at(100));
        QVERIFY(store->unfinishedExecutions().isEmpty());
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

    void breakersAndCooldownsSurviveARestart()
    {
        const QString file = newFile();
        BreakerState open_;
        open_.type = u"connection-pool-exhaustion"_s;
        open_.state = BreakerState::State::Open;
        open_.failures = { at(10), at(200), at(400) };
        open_.openedAt = at(400);
        open_.lastReason = u"3 failures within 10m"_s;
        const Cooldown cooldown { u"database/orders-db"_s, at(580), u"remediated at 400s"_s };
        {
            auto store = open(file);
            store->saveBreaker(open_);
            store->saveCooldown(cooldown);
        }
        auto store = open(file);
        const auto breakers = store->loadBreakers();
        QCOMPARE(breakers.size(), 1);
        QCOMPARE(breakers[0].state, BreakerState::State::Open);
        QCOMPARE(breakers[0].failures, open_.failures);
        QCOMPARE(breakers[0].openedAt, open_.openedAt);
        QCOMPARE(breakers[0].lastReason, open_.lastReason);
        const auto cooldowns = store->loadCooldowns();
        QCOMPARE(cooldowns.size(), 1);
        QCOMPARE(cooldowns[0].resource, cooldown.resource);
        QCOMPARE(cooldowns[0].until, cooldown.until);
        // Closing it is a new state, not a reset of the history.
        open_.state = BreakerState::State::Closed;
        open_.openedAt.reset();
        store->saveBreaker(open_);
        QCOMPARE(store->loadBreakers().front().state, BreakerState::State::Closed);
        QVERIFY(!store->loadBreakers().front().openedAt);
    }

    void drillsAreKept()
    {
        auto store = open(newFile());
        QVERIFY(!store->lastDrill(u"connection-pool-exhaustion"_s));
        store->saveDrill({ u"connection-pool-exhaustion"_s, u"pool-leak"_s, true, u"resolved"_s, Duration { 41'000 },
            at(100), u"resolved in 41s, under the 2m bound"_s });
        store->saveDrill({ u"connection-pool-exhaustion"_s, u"pool-leak"_s, false, u"escalated"_s, std::nullopt,
            at(200), u"escalated: verify_recovery failed"_s });
        store->saveDrill(
            { u"stateless-restart"_s, u"crashloop"_s, true, u"resolved"_s, Duration { 9'000 }, at(300), {} });
        const auto last = store->lastDrill(u"connection-pool-exhaustion"_s);
        QVERIFY(last);
        QCOMPARE(last->passed, false);
        QCOMPARE(last->outcome, u"escalated"_s);
        QVERIFY(!last->mttr);
        QCOMPARE(store->drills(u"connection-pool-exhaustion"_s).size(), 2);
        QCOMPARE(store->drills().size(), 3);
        QCOMPARE(store->drills().front().mttr, Duration { 41'000 });
    }

    void incidentsKeepHistoryAlertsAndDiagnostics()
    {
        auto store = open(newFile());
        Incident i = fixtures::incident(u"INC-1"_s, at(30));
        store->saveIncident(i);
        store->saveAlert(i.id, fixtures::alert(i.id, at(0), at(30)));
        i.state = IncidentState::Diagnosing;
        i.history << Transition { IncidentState::Diagnosing, at(31), u"collecting diagnostics"_s };
        i.diagnostics = QJsonObject { { u"db_active_connections"_s, 19 } };
        store->saveIncident(i);
        store->saveIncident(i); // the same snapshot again adds nothing
        i.state = IncidentState::Resolved;
        i.resolvedAt = at(95);
        i.history << Transition { IncidentState::Resolved, at(95), u"pool below 70%"_s };
        store->saveIncident(i);
        const QString file = store->file();
        QCOMPARE(count(file, u"SELECT count(*) FROM transitions WHERE incident_id = 'INC-1'"_s), 3);
        QCOMPARE(count(file, u"SELECT count(*) FROM diagnostics"_s), 1);
        QCOMPARE(count(file, u"SELECT count(*) FROM alerts"_s), 1);
        QCOMPARE(count(file, u"SELECT resolved_at FROM incidents"_s), toMillis(at(95)));
        QCOMPARE(count(file, u"SELECT count(*) FROM audit WHERE kind = 'sealed' AND detail LIKE 'incidents %'"_s), 3);
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

    void theSchemaRefusesEditsAndDeletions_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("refusal");
        QTest::addRow("edit an audit row")
            << u"UPDATE audit SET detail = 'nothing happened' WHERE seq = 1"_s << u"append-only"_s;
        QTest::addRow("delete an audit row") << u"DELETE FROM audit WHERE seq = 1"_s << u"append-only"_s;
        QTest::addRow("append out of chain")
            << u"INSERT INTO audit VALUES (99, 0, 0, 'approved', '', '', '{}', 'x', 'y')"_s
            << u"only grows at its head"_s;
        QTest::addRow("rewind the head") << u"UPDATE audit_head SET seq = 1"_s << u"only moves forward"_s;
        QTest::addRow("change an approval") << u"UPDATE approvals SET approver = 'mallory'"_s << u"final"_s;
        QTest::addRow("delete an approval") << u"DELETE FROM approvals"_s << u"keeps every record"_s;
        QTest::addRow("rewrite a finished execution")
            << u"UPDATE executions SET outcome = 'resolved'"_s << u"only gets its outcome, once"_s;
        QTest::addRow("delete an incident") << u"DELETE FROM incidents"_s << u"keeps every record"_s;
        QTest::addRow("approve one's own request")
            << u"INSERT INTO approvals (proposal_id, fingerprint, approver, decision, reason, at) "
               "SELECT id, fingerprint, requested_by, 'approved', '', 0 FROM proposals"_s
            << u"cannot approve it"_s;
    }

    void theSchemaRefusesEditsAndDeletions()
    {
        QFETCH(QString, sql);
        QFETCH(QString, refusal);
        const QString file = newFile();
        {
            auto store = open(file);
            const Proposal p = seed(*store, u"P1"_s, 1, u"carol"_s);
            store->recordApproval(fixtures::approval(p, u"alice"_s, at(20)));
            const auto claim = store->claimExecution(p.id, p.plan.fingerprint, u"me"_s, u"alice"_s, at(21));
            store->finishExecution(claim.executionId, ExecutionOutcome::Escalated, at(22));
        }
        SqliteDatabase raw(file, SqliteDatabase::Access::ReadWrite, Duration { 1000 });
        try {
            raw.exec(sql);
            QFAIL("the statement was accepted");
        } catch (const StoreError &e) {
            QVERIFY2(e.message().contains(refusal), qPrintable(e.message()));
        }
    }

    void secretsNeverReachTheFile()
    {
        const QString dir = m_dir.filePath(u"secrets"_s);
        QDir().mkpath(dir);
        const QStringList secrets { u"hunter2-db-pass"_s, u"tok-9f8e7d6c5b4a"_s, u"c2VjcmV0OnNlY3JldA"_s,
            u"R0utingKey42xyz"_s, u"s3cr3t-in-dsn"_s, u"ghp_abcdefghijklmnopqrstuvwxyz0123456789"_s };
        {
            auto store = open(dir + u"/antibody.db"_s);
            Incident i = fixtures::incident(u"INC-1"_s, at(0));
            i.annotations = { { u"runbook_url"_s, u"https://ops:hunter2-db-pass@wiki.example.com/pool"_s } };
            i.diagnostics = QJsonObject { { u"connection"_s, u"host=orders-db user=app password=s3cr3t-in-dsn"_s },
                { u"api_key"_s, u"tok-9f8e7d6c5b4a"_s } };
            store->saveIncident(i);
            Proposal p = fixtures::proposal(u"P1"_s, u"INC-1"_s, at(1));
            p.plan.steps[0].params.insert(u"routing_key"_s, u"R0utingKey42xyz"_s);
            store->saveProposal(p);
            store->append({ EngineEvent::Kind::Paged, at(2), u"INC-1"_s,
                u"paged with Authorization: Basic c2VjcmV0OnNlY3JldA"_s,
                QJsonObject { { u"headers"_s, QJsonObject { { u"Authorization"_s, u"Bearer tok-9f8e7d6c5b4a"_s } } },
                    { u"note"_s, u"token ghp_abcdefghijklmnopqrstuvwxyz0123456789 used"_s } } });
            const auto claim = store->claimExecution(p.id, p.plan.fingerprint, u"me"_s, {}, at(3));
            StepRecord s = fixtures::step(claim.executionId, u"kill_idle"_s, 1, at(4));
            s.params.insert(u"password"_s, u"hunter2-db-pass"_s);
            store->recordStepIntent(s);
        }
        QDirIterator files(dir, QDir::Files);
        int read = 0;
        while (files.hasNext()) {
            QFile f(files.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            read += bytes.isEmpty() ? 0 : 1;
            for (const QString &secret : secrets)
                QVERIFY2(!bytes.contains(secret.toUtf8()), qPrintable(f.fileName() + u" holds "_s + secret));
        }
        QVERIFY(read >= 1);
        QVERIFY(count(dir + u"/antibody.db"_s, u"SELECT count(*) FROM audit WHERE data LIKE '%[redacted]%'"_s) >= 1);
    }
};

QTEST_GUILESS_MAIN(TestSqliteStore)
#include "tst_sqlitestore.moc"

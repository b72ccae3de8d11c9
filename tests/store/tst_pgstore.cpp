// PostgresStore: the Store contract (storecontract.cpp) and what only a store shared by
// replicas has: the leader lease with its fencing epoch in virtual time, a stale leader's
// writes refused, claims raced by two sessions, migrations, hostile text, and DSN passwords
// kept out of every message. Against the cluster of scripts/teamdb (the ctest fixture).
#include "engine/domain/recordjson.h"
#include "engine/store/storeerror.h"
#include "pgharness.h"
#include "store/postgres/pgschema.h"
#include "store/postgres/pgtokens.h"
#include "storefixtures.h"
#include "tokencontract.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <barrier>
#include <thread>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace antibody::pgtest;
using fixtures::at;

namespace {

Proposal seed(Store &store, const QString &id)
{
    store.saveIncident(fixtures::incident(u"INC-"_s + id, at(0)));
    Proposal p = fixtures::proposal(id, u"INC-"_s + id, at(10));
    p.decision.mode = Mode::Auto;
    store.saveProposal(p);
    return p;
}

} // namespace

class TestPgStore : public QObject
{
    Q_OBJECT

    VirtualClock m_clock;
    const TimePoint m_start = m_clock.now();

private Q_SLOTS:
    // River's and Vault's lease on the database's clock, in virtual time: granted when
    // free, renewed while held, taken over under the next epoch once it expired.
    void theLeaseIsAcquiredRenewedAndTakenOverUnderTheNextEpoch()
    {
        const QString db = createDatabase(u"lease"_s);
        Replica a(db, u"replica-a"_s, m_clock, m_start);
        Replica b(db, u"replica-b"_s, m_clock, m_start);
        QSignalSpy lost(a.lease.get(), &LeaderLease::lost);
        QVERIFY(a.lease->tryAcquire());
        QCOMPARE(a.lease->epoch(), std::optional<qint64>(1));
        QVERIFY(!b.lease->tryAcquire());
        QCOMPARE(b.lease->holding()->holder, u"replica-a"_s);
        QVERIFY(b.lease->holding()->live);

        m_clock.advanceBy(Duration { 5'000 });
        QVERIFY(a.lease->renew()); // expires 15 s after this renew, at 20 s
        m_clock.advanceBy(Duration { 14'000 });
        QVERIFY(!b.lease->tryAcquire()); // 19 s: still A's
        m_clock.advanceBy(Duration { 1'001 });
        QVERIFY(b.lease->tryAcquire()); // A stopped renewing: B leads under the next epoch
        QCOMPARE(b.lease->epoch(), std::optional<qint64>(2));
        QVERIFY(!a.lease->renew());
        QVERIFY(!a.lease->isLeader());
        QCOMPARE(lost.size(), 1);
        QVERIFY2(lost.front().front().toString().contains(u"replica-b took the lease over (epoch 2)"_s),
            qPrintable(lost.front().front().toString()));

        // Stepping down hands the lease over at once, and the epoch still grows.
        b.lease->stepDown();
        QVERIFY(a.lease->tryAcquire());
        QCOMPARE(a.lease->epoch(), std::optional<qint64>(3));
    }

    // A leader whose renews stop landing stops acting after 10 s, whatever the row says.
    void aLeaderWithoutALandedRenewFor10sStopsWriting()
    {
        const QString db = createDatabase(u"lost"_s);
        Replica a(db, u"replica-a"_s, m_clock, m_start);
        QVERIFY(a.lease->tryAcquire());
        a.store->saveCooldown({ u"service/orders-db"_s, at(100), u"remediated"_s });
        QVERIFY(a.failures.isEmpty());
        m_clock.advanceBy(Duration { 10'000 });
        QVERIFY(!a.lease->isLeader());
        a.store->saveCooldown({ u"service/checkout"_s, at(100), u"remediated"_s });
        QVERIFY2(a.failures.value(0).contains(u"does not hold the leader lease"_s), qPrintable(a.failures.value(0)));
        auto database = pgtest::look(db);
        QCOMPARE(scalar(*database, u"SELECT count(*) FROM cooldowns"_s), 1);
    }

    // start(): renewals every 5 s on the clock keep the lease for a minute; the standby
    // takes over within the TTL once the leader stops.
    void renewalsKeepTheLeaseAndAStandbyTakesOverWithinTheTtl()
    {
        const QString db = createDatabase(u"ticks"_s);
        auto a = std::make_unique<Replica>(db, u"replica-a"_s, m_clock, m_start);
        Replica b(db, u"replica-b"_s, m_clock, m_start);
        a->lease->start();
        b.lease->start();
        for (int i = 0; i < 12; ++i)
            m_clock.advanceBy(Duration { 5'000 });
        QVERIFY(a->lease->isLeader());
        QVERIFY(!b.lease->isLeader());
        // A dies without stepping down: its row stays until it expires.
        a->lease->setDatabaseTimeShift([] { return Duration { -3'600'000 }; }); // its clock no longer matters
        a->store->session().fenceWith({});
        const TimePoint died = m_clock.now();
        a.reset();
        QVERIFY(!b.lease->isLeader());
        while (!b.lease->isLeader() && m_clock.now() - died < Duration { 30'000 })
            m_clock.advanceBy(Duration { 1'000 });
        QVERIFY(b.lease->isLeader());
        QVERIFY2(m_clock.now() - died <= Duration { 20'000 }, qPrintable(formatDuration(m_clock.now() - died)));
    }

    // Kleppmann's fencing token: a leader paused past its lease still believes it leads;
    // every write it tries (claim, step outcome, approval) is refused and nothing is written.
    void aStaleLeadersWritesAreRefusedByTheEpoch()
    {
        const QString db = createDatabase(u"fenced"_s);
        Replica a(db, u"replica-a"_s, m_clock, m_start);
        QVERIFY(a.lease->tryAcquire());
        const Proposal first = seed(*a.store, u"P1"_s);
        Proposal second = fixtures::proposal(u"P2"_s, u"INC-P1"_s, at(10));
        a.store->saveProposal(second);
        const auto claim = a.store->claimExecution(first.id, first.plan.fingerprint, u"a"_s, {}, at(20));
        QVERIFY(claim.granted);
        StepRecord step = fixtures::step(claim.executionId, u"kill_idle"_s, 1, at(21));
        step.id = a.store->recordStepIntent(step);
        QVERIFY(step.id > 0);
        // A pauses (a long GC, a partition); B takes over once the lease expired.
        a.store->session().fenceWith([] { return std::optional<qint64>(1); }); // what A still believes
        m_clock.advanceBy(Duration { 16'000 });
        Replica b(db, u"replica-b"_s, m_clock, m_start);
        QVERIFY(b.lease->tryAcquire());
        auto database = pgtest::look(db);
        const qint64 audit = scalar(*database, u"SELECT count(*) FROM audit"_s);

        const auto late = a.store->claimExecution(second.id, second.plan.fingerprint, u"a"_s, {}, at(40));
        QVERIFY(!late.granted);
        step.outcome = StepResult::Succeeded;
        step.finishedAt = at(41);
        a.store->recordStepOutcome(step);
        QVERIFY(!a.store->recordApproval(fixtures::approval(second, u"alice"_s, at(42))).accepted);
        QCOMPARE(a.failures.size(), 3);
        for (const QString &failure : a.failures)
            QVERIFY2(failure.contains(u"writes under epoch 1"_s) && failure.contains(u"epoch 2 (held by replica-b)"_s),
                qPrintable(failure));
        QCOMPARE(scalar(*database, u"SELECT count(*) FROM audit"_s), audit);
        QCOMPARE(scalar(*database, u"SELECT count(*) FROM executions"_s), 1);
        QCOMPARE(scalar(*database, u"SELECT count(*) FROM steps WHERE outcome IS NULL"_s), 1);
        QCOMPARE(scalar(*database, u"SELECT count(*) FROM approvals"_s), 0);

        // B recovers A's execution: never runs a step of it again, ends it interrupted.
        const auto unfinished = b.store->unfinishedExecutions();
        QCOMPARE(unfinished.size(), 1);
        QCOMPARE(unfinished.front().id, claim.executionId);
        QCOMPARE(b.store->recordStepIntent(fixtures::step(claim.executionId, u"kill_idle"_s, 2, at(50))), 0);
        QVERIFY2(b.failures.value(0).contains(u"claimed under lease epoch 1"_s), qPrintable(b.failures.value(0)));
        StepRecord inFlight = unfinished.front().steps.front();
        inFlight.outcome = StepResult::Unknown;
        inFlight.finishedAt = at(50);
        b.store->recordStepOutcome(inFlight);
        b.store->finishExecution(claim.executionId, ExecutionOutcome::Interrupted, at(50));
        QCOMPARE(b.failures.size(), 1);
        QVERIFY(b.store->unfinishedExecutions().isEmpty());
    }

    // A standby serves reads; every write it tries is refused, with the reason.
    void aStandbyReadsAndWritesNothing()
    {
        const QString db = createDatabase(u"standby"_s);
        Replica a(db, u"replica-a"_s, m_clock, m_start);
        Replica b(db, u"replica-b"_s, m_clock, m_start);
        QVERIFY(a.lease->tryAcquire());
        const Proposal p = seed(*a.store, u"P1"_s);
        QVERIFY(a.store->recordApproval(fixtures::approval(p, u"alice"_s, at(20))).accepted);
        QCOMPARE(b.store->approversOf(p.id, p.plan.fingerprint), QStringList { u"alice"_s });
        QVERIFY(!b.store->claimExecution(p.id, p.plan.fingerprint, u"b"_s, {}, at(21)).granted);
        QVERIFY2(b.failures.value(0).contains(u"does not hold the leader lease 'engine'"_s),
            qPrintable(b.failures.value(0)));
        QVERIFY(!b.store->findExecution(p.id));
    }

    // What a standby shows its consoles: the open incidents and their current proposals
    // read back from the store exactly as the leader's engine held them (the record a
    // console reads is the same JSON), approvals of the plan included; an incident that
    // ended is read when asked for by id; no id is ever part of the statement.
    void aStandbyReadsTheOpenRecordsAsTheLeaderHeldThem()
    {
        const QString db = createDatabase(u"openrecords"_s);
        Replica a(db, u"replica-a"_s, m_clock, m_start);
        Replica b(db, u"replica-b"_s, m_clock, m_start);
        QVERIFY(a.lease->tryAcquire());
        Incident open = fixtures::incident(u"INC-OPEN"_s, at(0));
        open.annotations = { { u"summary"_s, u"pool at 96% \"of\" 100"_s } };
        open.facts = { { u"diagnose.idle"_s, 7 }, { u"diagnose.host"_s, u"db-1"_s } };
        open.guards = { Guard::TransactionsInFlight };
        open.diagnostics = QJsonObject { { u"findings"_s, QJsonArray { u"7 idle connections"_s } } };
        QCOMPARE(a.store->openIncident(open, u"pool/orders-db"_s).opened, true);
        a.store->saveAlert(open.id, fixtures::alert(open.id, at(0), at(1)));
        Proposal waiting = fixtures::proposal(u"P-OPEN"_s, open.id, at(10), 2);
        a.store->saveProposal(waiting);
        QVERIFY(a.store->recordApproval(fixtures::approval(waiting, u"alice"_s, at(20))).accepted);
        waiting.approvals << fixtures::approval(waiting, u"alice"_s, at(20));
        open.proposalId = waiting.id;
        open.state = IncidentState::AwaitingApproval;
        open.history << Transition { IncidentState::AwaitingApproval, at(10), u"waits for two people"_s };
        a.store->saveIncident(open);
        Incident ended = fixtures::incident(u"INC-ENDED"_s, at(5));
        ended.state = IncidentState::Resolved;
        ended.resolvedAt = at(30);
        ended.history << Transition { IncidentState::Resolved, at(30), u"verified"_s };
        a.store->saveIncident(ended);

        const auto view = static_cast<OpenRecords &>(*b.store).openRecords({}, {}, 500);
        QVERIFY(view);
        QCOMPARE(view->incidents.size(), 1);
        QCOMPARE(RecordJson::incident(view->incidents.front()), RecordJson::incident(open));
        QCOMPARE(view->proposals.size(), 1);
        QCOMPARE(RecordJson::proposal(view->proposals.front()), RecordJson::proposal(waiting));
        QVERIFY2(b.failures.isEmpty(), qPrintable(b.failures.join(u'\n')));

        const QString hostile = u"INC-X') OR true; DROP TABLE incidents; --"_s;
        const auto asked = static_cast<OpenRecords &>(*b.store).openRecords({ ended.id, hostile }, {}, 500);
        QVERIFY(asked);
        QCOMPARE(asked->incidents.size(), 2);
        QCOMPARE(asked->incidents.at(1).id, ended.id);
        QCOMPARE(asked->incidents.at(1).state, IncidentState::Resolved);
        QVERIFY(b.failures.isEmpty());

        // At most `limit` open ones, the oldest first: a console is never flooded.
        a.store->openIncident(fixtures::incident(u"INC-LATER"_s, at(40)), u"pool/payments-db"_s);
        const auto limited = static_cast<OpenRecords &>(*b.store).openRecords({}, {}, 1);
        QVERIFY(limited);
        QCOMPARE(limited->incidents.size(), 1);
        QCOMPARE(limited->incidents.front().id, open.id);

        // What the reader's engine holds is not read (nor counted against the limit), asked
        // for again or not; a hostile held id is a parameter too.
        const auto leader = static_cast<OpenRecords &>(*b.store).openRecords({ open.id }, { open.id, hostile }, 1);
        QVERIFY(leader);
        QCOMPARE(leader->incidents.size(), 1);
        QCOMPARE(leader->incidents.front().id, u"INC-LATER"_s);
        QVERIFY(leader->proposals.isEmpty());
        QVERIFY2(b.failures.isEmpty(), qPrintable(b.failures.join(u'\n')));
    }

    // A token is an admin's record, not the engine's: a replica that stands by (as
    // `antibodyctl token` always does) writes it, and the leader's audit chain goes on.
    void tokenWritesAreNotFencedByTheLease()
    {
        const QString db = createDatabase(u"tokens"_s);
        Replica a(db, u"replica-a"_s, m_clock, m_start);
        Replica b(db, u"replica-b"_s, m_clock, m_start);
        QVERIFY(a.lease->tryAcquire());
        PgTokens tokens(b.store->session());
        const ApiToken t = ApiTokens::issue(u"alice"_s, {}, u"root"_s, at(0), ApiTokens::defaultLifetime).record;
        const TokenWrite created = tokens.createToken(t);
        QVERIFY2(created.done, qPrintable(created.reason + b.failures.join(u"; "_s)));
        QVERIFY(tokens.revokeToken(t.id, u"carol"_s, at(5)).done);
        a.store->saveCooldown({ u"service/orders-db"_s, at(100), u"remediated"_s });
        QVERIFY(a.failures.isEmpty());
        auto database = pgtest::look(db);
        QCOMPARE(scalar(*database, u"SELECT count(*) FROM audit WHERE kind LIKE 'token_%'"_s), 2);
        QVERIFY2(pgtest::auditProblems(*database).isEmpty(), qPrintable(pgtest::auditProblems(*database)));
    }

    // Two sessions of the leader claim one proposal at the same moment, 200 times: the
    // claim's lock and UNIQUE (proposal_id) let exactly one through each time.
    void twoSessionsRacingForOneClaimGrantItOnce()
    {
        const QString db = createDatabase(u"race"_s);
        Replica a(db, u"replica-a"_s, m_clock, m_start);
        Replica b(db, u"replica-a"_s, m_clock, m_start);
        QVERIFY(a.lease->tryAcquire());
        b.store->session().fenceWith([&a] { return a.lease->epoch(); }); // the same leader's second connection
        const int rounds = 200;
        QList<Proposal> proposals;
        for (int i = 0; i < rounds; ++i)
            proposals << seed(*a.store, u"R%1"_s.arg(i));
        std::barrier start(2);
        QList<ExecutionClaim> first(rounds);
        QList<ExecutionClaim> second(rounds);
        QElapsedTimer timer;
        timer.start();
        auto race = [&](PostgresStore &store, QList<ExecutionClaim> &out, const QString &who) {
            for (int i = 0; i < rounds; ++i) {
                start.arrive_and_wait();
                out[i] = store.claimExecution(proposals[i].id, proposals[i].plan.fingerprint, who, {}, at(20));
            }
        };
        std::thread other([&] { race(*b.store, second, u"b"_s); });
        race(*a.store, first, u"a"_s);
        other.join();
        const qint64 ms = timer.elapsed();
        int doubles = 0;
        for (int i = 0; i < rounds; ++i) {
            QVERIFY2(first[i].granted != second[i].granted,
                qPrintable(u"round %1: %2 / %3"_s.arg(i).arg(first[i].reason, second[i].reason)));
            const ExecutionClaim &loser = first[i].granted ? second[i] : first[i];
            QCOMPARE(loser.claimedBy, first[i].granted ? u"a"_s : u"b"_s);
            doubles += first[i].granted && second[i].granted;
        }
        QCOMPARE(doubles, 0);
        auto database = pgtest::look(db);
        QCOMPARE(scalar(*database, u"SELECT count(*) FROM executions"_s), rounds);
        qInfo("%d claims raced by two sessions in %lld ms (%.0f claims/s)", 2 * rounds, ms, 2000.0 * rounds / ms);
    }

    void migrationsRunOnceOnAnEmptyDatabase()
    {
        const QString db = createDatabase(u"migrate"_s);
        auto database = pgtest::look(db);
        const QString objects = u"SELECT (SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                                "'public') * 1000 + (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal)"_s;
        {
            Replica first(db, u"replica-a"_s, m_clock, m_start);
        }
        QCOMPARE(scalar(*database, u"SELECT max(version) FROM schema_version"_s), PgSchema::latestVersion());
        const qint64 built = scalar(*database, objects);
        QVERIFY(built > 16'000); // 17 tables, and their triggers
        Replica second(db, u"replica-b"_s, m_clock, m_start);
        QCOMPARE(scalar(*database, u"SELECT count(*) FROM schema_version"_s), PgSchema::latestVersion());
        QCOMPARE(scalar(*database, objects), built);
    }

    void aNewerOrForeignDatabaseIsRefusedWithALocatedMessage()
    {
        const QString db = createDatabase(u"newer"_s);
        {
            Replica first(db, u"replica-a"_s, m_clock, m_start);
        }
        auto database = pgtest::look(db);
        QVERIFY(database->exec(u"INSERT INTO schema_version VALUES (99, 'from the future', 'later')"_s).ok);
        QString error;
        QVERIFY(!PostgresStore::open({ dsn(db), {}, u"replica-b"_s }, &error));
        for (const QString &part :
            { u"host=127.0.0.1 port="_s, u"dbname=%1"_s.arg(db), u"schema version 99"_s, u"upgrade Antibody"_s })
            QVERIFY2(error.contains(part), qPrintable(error));

        const QString foreign = createDatabase(u"foreign"_s);
        QVERIFY(look(foreign)->exec(u"CREATE TABLE invoices (id int)"_s).ok);
        QVERIFY(!PostgresStore::open({ dsn(foreign), {}, u"replica-b"_s }, &error));
        QVERIFY2(
            error.contains(u"tables of something else (`invoices`"_s) && error.contains(u"dbname=%1"_s.arg(foreign)),
            qPrintable(error));
    }

    void hostileTextRoundTripsOrIsRefused_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("storable");
        QTest::addRow("quotes and SQL") << u"'; DROP TABLE incidents; -- \"x\" \\ $1"_s << true;
        QTest::addRow("unicode") << u"Ünïcödé 🚨 日本語 \u202e rtl"_s << true;
        QTest::addRow("control characters") << u"line\nnext\ttab\r\x1b[31m"_s << true;
        QTest::addRow("1 MiB") << QString(1 << 20, u'x') << true;
        QTest::addRow("NUL") << u"before"_s + QChar(u'\0') + u"after"_s << false;
    }

    // Names are keys of unique indexes (one approval per approver and plan), whose entries
    // PostgreSQL caps at about 2.7 kB: a longer name is refused by a constraint that says so.
    void anApproverNameTooLongForItsIndexIsRefused()
    {
        const QString db = createDatabase(u"longname"_s);
        Replica a(db, u"replica-a"_s, m_clock, m_start);
        QVERIFY(a.lease->tryAcquire());
        const Proposal p = seed(*a.store, u"P1"_s);
        // Random, so that compression cannot shrink it under the cap.
        QRandomGenerator random(20);
        QString name;
        for (int i = 0; i < 10'000; ++i)
            name += QChar(u'a' + int(random.bounded(26)));
        QVERIFY(!a.store->recordApproval(fixtures::approval(p, name, at(20))).accepted);
        QVERIFY2(a.failures.value(0).contains(u"approver_at_most_1024_characters"_s),
            qPrintable(a.failures.value(0).right(300)));
        QVERIFY(a.store->recordApproval(fixtures::approval(p, name.left(1024), at(21))).accepted);
    }

    // Every kind of text the port carries: a cooldown's and a breaker's reason, a drill's
    // scenario and detail, an approver and an executor (names: their first KiB), a step's detail.
    void hostileTextRoundTripsOrIsRefused()
    {
        QFETCH(QString, text);
        QFETCH(bool, storable);
        const QString db = createDatabase(u"hostile"_s);
        Replica a(db, u"replica-a"_s, m_clock, m_start);
        QVERIFY(a.lease->tryAcquire());
        Store &store = *a.store;
        store.saveCooldown({ u"service/x"_s, at(100), text });
        BreakerState breaker;
        breaker.type = u"pool"_s;
        breaker.lastReason = text;
        store.saveBreaker(breaker);
        store.saveDrill({ u"pool"_s, text, true, u"resolved"_s, std::nullopt, at(1), text });
        const Proposal p = seed(store, u"P1"_s);
        const QString name = text.left(1024);
        store.recordApproval(fixtures::approval(p, name, at(20)));
        const auto claim = store.claimExecution(p.id, p.plan.fingerprint, name, {}, at(21));
        StepRecord s = fixtures::step(claim.executionId, u"kill_idle"_s, 1, at(22));
        s.id = store.recordStepIntent(s);
        s.outcome = StepResult::Failed;
        s.detail = text;
        store.recordStepOutcome(s);
        if (!storable) {
            QVERIFY(store.loadCooldowns().isEmpty());
            QVERIFY(store.loadBreakers().isEmpty());
            QVERIFY(!store.lastDrill(u"pool"_s));
            QVERIFY(store.approversOf(p.id, p.plan.fingerprint).isEmpty());
            QVERIFY(!claim.granted);
            QVERIFY(a.failures.size() >= 5);
            for (const QString &failure : a.failures)
                QVERIFY2(
                    failure.contains(u"NUL character"_s) || failure.contains(u"no execution"_s), qPrintable(failure));
            return;
        }
        QVERIFY2(a.failures.isEmpty(), qPrintable(a.failures.join(u'\n').left(2000)));
        QCOMPARE(store.loadCooldowns().value(0).reason, text);
        QCOMPARE(store.loadBreakers().value(0).lastReason, text);
        QCOMPARE(store.lastDrill(u"pool"_s)->scenario, text);
        QCOMPARE(store.lastDrill(u"pool"_s)->detail, text);
        QCOMPARE(store.approversOf(p.id, p.plan.fingerprint), QStringList { name });
        const auto execution = store.findExecution(p.id);
        QCOMPARE(execution->executor, name);
        QCOMPARE(execution->steps.value(0).detail, text);
    }

    // libpq's DSN may carry the password; no message ever does.
    void theDsnPasswordNeverAppearsInAnError()
    {
        const QString password = u"Sup3rS3cret-pw"_s;
        const QString port = qEnvironmentVariable("TEAMDB_PORT", u"18543"_s);
        const QStringList dsns {
            u"host=127.0.0.1 port=%1 dbname=no_such_db user=postgres password=%2"_s.arg(port, password),
            u"host=127.0.0.1 port=1 dbname=antibody user=postgres password=%1 connect_timeout=2"_s.arg(password),
            u"host=127.0.0.1 password %1 port=%2"_s.arg(password, port),
            u"postgresql://postgres:%1@127.0.0.1:%2/no_such_db"_s.arg(password, port),
        };
        for (const QString &d : dsns) {
            QString error;
            QVERIFY(!PostgresStore::open({ d, {}, u"replica-a"_s }, &error));
            QVERIFY(!error.isEmpty());
            QVERIFY2(!error.contains(password), qPrintable(error));
        }
        // The failures of a store that opened with one (trust ignores it) name where, not how.
        const QString db = createDatabase(u"password"_s);
        QString error;
        auto store = PostgresStore::open({ dsn(db) + u" password="_s + password, {}, u"replica-a"_s }, &error);
        QVERIFY2(store, qPrintable(error));
        QStringList failures;
        store->setFailureHandler([&](const QString &m) { failures << m; });
        store->saveCooldown({ u"service/x"_s, at(1), u"no lease"_s });
        QCOMPARE(failures.size(), 1);
        QVERIFY2(failures.front().contains(u"dbname=%1"_s.arg(db)) && !failures.front().contains(password),
            qPrintable(failures.front()));
        QVERIFY(!store->location().contains(password));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    TestPgStore postgresOnly;
    std::vector<std::unique_ptr<StoreBackend>> backends;
    backends.push_back(std::make_unique<PostgresBackend>());
    StoreContract contract(std::move(backends));
    std::vector<TokenBackend> tokenBackends;
    tokenBackends.push_back({ std::make_unique<PostgresBackend>(),
        [](Store &store) { return std::make_unique<PgTokens>(dynamic_cast<PostgresStore &>(store).session()); } });
    TokenContract tokens(std::move(tokenBackends));
    const int postgres = QTest::qExec(&postgresOnly, argc, argv);
    const int store = QTest::qExec(&contract, argc, argv);
    return QTest::qExec(&tokens, argc, argv) | store | postgres;
}

#include "tst_pgstore.moc"

// Exactly-once approval with two real processes on one database: in every round
// both approve and race to execute; exactly one executes, and the other is told
// who approved it, who runs it and when.
#include "engine/store/sqlitedatabase.h"
#include "engine/store/sqlitestore.h"
#include "storefixtures.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <time.h>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

constexpr int rounds = 200;

struct Answer
{
    QString verb; // executed, refused, refused-approval, approved
    QString rest;
};

} // namespace

class TestApprovalRace : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;
    QProcess m_alice;
    QProcess m_bob;
    int m_claimRaces = 0;
    int m_approvalRaces = 0;

    void start(QProcess &p, const QString &name)
    {
        p.start(QStringLiteral(STOREWORKER), { u"race"_s, m_db, name });
        QVERIFY2(p.waitForStarted(), qPrintable(p.errorString()));
    }

    static void send(QProcess &p, const QString &command) { p.write((command + u'\n').toUtf8()); }

    // Both get the command with one start instant, 20 ms ahead, and spin until it: they
    // then hit the database within microseconds of each other, whoever read it first.
    void sendBoth(const QString &command)
    {
        timespec ts {};
        clock_gettime(CLOCK_MONOTONIC, &ts);
        const qint64 start = qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec + 20'000'000;
        const QString line = command + u' ' + QString::number(start);
        send(m_alice, line);
        send(m_bob, line);
        m_alice.waitForBytesWritten();
        m_bob.waitForBytesWritten();
    }

    static Answer answer(QProcess &p)
    {
        while (!p.canReadLine()) {
            if (!p.waitForReadyRead(10'000))
                return { u"timeout"_s, QString::fromUtf8(p.readAllStandardError()) };
        }
        const QString line = QString::fromUtf8(p.readLine()).trimmed();
        const QStringList w = line.split(u' ');
        return { w.value(0), w.mid(2).join(u' ') };
    }

    // "executor|approver|claimedAt" of the winner must be what the loser was told.
    static void checkRound(int round, const Answer &a, const Answer &b)
    {
        const bool aWon = a.verb == u"executed"_s;
        const bool bWon = b.verb == u"executed"_s;
        QVERIFY2(aWon != bWon, qPrintable(u"round %1: alice %2, bob %3"_s.arg(round).arg(a.verb, b.verb)));
        const Answer &winner = aWon ? a : b;
        const Answer &loser = aWon ? b : a;
        const QStringList who = winner.rest.split(u'|');
        if (loser.verb == u"refused"_s) {
            QCOMPARE(loser.rest, winner.rest); // the same executor, approver and time
        } else {
            QCOMPARE(loser.verb, u"refused-approval"_s);
            QVERIFY2(loser.rest.contains(u"approved by %1, run by %2"_s.arg(who.value(1), who.value(0))),
                qPrintable(loser.rest));
            QVERIFY2(loser.rest.contains(formatTime(fromMillis(who.value(2).toLongLong()))), qPrintable(loser.rest));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_dir.filePath(u"antibody.db"_s);
        QString error;
        auto store = SqliteStore::open(m_db, &error);
        QVERIFY2(store, qPrintable(error));
        for (int n = 1; n <= rounds; ++n) {
            const QString id = u"Q%1"_s.arg(n);
            store->saveIncident(fixtures::incident(u"INC-"_s + id, fixtures::t0));
            // Made now: the workers approve on the wall clock, inside the approval window.
            store->saveProposal(
                fixtures::proposal(id, u"INC-"_s + id, fromMillis(QDateTime::currentMSecsSinceEpoch())));
        }
        store.reset();
        start(m_alice, u"alice"_s);
        start(m_bob, u"bob"_s);
    }

    // Both approvals are in; the claims race.
    void claimsRace()
    {
        for (int n = 1; n <= rounds / 2; ++n) {
            sendBoth(u"approve %1"_s.arg(n));
            QCOMPARE(answer(m_alice).verb, u"approved"_s);
            QCOMPARE(answer(m_bob).verb, u"approved"_s);
            sendBoth(u"claim %1"_s.arg(n));
            const Answer a = answer(m_alice);
            const Answer b = answer(m_bob);
            checkRound(n, a, b);
            ++m_claimRaces;
        }
    }

    // Approval and claim in one go: whoever is second learns it at approval or at claim.
    void approvalsRace()
    {
        for (int n = rounds / 2 + 1; n <= rounds; ++n) {
            sendBoth(u"go %1"_s.arg(n));
            const Answer a = answer(m_alice);
            const Answer b = answer(m_bob);
            checkRound(n, a, b);
            ++m_approvalRaces;
        }
    }

    void oneExecutionPerProposal()
    {
        send(m_alice, u"quit"_s);
        send(m_bob, u"quit"_s);
        QVERIFY(m_alice.waitForFinished());
        QVERIFY(m_bob.waitForFinished());
        QCOMPARE(m_alice.exitCode(), 0);
        QCOMPARE(m_bob.exitCode(), 0);
        SqliteDatabase db(m_db, SqliteDatabase::Access::ReadOnly, Duration { 5000 });
        auto q = db.prepare(u"SELECT count(*), count(DISTINCT proposal_id), sum(executor LIKE 'alice@%'), "
                            "sum(outcome = 'resolved') FROM executions"_s);
        QVERIFY(q.step());
        QCOMPARE(q.integer(0), rounds);
        QCOMPARE(q.integer(1), rounds);
        QCOMPARE(q.integer(3), rounds);
        auto steps = db.prepare(u"SELECT count(*) FROM steps"_s);
        QVERIFY(steps.step());
        QCOMPARE(steps.integer(0), rounds); // each proposal's one step ran once
        qInfo("%d rounds: alice executed %lld, bob %lld", m_claimRaces + m_approvalRaces, q.integer(2),
            rounds - q.integer(2));
        // Both processes won rounds: they really raced.
        QVERIFY(q.integer(2) > 0);
        QVERIFY(rounds - q.integer(2) > 0);
    }
};

QTEST_GUILESS_MAIN(TestApprovalRace)
#include "tst_approvalrace.moc"

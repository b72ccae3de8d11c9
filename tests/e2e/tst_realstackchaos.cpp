// The chaos test of issue 18 on the real stack (label realstack): `antibodyctl run
// --approve auto` remediates the exhausted pool and is killed with SIGKILL the moment
// each pass of kill_idle starts, then started again on the same data folder, until a
// life ends the incident. Between lives the test opens idle `app` connections into the
// slots freed, as the leaking application would: every life finds the pool full. Across the restarts (review findings
// #5 and #23): every pass stays within its cap, every connection terminated was one a stored pass intended, a new
// execution starts only after the interrupted one's cooldown, the fix runs no more often than the breaker allows,
// nothing is left in flight, and the audit trail verifies. The runbook is the stack's with a 10 s cooldown, so the test
// takes about a minute of wall-clock time rather than three per restart.
#include "engine/store/readonlystore.h"
#include "realstackrun.h"
#include "tests/engine/storefixtures.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <numeric>

using namespace Qt::StringLiterals;
using namespace antibody;
using fixtures::scalar;
using namespace antibody::test;

namespace {

constexpr int cooldownSeconds = 10;
constexpr int breakerFailures = 3; // the runbook's default breaker: 3 failures within 10 min
constexpr int lives = 6;

struct Pass
{
    double t = 0;
    int pass = 0;
    int cap = 0;
    int targets = 0;
};

QSet<QString> appPids()
{
    QSet<QString> out;
    for (const QStringList &row : query("SELECT pid FROM pg_stat_activity WHERE usename = 'app'"))
        out << u"pid "_s + row.value(0);
    return out;
}

} // namespace

class TestRealStackChaos : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QList<PGconn *> m_leak;

    // The leaking application: idle connections into every free slot, for as long as the
    // killed process's connections take to go.
    void refill()
    {
        for (int round = 0; round < 15; ++round) {
            const auto free
                = query("SELECT current_setting('max_connections')::int - "
                        "current_setting('superuser_reserved_connections')::int - count(*) "
                        "FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
            const int slots = free.isEmpty() ? 0 : free.first().value(0).toInt();
            for (int i = 0; i < slots; ++i) {
                PGconn *c = PQconnectdb((RealStack::appDsn() + u" application_name=leak"_s).toUtf8().constData());
                if (PQstatus(c) != CONNECTION_OK) {
                    PQfinish(c);
                    break;
                }
                m_leak << c;
            }
            QTest::qWait(200);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        waitForQuietStack();
    }

    void cleanupTestCase()
    {
        for (PGconn *c : std::as_const(m_leak))
            PQfinish(c);
        QString log;
        QVERIFY2(RealStack::run({ u"release"_s }, &log), qPrintable(log));
    }

    void killedDuringEveryPassNeverExceedsTheCaps()
    {
        // The stack's runbook, with a cooldown a test can wait out.
        const QString runbooks = RealStack::poolRunbook(m_dir.filePath(u"runbooks"_s), { u"--cooldown"_s, u"10s"_s });
        const QString config = m_dir.filePath(u"antibody.yaml"_s);
        {
            QFile f(config);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(RealStack::configuration(runbooks));
        }
        const QString dataDir = m_dir.filePath(u"data"_s);

        QString log;
        QVERIFY2(RealStack::run({ u"exhaust"_s }, &log), qPrintable(log));
        QSet<QString> terminated; // app connections that went away while a life ran

        QList<Pass> passes;
        int kills = 0;
        bool ended = false;
        QString story;
        for (int life = 1; life <= lives && !ended; ++life) {
            const QSet<QString> before = appPids();
            RunProcess run;
            run.start({ u"run"_s, u"--config"_s, config, u"--approve"_s, u"auto"_s, u"--json"_s, u"--max-seconds"_s,
                          u"60"_s, u"--data-dir"_s, dataDir },
                m_dir.path());
            QVERIFY2(run.process().waitForStarted(10'000), qPrintable(run.process().errorString()));
            // Until a pass starts (kill it there) or the incident ends (stop it cleanly).
            std::optional<Line> pass;
            std::optional<Line> end;
            QTRY_VERIFY2_WITH_TIMEOUT(
                [&] {
                    QSet<QString> detected; // this life's incidents: recovery escalates the last life's
                    for (const Line &l : run.lines()) {
                        if (l.kind == u"detected"_s)
                            detected << l.incident;
                        if (l.kind == u"step_started"_s && l.data.value(u"step"_s).toString() == u"kill_idle"_s)
                            pass = l;
                        // Ended by the engine: escalated (the breaker opened, a human's turn). An
                        // alert that resolved by itself (the pool dipped while the test refilled
                        // it) fires again, and the life goes on.
                        if (l.kind == u"escalated"_s && detected.contains(l.incident))
                            end = l;
                        if (pass || end)
                            return true;
                    }
                    return run.process().state() == QProcess::NotRunning;
                }(),
                qPrintable(run.transcript()), 60'000);
            QVERIFY2(pass || end, qPrintable(run.transcript()));
            if (pass) {
                ::kill(static_cast<pid_t>(run.process().processId()), SIGKILL);
                QVERIFY(run.process().waitForFinished(10'000));
                ++kills;
                passes << Pass { pass->t, pass->data.value(u"pass"_s).toInt(), pass->data.value(u"cap"_s).toInt(),
                    static_cast<int>(pass->data.value(u"targets"_s).toArray().size()) };
                story += u"life %1: killed in pass %2 (%3)\n"_s.arg(life).arg(passes.last().pass).arg(pass->detail);
            } else {
                ended = true;
                story += u"life %1: %2\n"_s.arg(life).arg(end ? end->kind + u": "_s + end->detail : u"stopped"_s);
                run.process().terminate();
                QVERIFY(run.process().waitForFinished(30'000));
            }
            terminated += before - appPids();
            refill();
        }
        qInfo("%s", qPrintable(story));
        QVERIFY2(ended, qPrintable(story));

        // Every pass within its cap; the fix ran no more often than the breaker allows.
        for (const Pass &p : std::as_const(passes))
            QVERIFY2(p.targets >= 1 && p.targets <= p.cap, qPrintable(story));
        QVERIFY2(kills <= breakerFailures, qPrintable(story));

        QString error;
        auto store = ReadOnlyStore::openFile(dataDir + u"/antibody.db"_s, &error);
        QVERIFY2(store, qPrintable(error));
        SqliteDatabase &db = store->database();
        QVERIFY2(scalar(db, u"SELECT count(*) FROM executions"_s) <= breakerFailures, qPrintable(story));
        QCOMPARE(scalar(db, u"SELECT count(*) FROM steps WHERE outcome IS NULL"_s), 0);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM executions WHERE outcome IS NULL"_s), 0);
        // A new execution started only once the one before it had cooled down.
        QCOMPARE(scalar(db,
                     u"SELECT count(*) FROM executions a JOIN executions b ON b.started_at > a.started_at "
                     "AND b.started_at < coalesce(a.finished_at, a.started_at) + "_s
                         + QString::number(cooldownSeconds * 1000)),
            0);
        // Connections gone: only ones a stored pass meant to terminate, never more than the caps allow.
        QSet<QString> intended;
        auto targets = db.prepare(u"SELECT value FROM steps, json_each(steps.targets) WHERE step = 'kill_idle'"_s);
        while (targets.step())
            intended << targets.text(0);
        const int allowed
            = std::accumulate(passes.cbegin(), passes.cend(), 0, [](int sum, const Pass &p) { return sum + p.cap; });
        const QString counts = u"%1 terminated (%2), %3 intended, caps allow %4\n%5"_s.arg(terminated.size())
                                   .arg(QStringList(terminated.cbegin(), terminated.cend()).join(u", "_s))
                                   .arg(intended.size())
                                   .arg(allowed)
                                   .arg(story);
        qInfo("%s", qPrintable(counts));
        QVERIFY2(intended.contains(terminated), qPrintable(counts));
        QVERIFY2(terminated.size() <= allowed, qPrintable(counts));

        const CliRun verify = antibodyctl({ u"audit"_s, u"verify"_s, u"--data-dir"_s, dataDir }, m_dir.path());
        QVERIFY2(verify.exitCode == 0, qPrintable(verify.out + verify.err));
    }
};

QTEST_GUILESS_MAIN(TestRealStackChaos)
#include "tst_realstackchaos.moc"

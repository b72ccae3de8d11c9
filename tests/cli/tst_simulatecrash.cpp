// Crash safety during real scenario executions: `antibodyctl simulate --data-dir`
// is killed with SIGKILL right after its n-th audit row commits, for every n across
// a scenario's steps, 200 times. After each kill the file passes integrity_check, the
// audit chain verifies and still holds every row seen committed; then simulate runs
// again on the same folder: it interrupts what was in flight, never re-runs it, and
// the trail still verifies.
#include "engine/store/auditverifier.h"
#include "engine/store/readonlystore.h"
#include "engine/store/storeerror.h"
#include "tests/engine/storefixtures.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace Qt::StringLiterals;
using namespace antibody;
using fixtures::scalar;

namespace {

struct Head
{
    qint64 seq = 0;
    QString hash;
};

// The newest committed audit row, or nothing while the file is still being created.
std::optional<Head> head(const QString &file)
{
    if (!QFileInfo::exists(file))
        return std::nullopt;
    try {
        SqliteDatabase db(file, SqliteDatabase::Access::ReadOnly, Duration { 1000 });
        auto q = db.prepare(u"SELECT seq, hash FROM audit_head WHERE id = 1"_s);
        if (q.step())
            return Head { q.integer(0), q.text(1) };
    } catch (const StoreError &) {
        // not created yet
    }
    return std::nullopt;
}

QString firstProblem(const AuditVerifier::Report &report)
{
    return report.intact() ? QString() : report.problems.front().where + u' ' + report.problems.front().what;
}

} // namespace

class TestSimulateCrash : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_kills = 0;
    int m_interrupted = 0;

    QStringList simulate(const QString &scenario, const QString &dir) const
    {
        return { u"simulate"_s, u"--scenario"_s, scenario, u"--data-dir"_s, dir };
    }

    // The rows one whole run of the scenario writes.
    qint64 rowsOf(const QString &scenario)
    {
        const QString dir = m_dir.filePath(u"measure-"_s + scenario);
        QProcess p;
        p.start(QStringLiteral(ANTIBODYCTL), simulate(scenario, dir));
        p.waitForFinished(120'000);
        const auto h = head(dir + u"/antibody.db"_s);
        return h ? h->seq : 0;
    }

private Q_SLOTS:
    void killedDuringScenarios_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<qint64>("afterRows");
        const QList<std::pair<QString, int>> plan { { u"connection-pool-exhaustion"_s, 140 },
            { u"crashloop-restart-fails"_s, 60 } };
        for (const auto &[scenario, kills] : plan) {
            const qint64 rows = rowsOf(scenario);
            QVERIFY2(rows > 20, qPrintable(scenario));
            for (int k = 0; k < kills; ++k) {
                // Spread over the whole run: every row of the short scenario is a kill point, some twice.
                // Not the last few: the process exits right after writing them, and a kill that
                // arrives after the exit kills nothing (seen at row 160 of a 161-row run).
                const qint64 after = 1 + (k * 97) % (rows - 4);
                QTest::addRow("%s after row %lld (#%d)", qPrintable(scenario), after, k) << scenario << after;
            }
        }
    }

    void killedDuringScenarios()
    {
        QFETCH(QString, scenario);
        QFETCH(qint64, afterRows);
        const QString dir = m_dir.filePath(u"run-%1"_s.arg(m_kills + 1));
        const QString file = dir + u"/antibody.db"_s;

        QProcess child;
        child.start(QStringLiteral(ANTIBODYCTL), simulate(scenario, dir));
        QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));
        std::optional<Head> seen;
        // Poll what is committed (a reader only ever sees committed rows) and kill right after row n.
        while (!child.waitForFinished(0)) {
            const auto h = head(file);
            if (h && h->seq >= afterRows) {
                seen = h;
                ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
                break;
            }
        }
        child.waitForFinished();
        if (!seen)
            QSKIP("the run ended before that row: nothing to kill");
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        ++m_kills;

        qint64 unfinished = 0;
        {
            QString error;
            auto store = ReadOnlyStore::openFile(file, &error);
            QVERIFY2(store, qPrintable(error));
            const auto report = AuditVerifier::verify(store->database()); // integrity_check included
            QVERIFY2(report.intact(), qPrintable(firstProblem(report)));
            auto row = store->database().prepare(u"SELECT hash FROM audit WHERE seq = ?"_s);
            row.bind(1, seen->seq);
            QVERIFY2(row.step() && row.text(0) == seen->hash, "a row seen committed was lost");
            unfinished = scalar(store->database(), u"SELECT count(*) FROM executions WHERE outcome IS NULL"_s);
        }

        // The next start recovers: interrupted, escalated, never re-run.
        QProcess again;
        again.start(QStringLiteral(ANTIBODYCTL), simulate(scenario, dir));
        QVERIFY(again.waitForFinished(120'000));
        QVERIFY2(again.exitCode() == 0, again.readAllStandardError().constData());
        QString error;
        auto store = ReadOnlyStore::openFile(file, &error);
        QVERIFY2(store, qPrintable(error));
        const auto report = AuditVerifier::verify(store->database());
        QVERIFY2(report.intact(), qPrintable(firstProblem(report)));
        SqliteDatabase &db = store->database();
        QCOMPARE(scalar(db, u"SELECT count(*) FROM executions WHERE outcome = 'interrupted'"_s), unfinished);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM executions WHERE outcome IS NULL"_s), 0);
        // No step of an interrupted execution was started after the interruption was recorded.
        QCOMPARE(scalar(db,
                     u"SELECT count(*) FROM steps s JOIN executions e ON e.id = s.execution_id "
                     "JOIN seals ss ON ss.table_name = 'steps' AND ss.row_key = json_array(s.id) "
                     "JOIN seals se ON se.table_name = 'executions' AND se.row_key = json_array(e.id) "
                     "WHERE e.outcome = 'interrupted' AND ss.audit_seq > se.audit_seq"_s),
            0);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM audit WHERE kind = 'interrupted'"_s), unfinished);
        m_interrupted += static_cast<int>(unfinished);
    }

    void manyPointsWereHit()
    {
        qInfo("%d kills, %d executions caught in flight", m_kills, m_interrupted);
        QVERIFY(m_kills >= 200);
        QVERIFY(m_interrupted >= 20);
    }
};

QTEST_GUILESS_MAIN(TestSimulateCrash)
#include "tst_simulatecrash.moc"

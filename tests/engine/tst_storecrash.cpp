// Crash safety with real processes: a child writing through SqliteStore is killed
// with SIGKILL at hundreds of points, by this test (right after a commit it
// reported) and by its own CPU-time alarm (anywhere, inside SQLite included). After
// every kill: the file passes PRAGMA integrity_check, the audit chain verifies,
// every record the child reported committed is there, no proposal was claimed twice,
// and no side effect happened twice or without its stored intent.
#include "engine/store/auditverifier.h"
#include "engine/store/sqlitedatabase.h"

#include <QFile>
#include <QHash>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

struct Committed
{
    QSet<QString> incidents, alerts, proposals, approvals, cooldowns, breakers;
    QSet<QPair<QString, QString>> events; // kind, incident
    QHash<QString, QString> claims; // proposal -> execution
    QHash<qint64, QStringList> intents; // step id -> execution, step, pass
    QSet<qint64> outcomes;
    QHash<QString, QString> finished; // execution -> outcome
};

} // namespace

class TestStoreCrash : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;
    QString m_effects;
    Committed m_committed; // reported by the child that ran last: checked after its kill
    QHash<QString, QString> m_allClaims; // every claim ever reported, proposal -> execution
    qint64 m_checked = 0;
    int m_kills = 0;
    int m_doubleClaims = 0;

    QString worker() const { return QStringLiteral(STOREWORKER); }

    // Parses one "committed ..." line into what must be found in the file.
    void take(const QString &line)
    {
        const QStringList w = line.split(u' ');
        const QString what = w.value(1);
        if (what == u"incident"_s)
            m_committed.incidents << w.value(2);
        else if (what == u"alert"_s)
            m_committed.alerts << w.value(2);
        else if (what == u"proposal"_s)
            m_committed.proposals << w.value(2);
        else if (what == u"approval"_s)
            m_committed.approvals << w.value(2) + u'/' + w.value(3);
        else if (what == u"event"_s)
            m_committed.events << qMakePair(w.value(2), w.value(3));
        else if (what == u"claim"_s) {
            if (m_allClaims.contains(w.value(2)))
                ++m_doubleClaims;
            m_allClaims.insert(w.value(2), w.value(3));
            m_committed.claims.insert(w.value(2), w.value(3));
        } else if (what == u"intent"_s)
            m_committed.intents.insert(w.value(2).toLongLong(), w.mid(3));
        else if (what == u"outcome"_s)
            m_committed.outcomes << w.value(2).toLongLong();
        else if (what == u"finished"_s)
            m_committed.finished.insert(w.value(2), w.value(3));
        else if (what == u"breaker"_s)
            m_committed.breakers << w.value(2);
        else if (what == u"cooldown"_s)
            m_committed.cooldowns << w.value(2);
    }

    // Runs the child once; kills it after `afterLines` committed lines, or lets its own alarm do it.
    void runChild(int afterLines, long cpuMicroseconds)
    {
        QProcess child;
        QStringList args { u"crash"_s, m_db, m_effects };
        if (cpuMicroseconds > 0)
            args << u"--die-after-cpu-us"_s << QString::number(cpuMicroseconds);
        child.setProcessChannelMode(QProcess::SeparateChannels);
        child.start(worker(), args);
        QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));
        QByteArray buffer;
        int lines = 0;
        bool killed = false;
        while (child.state() != QProcess::NotRunning) {
            child.waitForReadyRead(5000);
            buffer += child.readAllStandardOutput();
            qsizetype nl;
            while ((nl = buffer.indexOf('\n')) >= 0) {
                const QString line = QString::fromUtf8(buffer.left(nl));
                buffer.remove(0, nl + 1);
                if (line.startsWith(u"committed "_s)) {
                    take(line);
                    ++lines;
                }
                if (afterLines > 0 && lines >= afterLines && !killed) {
                    ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
                    killed = true;
                }
            }
        }
        child.waitForFinished();
        // Lines written before the kill are real commits too: the child reported them.
        buffer += child.readAllStandardOutput();
        for (const QByteArray &raw : buffer.split('\n')) {
            const QString line = QString::fromUtf8(raw);
            if (line.startsWith(u"committed "_s) && raw.size() > 10)
                take(line);
        }
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        const QByteArray errors = child.readAllStandardError();
        QVERIFY2(!errors.contains("failure:"), errors.constData());
        ++m_kills;
    }

    void checkFile()
    {
        SqliteDatabase db(m_db, SqliteDatabase::Access::ReadOnly, Duration { 5000 });
        auto integrity = db.prepare(u"PRAGMA integrity_check"_s);
        QVERIFY(integrity.step());
        QCOMPARE(integrity.text(0), u"ok"_s);

        const auto report = AuditVerifier::verify(db);
        QVERIFY2(report.intact(), qPrintable(report.problems.value(0).where + u": "_s + report.problems.value(0).what));

        auto exists = [&](const QString &sql, const QStringList &binds) {
            auto q = db.prepare(sql);
            for (qsizetype i = 0; i < binds.size(); ++i)
                q.bind(static_cast<int>(i + 1), binds.at(i));
            return q.step();
        };
        for (const QString &id : std::as_const(m_committed.incidents))
            QVERIFY2(exists(u"SELECT 1 FROM incidents WHERE id = ?"_s, { id }), qPrintable(u"lost incident "_s + id));
        for (const QString &id : std::as_const(m_committed.alerts))
            QVERIFY2(
                exists(u"SELECT 1 FROM alerts WHERE incident_id = ?"_s, { id }), qPrintable(u"lost alert "_s + id));
        for (const QString &id : std::as_const(m_committed.proposals))
            QVERIFY2(exists(u"SELECT 1 FROM proposals WHERE id = ?"_s, { id }), qPrintable(u"lost proposal "_s + id));
        for (const QString &a : std::as_const(m_committed.approvals)) {
            const QStringList parts = a.split(u'/');
            QVERIFY2(exists(u"SELECT 1 FROM approvals WHERE proposal_id = ? AND approver = ?"_s, parts),
                qPrintable(u"lost approval "_s + a));
        }
        for (const auto &[kind, incident] : std::as_const(m_committed.events)) {
            QVERIFY2(exists(u"SELECT 1 FROM audit WHERE kind = ? AND incident_id = ?"_s, { kind, incident }),
                qPrintable(u"lost event %1 of %2"_s.arg(kind, incident)));
        }
        for (auto it = m_committed.claims.cbegin(); it != m_committed.claims.cend(); ++it) {
            QVERIFY2(exists(u"SELECT 1 FROM executions WHERE proposal_id = ? AND id = ?"_s, { it.key(), it.value() }),
                qPrintable(u"lost claim of "_s + it.key()));
        }
        for (auto it = m_committed.intents.cbegin(); it != m_committed.intents.cend(); ++it) {
            QVERIFY2(exists(u"SELECT 1 FROM steps WHERE id = ? AND execution_id = ? AND step = ? AND pass = ?"_s,
                         { QString::number(it.key()), it->value(0), it->value(1), it->value(2) }),
                qPrintable(u"lost intent %1"_s.arg(it.key())));
        }
        for (const qint64 id : std::as_const(m_committed.outcomes)) {
            QVERIFY2(exists(u"SELECT 1 FROM steps WHERE id = ? AND outcome IS NOT NULL"_s, { QString::number(id) }),
                qPrintable(u"lost the outcome of step %1"_s.arg(id)));
        }
        for (auto it = m_committed.finished.cbegin(); it != m_committed.finished.cend(); ++it) {
            QVERIFY2(exists(u"SELECT 1 FROM executions WHERE id = ? AND outcome = ?"_s, { it.key(), it.value() }),
                qPrintable(u"lost the end of "_s + it.key()));
        }
        for (const QString &b : std::as_const(m_committed.breakers))
            QVERIFY(exists(u"SELECT 1 FROM breakers WHERE type = ?"_s, { b }));
        for (const QString &c : std::as_const(m_committed.cooldowns))
            QVERIFY2(
                exists(u"SELECT 1 FROM cooldowns WHERE resource = ?"_s, { c }), qPrintable(u"lost cooldown "_s + c));

        QCOMPARE(m_doubleClaims, 0);
        // Records are never deleted (triggers refuse it), so what was checked once need not be again.
        m_checked += m_committed.incidents.size() + m_committed.alerts.size() + m_committed.proposals.size()
            + m_committed.approvals.size() + m_committed.events.size() + m_committed.claims.size()
            + m_committed.intents.size() + m_committed.outcomes.size() + m_committed.finished.size()
            + m_committed.breakers.size() + m_committed.cooldowns.size();
        m_committed = {};
        // Every side effect happened once, and only after its intent was stored.
        QFile effects(m_effects);
        if (!effects.open(QIODevice::ReadOnly))
            return;
        QSet<QString> seen;
        const QList<QByteArray> lines = effects.readAll().split('\n');
        for (const QByteArray &raw : lines) {
            if (raw.isEmpty())
                continue;
            const QString effect = QString::fromUtf8(raw);
            QVERIFY2(!seen.contains(effect), qPrintable(u"ran twice: "_s + effect));
            seen << effect;
            const QStringList w = effect.split(u' ');
            QVERIFY2(exists(u"SELECT 1 FROM steps WHERE execution_id = ? AND step = ? AND pass = ?"_s, w.mid(1)),
                qPrintable(u"ran without a stored intent: "_s + effect));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_dir.filePath(u"antibody.db"_s);
        m_effects = m_dir.filePath(u"effects.log"_s);
    }

    void killedAfterAReportedCommit_data()
    {
        QTest::addColumn<int>("afterLines");
        for (int k = 0; k < 120; ++k)
            QTest::addRow("after %d commits", 1 + (k * 7) % 31) << 1 + (k * 7) % 31;
    }

    void killedAfterAReportedCommit()
    {
        QFETCH(int, afterLines);
        runChild(afterLines, 0);
        checkFile();
    }

    void killedAnywhereByCpuTime_data()
    {
        QTest::addColumn<int>("microseconds");
        // From inside process start-up to a few rounds in.
        for (int k = 0; k < 100; ++k)
            QTest::addRow("after %d us of CPU", 1000 + (k * 7919) % 24'000) << 1000 + (k * 7919) % 24'000;
    }

    void killedAnywhereByCpuTime()
    {
        QFETCH(int, microseconds);
        runChild(0, microseconds);
        checkFile();
    }

    void manyPointsWereHit()
    {
        QVERIFY(m_kills >= 200);
        // The workload got somewhere: executions ran, were interrupted and were refused again.
        SqliteDatabase db(m_db, SqliteDatabase::Access::ReadOnly, Duration { 5000 });
        auto q
            = db.prepare(u"SELECT count(*), sum(outcome = 'interrupted'), sum(outcome = 'resolved') FROM executions"_s);
        QVERIFY(q.step());
        qInfo("%d kills; %lld executions: %lld interrupted, %lld resolved; %lld reported commits checked", m_kills,
            q.integer(0), q.integer(1), q.integer(2), static_cast<long long>(m_checked));
        QVERIFY(q.integer(1) >= 10);
        QVERIFY(q.integer(2) >= 10);
    }
};

QTEST_GUILESS_MAIN(TestStoreCrash)
#include "tst_storecrash.moc"

// The seed's incident end to end against the real stack (label realstack), with
// `antibodyctl run` as a user runs it: the pool is exhausted with idle connections,
// the shipped rule crosses 90%, the engine proposes kill_idle within its 15% cap, the plan is
// approved (--approve auto), libpq terminates the oldest idle connections pass by
// pass, Prometheus shows the pool under 70%, Alertmanager resolves, the incident is
// resolved, and the audit trail verifies and holds the approval and the execution.
#include "engine/runbook/runbookloader.h"
#include "realstackrun.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace antibody::test;

class TestRealStackRun : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        waitForQuietStack();
    }

    void cleanupTestCase()
    {
        // Other realstack suites start from an unloaded pool.
        QString log;
        QVERIFY2(RealStack::run({ u"release"_s }, &log), qPrintable(log));
    }

    // The stack's runbook is the shipped one at the stack's pace: level 2, idle for 1 s.
    void theRunbookIsTheShippedOne()
    {
        const LoadResult shipped = loadRunbookFile(sourcePath(u"runbooks/connection-pool-exhaustion.yaml"_s));
        const LoadResult stack = loadRunbookFile(
            RealStack::poolRunbook(m_dir.filePath(u"runbooks"_s)) + u"/connection-pool-exhaustion.yaml"_s);
        QVERIFY(shipped.runbook && stack.runbook);
        QVERIFY2(stack.diagnostics.isEmpty(), qPrintable(stack.diagnostics.value(0).toString()));
        QCOMPARE(stack.runbook->name, shipped.runbook->name);
        QCOMPARE(shipped.runbook->level, 3);
        QCOMPARE(stack.runbook->level, 2);
        QCOMPARE(stack.runbook->trigger.text, shipped.runbook->trigger.text);
        QCOMPARE(stack.runbook->steps.size(), shipped.runbook->steps.size());
        for (qsizetype i = 0; i < shipped.runbook->steps.size(); ++i) {
            const Step &a = shipped.runbook->steps.at(i);
            const Step &b = stack.runbook->steps.at(i);
            QCOMPARE(b.name, a.name);
            QCOMPARE(b.action, a.action);
            QCOMPARE(b.conditionText, a.conditionText);
            QCOMPARE(b.blastRadius.has_value(), a.blastRadius.has_value());
            if (a.blastRadius) {
                QCOMPARE(b.blastRadius->dimension, a.blastRadius->dimension);
                QCOMPARE(b.blastRadius->cap.text, a.blastRadius->cap.text);
            }
            if (a.param(u"state"_s)) {
                QVERIFY(b.param(u"state"_s));
                QCOMPARE(b.param(u"state"_s)->toText(), a.param(u"state"_s)->toText());
            }
            if (a.param(u"below"_s)) {
                QVERIFY(b.param(u"below"_s));
                QCOMPARE(b.param(u"below"_s)->toNumber(), a.param(u"below"_s)->toNumber());
            }
            if (a.param(u"older_than"_s)) {
                QCOMPARE(a.param(u"older_than"_s)->toDuration(), Duration { 300'000 });
                QVERIFY(b.param(u"older_than"_s));
                QCOMPARE(b.param(u"older_than"_s)->toDuration(), Duration { 0 });
            }
        }
    }

    void poolExhaustionEndToEnd()
    {
        const QString config = m_dir.filePath(u"antibody.yaml"_s);
        const QString dataDir = m_dir.filePath(u"data"_s);
        {
            QFile f(config);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(RealStack::configuration(RealStack::poolRunbook(m_dir.filePath(u"runbooks"_s))));
        }
        RunProcess run;
        run.start({ u"run"_s, u"--config"_s, config, u"--approve"_s, u"auto"_s, u"--json"_s, u"--max-seconds"_s,
                      u"90"_s, u"--data-dir"_s, dataDir },
            m_dir.path());
        QVERIFY2(run.process().waitForStarted(10'000), qPrintable(run.process().errorString()));
        // The header goes to stderr before the engine starts: the configuration and runbooks loaded.
        QTRY_VERIFY2_WITH_TIMEOUT(run.errors().contains(u"store:"_s) || run.process().state() == QProcess::NotRunning,
            qPrintable(run.transcript()), 30'000);
        QVERIFY2(run.process().state() == QProcess::Running, qPrintable(run.transcript()));

        QString log;
        QVERIFY2(RealStack::run({ u"exhaust"_s }, &log), qPrintable(log));
        const QStringList idleBefore = idleAppConnectionsOldestFirst();
        const int appBefore = appConnections();
        QVERIFY2(idleBefore.size() >= 8, qPrintable(log));

        // detected -> proposed, in approve mode, kill_idle capped at 15% of the connections.
        QTRY_VERIFY2_WITH_TIMEOUT(run.first(u"proposed"_s), qPrintable(run.transcript()), 60'000);
        const Line proposed = *run.first(u"proposed"_s);
        const QString incident = proposed.incident;
        QCOMPARE(proposed.data.value(u"runbook"_s).toString(), runbookName);
        QCOMPARE(proposed.data.value(u"mode"_s).toString(), u"approve"_s);
        const auto detected = run.first(u"detected"_s, incident);
        QVERIFY2(detected && detected->t <= proposed.t, qPrintable(run.transcript()));
        const QJsonObject radius = blastRadiusOf(proposed.data, u"kill_idle"_s);
        QVERIFY2(!radius.isEmpty(), qPrintable(run.transcript()));
        QCOMPARE(radius.value(u"dimension"_s).toString(), u"connections"_s);
        const int total = radius.value(u"fleet_size"_s).toInt();
        QCOMPARE(radius.value(u"cap_count"_s).toInt(), std::max(1, int(std::floor(total * 0.15))));
        QVERIFY(radius.value(u"affected"_s).toInt() >= 1);
        QVERIFY(radius.value(u"affected"_s).toInt() <= radius.value(u"cap_count"_s).toInt());

        // approved (by --approve auto) -> executed -> resolved.
        QTRY_VERIFY2_WITH_TIMEOUT(run.first(u"approved"_s, incident), qPrintable(run.transcript()), 30'000);
        const Line approved = *run.first(u"approved"_s, incident);
        QVERIFY(approved.t >= proposed.t);
        QVERIFY2(
            approved.data.value(u"approver"_s).toString().contains(u"--approve auto"_s), qPrintable(approved.detail));
        QTRY_VERIFY2_WITH_TIMEOUT(run.first(u"resolved"_s, incident) || run.first(u"escalated"_s, incident),
            qPrintable(run.transcript()), 90'000);
        QVERIFY2(run.first(u"resolved"_s, incident), qPrintable(run.transcript()));
        const Line resolved = *run.first(u"resolved"_s, incident);

        // Each pass of kill_idle stayed within its cap; together they took the oldest idle connections.
        QStringList terminated;
        for (const Line &l : run.all(u"step_started"_s, incident)) {
            if (l.data.value(u"step"_s).toString() != u"kill_idle"_s)
                continue;
            const int affected = l.data.value(u"affected"_s).toInt();
            QVERIFY2(affected >= 1 && affected <= l.data.value(u"cap"_s).toInt(), qPrintable(l.detail));
            QCOMPARE(
                l.data.value(u"cap"_s).toInt(), std::max(1, int(std::floor(l.data.value(u"total"_s).toInt() * 0.15))));
            QVERIFY(l.t >= approved.t && l.t <= resolved.t);
            for (const QJsonValue &target : l.data.value(u"targets"_s).toArray())
                terminated << target.toString();
        }
        QVERIFY2(!terminated.isEmpty(), qPrintable(run.transcript()));
        QCOMPARE(terminated, idleBefore.mid(0, terminated.size()));
        const QStringList idleAfter = idleAppConnectionsOldestFirst();
        for (const QString &t : std::as_const(terminated))
            QVERIFY2(!idleAfter.contains(t), qPrintable(t + u" is still connected"_s));
        QCOMPARE(appConnections(), appBefore - int(terminated.size())); // nothing else was killed

        std::optional<Line> verified;
        for (const Line &l : run.all(u"step_finished"_s, incident)) {
            if (l.data.value(u"step"_s).toString() == u"verify_recovery"_s)
                verified = l;
        }
        QVERIFY2(
            verified && verified->data.value(u"outcome"_s).toString() == u"succeeded"_s, qPrintable(run.transcript()));
        QVERIFY2(!run.first(u"paged"_s, incident), qPrintable(run.transcript()));

        // The world agrees: Prometheus under 70%, Alertmanager resolved.
        QTRY_VERIFY_WITH_TIMEOUT(utilization() < 0.7, 30'000);
        QTRY_VERIFY_WITH_TIMEOUT(!alertmanagerHasPoolAlert(), 60'000);
        QVERIFY2(run.badLines().isEmpty(), qPrintable(run.badLines().join(u'\n')));

        // SIGTERM stops it cleanly, with the database committed.
        run.process().terminate();
        QVERIFY(run.process().waitForFinished(30'000));
        QCOMPARE(run.process().exitStatus(), QProcess::NormalExit);
        QVERIFY2(run.process().exitCode() == 0, qPrintable(run.transcript()));
        QVERIFY2(run.errors().contains(u"Stopped by SIGTERM"_s), qPrintable(run.transcript()));

        const CliRun verify = antibodyctl({ u"audit"_s, u"verify"_s, u"--data-dir"_s, dataDir }, m_dir.path());
        QVERIFY2(verify.exitCode == 0, qPrintable(verify.out + verify.err));
        const CliRun exported = antibodyctl(
            { u"audit"_s, u"export"_s, u"--format"_s, u"json"_s, u"--data-dir"_s, dataDir }, m_dir.path());
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QSet<QString> kinds;
        QSet<QString> sealedTables;
        for (const QJsonValue &v : QJsonDocument::fromJson(exported.out.toUtf8()).array()) {
            const QJsonObject row = v.toObject();
            if (row.value(u"kind"_s).toString() == u"sealed"_s)
                sealedTables << row.value(u"data"_s).toObject().value(u"table"_s).toString();
            else if (row.value(u"incident"_s).toString() == incident)
                kinds << row.value(u"kind"_s).toString();
        }
        for (const QString &kind :
            { u"detected"_s, u"proposed"_s, u"approved"_s, u"step_started"_s, u"step_finished"_s, u"resolved"_s })
            QVERIFY2(kinds.contains(kind), qPrintable(kind + u" is missing from the audit trail"_s));
        for (const QString &table : { u"approvals"_s, u"executions"_s, u"steps"_s })
            QVERIFY2(sealedTables.contains(table), qPrintable(table + u" rows are not sealed into the audit trail"_s));
    }
};

QTEST_GUILESS_MAIN(TestRealStackRun)
#include "tst_realstackrun.moc"

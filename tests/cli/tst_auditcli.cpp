// antibodyctl audit and stats, as an on-call engineer runs them: on a database
// the store wrote, then after editing rows with the sqlite3 tool.
#include "engine/store/sqlitedatabase.h"
#include "engine/store/sqlitestore.h"
#include "tests/engine/storefixtures.h"
#include "tests/support/clirun.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using antibody::cli::antibodyctl;
using antibody::cli::Run;
using antibody::cli::run;
using fixtures::at;

namespace {

// Every table the store writes gets rows: two incidents, one approved and resolved,
// one denied and escalated (with a diagnostics bundle), a breaker, a cooldown and a drill.
void populate(const QString &file)
{
    QString error;
    auto store = SqliteStore::open(file, &error);
    QVERIFY2(store, qPrintable(error));
    fixtures::recordIncident(*store, u"1"_s, 1000);
    // The second is denied and escalated.
    const QString incidentId = u"INC-2"_s;
    Incident i = fixtures::incident(incidentId, at(2000), u"connection-pool-exhaustion"_s, 2);
    i.diagnostics = QJsonObject { { u"db_active_connections"_s, 19 } };
    store->saveIncident(i);
    store->saveAlert(incidentId, fixtures::alert(incidentId, at(1980), at(2000)));
    const Proposal p = fixtures::proposal(u"P-2"_s, incidentId, at(2005));
    store->saveProposal(p);
    store->recordDenial({ p.id, p.plan.fingerprint, u"bob"_s, at(2060), false, u"replica lag too high"_s });
    store->append({ EngineEvent::Kind::Denied, at(2060), incidentId, u"bob denied"_s, {} });
    i.state = IncidentState::Escalated;
    i.history << Transition { IncidentState::Escalated, at(2060), u"denied by bob"_s };
    store->saveIncident(i);
    fixtures::recordEngineState(*store, 2060);
}

} // namespace

class TestAuditCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;
    QString m_sqlite3;

    QString m_simulated; // a data folder `antibodyctl simulate` filled

    // A folder with a database the store wrote, or a copy of the one simulate left.
    QString freshDataDir(bool simulated = false)
    {
        const QString dir = m_dir.filePath(QString::number(++m_n));
        QDir().mkpath(dir);
        if (!simulated) {
            populate(dir + u"/antibody.db"_s);
            return dir;
        }
        for (const QString &name : QDir(m_simulated).entryList({ u"antibody.db*"_s }, QDir::Files))
            QFile::copy(m_simulated + u'/' + name, dir + u'/' + name);
        return dir;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_sqlite3 = QStandardPaths::findExecutable(u"sqlite3"_s);
        QVERIFY2(!m_sqlite3.isEmpty(), "the sqlite3 tool is missing: scripts/setup installs it");
        // Scenarios that between them write every kind of record but drills: approvals, breakers, cooldowns.
        m_simulated = m_dir.filePath(u"simulated"_s);
        for (const QString &scenario :
            { u"connection-pool-exhaustion"_s, u"region-degraded"_s, u"crashloop-restart-fails"_s }) {
            const Run r = antibodyctl({ u"simulate"_s, u"--scenario"_s, scenario, u"--data-dir"_s, m_simulated });
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
    }

    void simulateLeavesAVerifiedTrail()
    {
        const Run r = antibodyctl({ u"audit"_s, u"verify"_s, u"--data-dir"_s, m_simulated });
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY(r.out.startsWith(u"audit trail intact: "_s));
    }

    void anIntactTrailVerifies()
    {
        const QString dir = freshDataDir();
        const Run r = antibodyctl({ u"audit"_s, u"verify"_s, u"--data-dir"_s, dir });
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY(r.out.startsWith(u"audit trail intact: "_s + dir + u"/antibody.db\n"_s));
        QVERIFY(r.out.contains(u"records match their seals"_s));
        QVERIFY(r.out.contains(QRegularExpression(u"head: row \\d+, sha256 [0-9a-f]{64}"_s)));
    }

    // Any row of any table, edited with the sqlite3 tool, makes verify fail and name it.
    void editingAnyRowIsNamed_data()
    {
        QTest::addColumn<bool>("simulated");
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("change"); // SET clause
        QTest::addColumn<QString>("keySql"); // the row's key as verify prints it
        const QList<QStringList> edits {
            { u"audit"_s, u"detail = detail || ' (edited)'"_s, QString() },
            { u"incidents"_s, u"title = title || ' (edited)'"_s, u"json_array(id)"_s },
            { u"transitions"_s, u"reason = 'all fine'"_s, u"json_array(incident_id, seq)"_s },
            { u"alerts"_s, u"starts_at = starts_at + 600000"_s, u"json_array(incident_id, fingerprint)"_s },
            { u"diagnostics"_s, u"bundle = '{}'"_s, u"json_array(id)"_s },
            { u"proposals"_s, u"approvals_required = approvals_required + 1"_s, u"json_array(id)"_s },
            { u"plans"_s, u"plan = plan || ' '"_s, u"json_array(proposal_id, fingerprint)"_s },
            { u"approvals"_s, u"approver = 'mallory'"_s, u"json_array(id)"_s },
            { u"executions"_s, u"approved_by = 'mallory'"_s, u"json_array(id)"_s },
            { u"steps"_s, u"detail = detail || ' (edited)'"_s, u"json_array(id)"_s },
            { u"breakers"_s, u"last_reason = last_reason || ' (edited)'"_s, u"json_array(type)"_s },
            { u"cooldowns"_s, u"until = 0"_s, u"json_array(resource)"_s },
            { u"drills"_s, u"passed = 1 - passed"_s, u"json_array(id)"_s },
        };
        for (const bool simulated : { false, true }) {
            for (const QStringList &e : edits) {
                QTest::addRow("%s, %s", simulated ? "left by simulate" : "written by the store", qPrintable(e[0]))
                    << simulated << e[0] << e[1] << e[2];
            }
        }
    }

    void editingAnyRowIsNamed()
    {
        QFETCH(bool, simulated);
        QFETCH(QString, table);
        QFETCH(QString, change);
        QFETCH(QString, keySql);
        const QString dir = freshDataDir(simulated);
        const QString file = dir + u"/antibody.db"_s;
        // The row in the middle of the table (or the last, for short ones), and how verify names it.
        QString expected;
        qint64 rowid = 0;
        {
            SqliteDatabase db(file, SqliteDatabase::Access::ReadOnly, Duration { 1000 });
            auto q = db.prepare(
                u"SELECT rowid, %1 FROM %2 ORDER BY rowid LIMIT 1 OFFSET (SELECT count(*) / 2 FROM %2)"_s.arg(
                    keySql.isEmpty() ? u"seq"_s : keySql, table));
            if (!q.step()) {
                QVERIFY2(simulated && table == u"drills"_s, qPrintable(u"no rows in "_s + table));
                QSKIP("simulate runs no drills");
            }
            rowid = q.integer(0);
            expected = keySql.isEmpty() ? u"audit row %1"_s.arg(q.integer(1)) : u"%1 row %2"_s.arg(table, q.text(1));
        }
        // As someone covering their tracks would: drop what refuses the edit, then edit.
        QString drops;
        {
            SqliteDatabase db(file, SqliteDatabase::Access::ReadOnly, Duration { 1000 });
            auto triggers = db.prepare(u"SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?"_s);
            triggers.bind(1, table);
            while (triggers.step())
                drops += u"DROP TRIGGER %1; "_s.arg(triggers.text(0));
        }
        const Run edit
            = run(m_sqlite3, { file, drops + u"UPDATE %1 SET %2 WHERE rowid = %3;"_s.arg(table, change).arg(rowid) });
        QVERIFY2(edit.exitCode == 0, qPrintable(edit.err));

        const Run r = antibodyctl({ u"audit"_s, u"verify"_s, u"--data-dir"_s, dir });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.startsWith(u"audit trail BROKEN: "_s + file), qPrintable(r.out));
        const QString first = r.out.section(u'\n', 1, 1);
        QVERIFY2(first.startsWith(u"  first problem: "_s + expected + u' '),
            qPrintable(u"expected %1, got:\n%2"_s.arg(expected, r.out)));
    }

    void deletingTheNewestRowIsNamed()
    {
        const QString dir = freshDataDir();
        const QString file = dir + u"/antibody.db"_s;
        const Run edit = run(m_sqlite3,
            { file,
                u"DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit); SELECT max(seq) + 1 FROM audit;"_s });
        QCOMPARE(edit.exitCode, 0);
        const Run r = antibodyctl({ u"audit"_s, u"verify"_s, u"--data-dir"_s, dir });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(
                     u"first problem: audit row %1 is missing: the newest row was deleted"_s.arg(edit.out.trimmed())),
            qPrintable(r.out));
    }

    // Review finding 7, as measured: drop the triggers, delete the newest row, set the head
    // to the row before, re-create the triggers from their stored SQL. The file alone
    // looks intact; the anchor outside it, and the head kept elsewhere (--expect), show the cut.
    void aCutAndReChainedTailFailsAgainstTheKeptHead()
    {
        const QString dir = freshDataDir(true);
        const QString file = dir + u"/antibody.db"_s;
        const Run before = antibodyctl({ u"audit"_s, u"verify"_s, u"--data-dir"_s, dir });
        QCOMPARE(before.exitCode, 0);
        const QRegularExpressionMatch kept = QRegularExpression(u"--expect (\\d+:[0-9a-f]{64})"_s).match(before.out);
        QVERIFY2(kept.hasMatch(), qPrintable(before.out)); // verify prints the line to keep
        const Run triggers = run(m_sqlite3,
            { file,
                u"SELECT sql || ';' FROM sqlite_master WHERE name IN ('audit_no_delete', 'audit_head_forward');"_s });
        QCOMPARE(triggers.exitCode, 0);
        const Run edit = run(m_sqlite3,
            { file,
                u"DROP TRIGGER audit_no_delete; DROP TRIGGER audit_head_forward; "
                "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit); "
                "UPDATE audit_head SET seq = (SELECT max(seq) FROM audit), hash = (SELECT hash FROM audit WHERE seq = (SELECT max(seq) FROM audit)); "_s
                    + triggers.out });
        QVERIFY2(edit.exitCode == 0, qPrintable(edit.err));
        const Run alone = antibodyctl({ u"audit"_s, u"verify"_s, u"--data-dir"_s, dir });
        QCOMPARE(alone.exitCode, 1); // the review measured 0: the file alone cannot tell, its anchor can
        QVERIFY2(alone.out.contains(u"first problem: the anchor says the chain reached row "_s)
                && alone.out.contains(u"it was cut back, or the database was replaced"_s),
            qPrintable(alone.out));
        // Whoever holds the folder can move the anchor away as well; the head kept elsewhere still tells.
        QVERIFY(QFile::remove(file + u"-anchor"_s));
        QCOMPARE(antibodyctl({ u"audit"_s, u"verify"_s, u"--data-dir"_s, dir }).exitCode, 0);
        const Run checked
            = antibodyctl({ u"audit"_s, u"verify"_s, u"--expect"_s, kept.captured(1), u"--data-dir"_s, dir });
        QCOMPARE(checked.exitCode, 1);
        QVERIFY2(checked.out.contains(u"is gone: it was kept elsewhere"_s), qPrintable(checked.out));
    }

    // Review finding 7: nothing verified the trail before it was exported as evidence.
    void anExportSaysWhetherTheTrailHolds()
    {
        const QString dir = freshDataDir(true);
        const Run good = antibodyctl({ u"audit"_s, u"export"_s, u"--format"_s, u"json"_s, u"--data-dir"_s, dir });
        QCOMPARE(good.exitCode, 0);
        QVERIFY2(!good.err.contains(u"BROKEN"_s), qPrintable(good.err));
        const Run edit = run(m_sqlite3,
            { dir + u"/antibody.db"_s,
                u"DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'nothing happened' WHERE seq = 3"_s });
        QCOMPARE(edit.exitCode, 0);
        const Run broken = antibodyctl({ u"audit"_s, u"export"_s, u"--format"_s, u"json"_s, u"--data-dir"_s, dir });
        QCOMPARE(broken.exitCode, 1);
        QVERIFY2(broken.err.contains(u"the audit trail is BROKEN (audit row 3 "_s), qPrintable(broken.err));
        QVERIFY(broken.out.size() > good.out.size() / 2); // exported all the same: it is what there is
    }

    void aTriggerReCreatedWithOtherSqlIsNamed()
    {
        const QString dir = freshDataDir();
        const QString file = dir + u"/antibody.db"_s;
        const Run edit = run(m_sqlite3,
            { file,
                u"DROP TRIGGER audit_no_update; CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit WHEN 0 BEGIN SELECT 1; END;"_s });
        QCOMPARE(edit.exitCode, 0);
        const Run r = antibodyctl({ u"audit"_s, u"verify"_s, u"--data-dir"_s, dir });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(u"trigger audit_no_update was re-created with other SQL"_s), qPrintable(r.out));
    }

    void expectMustBeARowAndItsHash_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addRow("no hash") << u"12"_s;
        QTest::addRow("short hash") << u"12:abcdef"_s;
        QTest::addRow("row zero") << u"0:"_s + QString(64, u'a');
        QTest::addRow("words") << u"yesterday's"_s;
    }

    void expectMustBeARowAndItsHash()
    {
        QFETCH(QString, value);
        const Run r = antibodyctl({ u"audit"_s, u"verify"_s, u"--expect"_s, value, u"--data-dir"_s, freshDataDir() });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--expect wants SEQ:HASH"_s), qPrintable(r.err));
    }

    void exports_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("toFile");
        QTest::addRow("csv to stdout") << u"csv"_s << false;
        QTest::addRow("json to a file") << u"json"_s << true;
    }

    void exports()
    {
        QFETCH(QString, format);
        QFETCH(bool, toFile);
        const QString dir = freshDataDir();
        const QString output = dir + u"/export."_s + format;
        QStringList args { u"audit"_s, u"export"_s, u"--format"_s, format, u"--data-dir"_s, dir };
        if (toFile)
            args << u"--output"_s << output;
        const Run r = antibodyctl(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QString text = r.out;
        if (toFile) {
            QFile f(output);
            QVERIFY(f.open(QIODevice::ReadOnly));
            text = QString::fromUtf8(f.readAll());
            QVERIFY2(r.err.contains(u"audit rows to "_s + output), qPrintable(r.err));
        }
        if (format == u"json"_s) {
            const QJsonArray rows = QJsonDocument::fromJson(text.toUtf8()).array();
            QVERIFY(rows.size() > 20);
            QCOMPARE(rows.first().toObject().value(u"kind"_s).toString(), u"sealed"_s);
        } else {
            QVERIFY(text.startsWith(u"seq,at,recorded_at,kind,incident,detail,data,prev_hash,hash\r\n"_s));
            QVERIFY(text.contains(u",detected,INC-1,\"DbConnectionPoolExhausted fired, pool at 96%\","_s));
        }
    }

    void stats()
    {
        const QString dir = freshDataDir();
        const Run text = antibodyctl({ u"stats"_s, u"--data-dir"_s, dir });
        QVERIFY2(text.exitCode == 0, qPrintable(text.err));
        QVERIFY2(text.out.contains(u": 2 incidents, 1 resolved, 1 escalated"_s), qPrintable(text.out));
        // Both alerts 20s before detection, proposed 5s after; INC-1 approved 25s later, resolved 80s after its alert.
        QVERIFY2(QRegularExpression(u"\\n  connection-pool-exhaustion +2 +1 +20s +5s +25s +1m20s"_s)
                     .match(text.out)
                     .hasMatch(),
            qPrintable(text.out));
        const Run json = antibodyctl({ u"stats"_s, u"--json"_s, u"--data-dir"_s, dir });
        QCOMPARE(json.exitCode, 0);
        const QJsonObject root = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QCOMPARE(
            root.value(u"all"_s).toObject().value(u"time_to_resolve"_s).toObject().value(u"mean_seconds"_s).toDouble(),
            80.0);
        QCOMPARE(root.value(u"by_level"_s).toArray().size(), 2); // the fixture's level 3, and level 2
    }

    void mistakesAreUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::addRow("no action") << QStringList { u"audit"_s } << u"say verify or export"_s;
        QTest::addRow("export without format")
            << QStringList { u"audit"_s, u"export"_s } << u"--format must be csv or json"_s;
        QTest::addRow("export as xml") << QStringList { u"audit"_s, u"export"_s, u"--format"_s, u"xml"_s }
                                       << u"not 'xml'"_s;
        QTest::addRow("data dir without a value")
            << QStringList { u"audit"_s, u"verify"_s, u"--data-dir"_s } << u"--data-dir needs a folder"_s;
        QTest::addRow("a folder without a database")
            << QStringList { u"stats"_s, u"--data-dir"_s, u"/"_s } << u"holds no database (antibody.db)"_s;
        QTest::addRow("stats with a stray argument")
            << QStringList { u"stats"_s, u"--jsn"_s } << u"unknown argument '--jsn'"_s;
    }

    void mistakesAreUsageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = antibodyctl(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void aDamagedFileIsAnIoError()
    {
        const QString dir = m_dir.filePath(u"damaged"_s);
        QDir().mkpath(dir);
        QFile f(dir + u"/antibody.db"_s);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        const Run r = antibodyctl({ u"audit"_s, u"verify"_s, u"--data-dir"_s, dir });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(dir + u"/antibody.db"_s) && r.err.contains(u"not an Antibody database"_s),
            qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestAuditCli)
#include "tst_auditcli.moc"

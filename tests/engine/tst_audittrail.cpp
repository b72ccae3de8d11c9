// The audit trail: a verified chain stays verified, and every way of editing the
// file behind Antibody's back (an event, a sealed record, the order of rows, the
// triggers) makes verify fail and name the first row that was touched.
#include "engine/store/auditexport.h"
#include "engine/store/audittrail.h"
#include "engine/store/auditverifier.h"
#include "engine/store/rowdigest.h"
#include "engine/store/sqlitedatabase.h"
#include "engine/store/sqlitestore.h"
#include "storefixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using fixtures::at;
using fixtures::t0;

class TestAuditTrail : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;

    QString buildDatabase()
    {
        const QString file = m_dir.filePath(u"audit-%1.db"_s.arg(++m_files));
        QString error;
        auto store = SqliteStore::open(file, &error);
        if (!store)
            qFatal("%s", qUtf8Printable(error));
        fixtures::recordIncident(*store, u"1"_s, 100);
        fixtures::recordIncident(*store, u"2"_s, 1000);
        fixtures::recordEngineState(*store, 1100);
        return file;
    }

    static AuditVerifier::Report verify(const QString &file)
    {
        SqliteDatabase db(file, SqliteDatabase::Access::ReadOnly, Duration { 1000 });
        return AuditVerifier::verify(db);
    }

    static qint64 scalar(SqliteDatabase &db, const QString &sql)
    {
        auto q = db.prepare(sql);
        q.step();
        return q.integer(0);
    }

private Q_SLOTS:
    void anUntouchedTrailVerifies()
    {
        const QString file = buildDatabase();
        const auto report = verify(file);
        for (const auto &p : report.problems)
            qWarning("%s: %s", qUtf8Printable(p.where), qUtf8Printable(p.what));
        QVERIFY(report.intact());
        QCOMPARE(report.events, 10); // five per incident
        QVERIFY(report.seals >= 20);
        QCOMPARE(report.rows, report.events + report.seals);
        QCOMPARE(report.headSeq, report.rows);
        QCOMPARE(report.headHash.size(), 64);
        QVERIFY(report.records >= 20);
    }

    void tamperingIsNamed_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("what");
        // %N is the newest audit row; %E the 5th row, an event; the rest is plain SQL, as with the sqlite3 tool.
        QTest::addRow("an event edited")
            << u"DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'nothing happened' WHERE seq = %E"_s
            << u"audit row %E"_s << u"was edited"_s;
        QTest::addRow("an event's time moved")
            << u"DROP TRIGGER audit_no_update; UPDATE audit SET at = at + 1 WHERE seq = %E"_s << u"audit row %E"_s
            << u"was edited"_s;
        QTest::addRow("a row deleted") << u"DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = %E"_s
                                       << u"audit row %E"_s << u"is missing: it was deleted"_s;
        QTest::addRow("the newest row deleted") << u"DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = %N"_s
                                                << u"audit row %N"_s << u"the newest row was deleted"_s;
        QTest::addRow("two rows swapped")
            << u"DROP TRIGGER audit_no_update; UPDATE audit SET seq = -1 WHERE seq = %E; "
               "UPDATE audit SET seq = %E WHERE seq = %E + 3; UPDATE audit SET seq = %E + 3 WHERE seq = -1"_s
            << u"audit row %E"_s << u"rows were reordered"_s;
        QTest::addRow("an approval rewritten")
            << u"DROP TRIGGER approvals_final; UPDATE approvals SET approver = 'mallory' WHERE id = 2"_s
            << u"approvals row [2]"_s << u"changed outside Antibody after audit row"_s;
        QTest::addRow("an incident's outcome changed")
            << u"UPDATE incidents SET state = 'escalated' WHERE id = 'INC-1'"_s << u"incidents row [\"INC-1\"]"_s
            << u"changed outside Antibody"_s;
        QTest::addRow("a step's outcome changed")
            << u"DROP TRIGGER steps_final; UPDATE steps SET outcome = 'failed' WHERE id = 1"_s << u"steps row [1]"_s
            << u"changed outside Antibody"_s;
        QTest::addRow("a breaker reset") << u"UPDATE breakers SET failures = '[]'"_s
                                         << u"breakers row [\"connection-pool-exhaustion\"]"_s
                                         << u"changed outside Antibody"_s;
        QTest::addRow("an approval forged")
            << u"INSERT INTO approvals (proposal_id, fingerprint, approver, decision, reason, at) "
               "SELECT proposal_id, fingerprint, 'bob', 'approved', '', at FROM approvals WHERE id = 1"_s
            << u"approvals row [3]"_s << u"added outside Antibody"_s;
        QTest::addRow("a step deleted") << u"DROP TRIGGER steps_kept; DELETE FROM steps WHERE id = 2"_s
                                        << u"steps row [2]"_s << u"was deleted"_s;
        QTest::addRow("the append-only trigger dropped")
            << u"DROP TRIGGER audit_no_update"_s << u"trigger audit_no_update"_s << u"was dropped"_s;
    }

    void tamperingIsNamed()
    {
        QFETCH(QString, sql);
        QFETCH(QString, where);
        QFETCH(QString, what);
        const QString file = buildDatabase();
        {
            SqliteDatabase db(file, SqliteDatabase::Access::ReadWrite, Duration { 1000 });
            const qint64 newest = scalar(db, u"SELECT max(seq) FROM audit"_s);
            const qint64 event = scalar(db, u"SELECT min(seq) FROM audit WHERE kind <> 'sealed' AND seq >= 5"_s);
            for (QString *text : { &sql, &where }) {
                text->replace(u"%N"_s, QString::number(newest));
                text->replace(u"%E"_s, QString::number(event));
            }
            // "%E + 3" in SQL stays arithmetic; in `where` there is none.
            db.exec(sql);
        }
        const auto report = verify(file);
        QVERIFY2(!report.intact(), "verify accepted a tampered database");
        const auto &first = report.problems.front();
        QVERIFY2(first.where == where && first.what.contains(what),
            qPrintable(u"first problem: %1: %2"_s.arg(first.where, first.what)));
    }

    // The content changed and the hash was recomputed to match: the next row still holds the old one.
    void aRecomputedHashIsCaughtByTheNextRow()
    {
        const QString file = buildDatabase();
        SqliteDatabase db(file, SqliteDatabase::Access::ReadWrite, Duration { 1000 });
        db.exec(u"DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'nobody approved' WHERE seq = 7"_s);
        auto row = db.prepare(u"SELECT * FROM audit WHERE seq = 7"_s);
        QVERIFY(row.step());
        const QString rehashed = RowDigest().addRow(row, u"hash").hex();
        row.reset();
        auto update = db.prepare(u"UPDATE audit SET hash = ? WHERE seq = 7"_s);
        update.bind(1, rehashed);
        update.run();
        const auto report = verify(file);
        QVERIFY(!report.intact());
        QCOMPARE(report.problems.front().where, u"audit row 7"_s);
        QVERIFY(report.problems.front().what.contains(u"hash recomputed"_s));
    }

    void theFirstOfSeveralEditsIsNamedFirst()
    {
        const QString file = buildDatabase();
        {
            SqliteDatabase db(file, SqliteDatabase::Access::ReadWrite, Duration { 1000 });
            db.exec(u"DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'x' WHERE seq IN (9, 4)"_s);
        }
        const auto report = verify(file);
        QCOMPARE(report.problems.size(), 3); // rows 4 and 9, and the dropped trigger
        QCOMPARE(report.problems[0].where, u"audit row 4"_s);
        QCOMPARE(report.problems[1].where, u"audit row 9"_s);
    }

    void theTrailGrowsAcrossProcessesAndReopens()
    {
        const QString file = buildDatabase();
        {
            QString error;
            auto store = SqliteStore::open(file, &error);
            QVERIFY(store);
            fixtures::recordIncident(*store, u"3"_s, 3000);
        }
        QVERIFY(verify(file).intact());
    }

    void exportWritesEveryRow_data()
    {
        QTest::addColumn<bool>("json");
        QTest::addColumn<bool>("eventsOnly");
        QTest::addRow("csv") << false << false;
        QTest::addRow("csv, events only") << false << true;
        QTest::addRow("json") << true << false;
        QTest::addRow("json, events only") << true << true;
    }

    void exportWritesEveryRow()
    {
        QFETCH(bool, json);
        QFETCH(bool, eventsOnly);
        const QString file = buildDatabase();
        SqliteDatabase db(file, SqliteDatabase::Access::ReadOnly, Duration { 1000 });
        const auto report = AuditVerifier::verify(db);
        QString text;
        QTextStream out(&text);
        const qint64 written
            = AuditExport::write(db, { json ? AuditExport::Format::Json : AuditExport::Format::Csv, eventsOnly }, out);
        QCOMPARE(written, eventsOnly ? report.events : report.rows);
        if (json) {
            QJsonParseError error;
            const QJsonArray rows = QJsonDocument::fromJson(text.toUtf8(), &error).array();
            QCOMPARE(error.error, QJsonParseError::NoError);
            QCOMPARE(rows.size(), written);
            const QJsonObject first = rows.first().toObject();
            QVERIFY(first.value(u"at"_s).toString().endsWith(u'Z'));
            if (eventsOnly) {
                QCOMPARE(first.value(u"kind"_s).toString(), u"detected"_s);
                QCOMPARE(
                    first.value(u"data"_s).toObject().value(u"alert"_s).toString(), u"DbConnectionPoolExhausted"_s);
            } else {
                QCOMPARE(first.value(u"prev_hash"_s).toString(), AuditTrail::genesisHash());
                QCOMPARE(rows.last().toObject().value(u"hash"_s).toString(), report.headHash);
            }
        } else {
            // RFC 4180: a quoted field may hold commas, doubled quotes and line breaks.
            QVERIFY(text.startsWith(u"seq,at,recorded_at,kind,incident,detail,data,prev_hash,hash\r\n"_s));
            QVERIFY(text.contains(u"\"kill 2 idle connections, \"\"15%\"\" cap\""_s));
            QCOMPARE(text.count(u"\r\n"_s), written + 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestAuditTrail)
#include "tst_audittrail.moc"

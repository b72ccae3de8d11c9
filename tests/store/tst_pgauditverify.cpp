// `antibodyctl audit verify` on the team's PostgreSQL store (PgAuditVerifier): an intact
// trail verifies, and what a superuser does behind the store's back (a row edited with
// its trigger disabled, the newest rows deleted, the head moved, a trigger left off, a
// sealed record changed) is named by row, by the product's verifier and by the CLI as a
// user runs it. Against the cluster of scripts/teamdb (the ctest fixture).
#include "pgharness.h"
#include "store/postgres/pgauditverifier.h"
#include "storefixtures.h"
#include "tests/support/clirun.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace antibody::pgtest;

namespace {

// A database whose trail holds two incidents from detection to resolution and the
// engine's state, written by a leading replica that is gone again.
QString recordedDatabase(VirtualClock &clock, TimePoint start)
{
    const QString db = createDatabase(u"auditverify"_s);
    Replica leader(db, u"replica-a"_s, clock, start);
    if (!leader.lease->tryAcquire())
        qFatal("a new database's lease was not granted");
    fixtures::recordIncident(*leader.store, u"1"_s, 0);
    fixtures::recordIncident(*leader.store, u"2"_s, 100);
    fixtures::recordEngineState(*leader.store, 300);
    if (!leader.failures.isEmpty())
        qFatal("%s", qPrintable(leader.failures.join(u'\n')));
    leader.lease->stepDown();
    return db;
}

QString firstProblem(const AuditVerifier::Report &r)
{
    return r.intact() ? QString() : r.problems.front().where + u' ' + r.problems.front().what;
}

cli::Run verifyCli(const QStringList &args)
{
    return cli::run(QStringLiteral(ANTIBODYCTL), QStringList { u"audit"_s, u"verify"_s } + args);
}

} // namespace

class TestPgAuditVerify : public QObject
{
    Q_OBJECT

    VirtualClock m_clock;
    const TimePoint m_start = m_clock.now();

private Q_SLOTS:
    // Read in a read-only snapshot while another replica leads: no lease, nothing written.
    void anIntactTrailVerifiesWithoutTheLease()
    {
        const QString db = recordedDatabase(m_clock, m_start);
        Replica leader(db, u"replica-b"_s, m_clock, m_start);
        QVERIFY(leader.lease->tryAcquire());
        auto look = pgtest::look(db);
        const qint64 rows = scalar(*look, u"SELECT count(*) FROM audit"_s);
        const AuditVerifier::Report r = PgAuditVerifier::verify(*look);
        QCOMPARE(firstProblem(r), QString());
        QCOMPARE(r.rows, rows);
        QCOMPARE(r.headSeq, rows);
        QCOMPARE(r.headHash,
            look->exec(u"SELECT hash FROM audit WHERE seq = $1"_s, { QString::number(rows) }).rows.value(0).value(0));
        QVERIFY(r.events > 0);
        QVERIFY(r.seals > 0);
        QVERIFY(r.records > 0);
        QCOMPARE(r.events + r.seals, r.rows);
        QCOMPARE(scalar(*look, u"SELECT count(*) FROM audit"_s), rows);
        QVERIFY(leader.lease->isLeader());

        // A role that may only read (no lease row to take, nothing to migrate) is enough.
        const PgRows granted = look->execScript(
            u"DO $$ BEGIN CREATE ROLE antibody_auditor LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO antibody_auditor;"_s);
        QVERIFY2(granted.ok, qPrintable(granted.error));
        const cli::Run auditor = verifyCli({ u"--store-dsn"_s,
            u"host=127.0.0.1 port=%1 dbname=%2 user=antibody_auditor sslmode=disable"_s.arg(clusterPort()).arg(db) });
        QVERIFY2(auditor.exitCode == 0, qPrintable(auditor.out + auditor.err));
        QVERIFY2(auditor.out.contains(u"  %1 rows: "_s.arg(rows)), qPrintable(auditor.out));
        QVERIFY(leader.lease->isLeader());

        // A row kept elsewhere still holds; one with another hash does not.
        const AuditVerifier::Report kept = PgAuditVerifier::verify(*look, { { r.headSeq, r.headHash } });
        QVERIFY(kept.intact());
        const AuditVerifier::Report other = PgAuditVerifier::verify(*look, { { 2, QString(64, u'a') } });
        QVERIFY2(firstProblem(other).startsWith(u"audit row 2 has hash "_s)
                && firstProblem(other).endsWith(
                    u", not aaaaaaaaaaaaaaaa as kept elsewhere: the trail was rewritten from there on"_s),
            qPrintable(firstProblem(other)));
    }

    void tamperingIsNamedByRow_data()
    {
        // %1: the newest row's seq, %2 the one before, %3 the row that sealed the cooldown.
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("problem"); // the first problem

        QTest::addRow("a row's detail edited") << u"ALTER TABLE audit DISABLE TRIGGER audit_no_update; "
                                                  "UPDATE audit SET detail = 'nothing happened' WHERE seq = 3; "
                                                  "ALTER TABLE audit ENABLE TRIGGER audit_no_update;"_s
                                               << u"audit row 3 was edited: its content no longer matches its hash"_s;
        QTest::addRow("a row deleted")
            << u"ALTER TABLE audit DISABLE TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 4; "
               "ALTER TABLE audit ENABLE TRIGGER audit_no_delete;"_s
            << u"audit row 4 is missing: it was deleted"_s;
        QTest::addRow("the newest rows deleted")
            << u"ALTER TABLE audit DISABLE TRIGGER audit_no_delete; DELETE FROM audit WHERE seq > %1 - 2; "
               "ALTER TABLE audit ENABLE TRIGGER audit_no_delete;"_s
            << u"audit row %2 is missing, and so are the rows up to %1: the newest rows were deleted"_s;
        QTest::addRow("the head edited")
            << u"ALTER TABLE audit_head DISABLE TRIGGER audit_head_forward; "
               "UPDATE audit_head SET hash = repeat('a', 64); "
               "ALTER TABLE audit_head ENABLE TRIGGER audit_head_forward;"_s
            << u"audit row %1 was edited and its hash recomputed: the head still records the hash it had"_s;
        QTest::addRow("the head moved back")
            << u"ALTER TABLE audit_head DISABLE TRIGGER audit_head_forward; "
               "UPDATE audit_head SET seq = seq - 1; "
               "ALTER TABLE audit_head ENABLE TRIGGER audit_head_forward;"_s
            << u"audit row %1 was added outside Antibody: the head of the trail is row %2"_s;
        QTest::addRow("a trigger left disabled")
            << u"ALTER TABLE audit DISABLE TRIGGER audit_no_update;"_s
            << u"trigger audit_no_update is disabled: the audit trail no longer refuses edits"_s;
        QTest::addRow("a trigger for replication only")
            << u"ALTER TABLE audit_head ENABLE REPLICA TRIGGER audit_head_forward;"_s
            << u"trigger audit_head_forward is disabled: the audit trail no longer refuses edits"_s;
        QTest::addRow("a sealed record changed")
            << u"UPDATE cooldowns SET reason = 'nothing to see'"_s
            << u"cooldowns row [\"database/orders-db\"] was changed outside Antibody after audit row %3 sealed it"_s;
    }

    void tamperingIsNamedByRow()
    {
        QFETCH(QString, sql);
        QFETCH(QString, problem);
        const QString db = recordedDatabase(m_clock, m_start);
        auto look = pgtest::look(db);
        const qint64 newest = scalar(*look, u"SELECT max(seq) FROM audit"_s);
        const qint64 cooldownSeal = scalar(*look, u"SELECT audit_seq FROM seals WHERE table_name = 'cooldowns'"_s);
        const auto fill = [&](QString text) {
            return text.replace(u"%1"_s, QString::number(newest))
                .replace(u"%2"_s, QString::number(newest - 1))
                .replace(u"%3"_s, QString::number(cooldownSeal));
        };
        const PgRows done = look->execScript(fill(sql));
        QVERIFY2(done.ok, qPrintable(done.error));
        const QString expected = fill(problem);

        const AuditVerifier::Report r = PgAuditVerifier::verify(*look);
        QCOMPARE(firstProblem(r), expected);

        const cli::Run run = verifyCli({ u"--store-dsn"_s, dsn(db) });
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(
            run.out.startsWith(u"audit trail BROKEN: host=127.0.0.1 port=%1 dbname=%2\n"_s.arg(clusterPort()).arg(db)),
            qPrintable(run.out));
        QVERIFY2(run.out.contains(u"  first problem: "_s + expected + u'\n'), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"Keep this database unchanged as evidence"_s), qPrintable(run.out));
    }

    // As the lead would run it: the server's own configuration, its password_env honoured.
    void theCliReadsTheServersConfiguration()
    {
        const QString db = recordedDatabase(m_clock, m_start);
        QTemporaryDir dir;
        const QString config = dir.filePath(u"antibody-server.yaml"_s);
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(u"server:\n  listen: \"127.0.0.1:0\"\n  tls: false\n"
                "  database: { dsn: \"%1\", password_env: ANTIBODY_TEST_STORE_PASSWORD }\n"_s.arg(dsn(db))
                    .toUtf8());
        f.close();
        qputenv("ANTIBODY_TEST_STORE_PASSWORD", "trust-ignores-it");

        const cli::Run intact = verifyCli({ u"--config"_s, config });
        QVERIFY2(intact.exitCode == 0, qPrintable(intact.out + intact.err));
        const qint64 newest = scalar(*pgtest::look(db), u"SELECT max(seq) FROM audit"_s);
        QVERIFY2(intact.out.startsWith(
                     u"audit trail intact: host=127.0.0.1 port=%1 dbname=%2\n"_s.arg(clusterPort()).arg(db)),
            qPrintable(intact.out));
        QVERIFY2(intact.out.contains(u"  head: row %1, sha256 "_s.arg(newest)), qPrintable(intact.out));
        QVERIFY2(!intact.out.contains(u"anchor"_s), qPrintable(intact.out));
        QVERIFY2(intact.out.contains(u"`antibodyctl audit verify --config %1 --expect %2:"_s.arg(config).arg(newest)),
            qPrintable(intact.out));

        // The --expect line it printed holds until the trail is cut back.
        const QString kept = intact.out.section(u"--expect "_s, 1).section(u'`', 0, 0);
        QCOMPARE(verifyCli({ u"--config"_s, config, u"--expect"_s, kept }).exitCode, 0);
        const PgRows cut = pgtest::look(db)->execScript(
            u"ALTER TABLE audit DISABLE TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = %1; "
            "ALTER TABLE audit ENABLE TRIGGER audit_no_delete; "
            "ALTER TABLE audit_head DISABLE TRIGGER audit_head_forward; "
            "UPDATE audit_head SET seq = %2, hash = (SELECT hash FROM audit WHERE seq = %2); "
            "ALTER TABLE audit_head ENABLE TRIGGER audit_head_forward;"_s.arg(newest)
                .arg(newest - 1));
        QVERIFY2(cut.ok, qPrintable(cut.error));
        const cli::Run after = verifyCli({ u"--config"_s, config, u"--expect"_s, kept });
        QCOMPARE(after.exitCode, 1);
        QVERIFY2(after.out.contains(u"audit row %1 is gone: it was kept elsewhere with hash "_s.arg(newest)),
            qPrintable(after.out));
    }

    void theCliRefusesWhatItCannotRead_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        const QString port = QString::number(clusterPort());
        QTest::addRow("a password in the DSN")
            << QStringList { u"--store-dsn"_s, u"host=127.0.0.1 port=%1 dbname=x password=Sup3rS3cret-pw"_s.arg(port) }
            << u"contains a password"_s;
        QTest::addRow("an empty DSN, not the local store") << QStringList { u"--store-dsn="_s } << u"DSN is empty"_s;
        QTest::addRow("no server there") << QStringList { u"--store-dsn"_s,
            u"host=127.0.0.1 port=1 dbname=antibody user=postgres connect_timeout=2"_s }
                                         << u"cannot connect to PostgreSQL (host=127.0.0.1 port=1 dbname=antibody)"_s;
        QTest::addRow("no Antibody store")
            << QStringList { u"--store-dsn"_s, dsn(u"postgres"_s) } << u"dbname=postgres holds no Antibody store"_s;
        QTest::addRow("two stores") << QStringList { u"--store-dsn"_s, dsn(u"postgres"_s), u"--data-dir"_s, u"/tmp"_s }
                                    << u"give one of --data-dir, --config and --store-dsn"_s;
    }

    void theCliRefusesWhatItCannotRead()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        const cli::Run run = verifyCli(args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(error), qPrintable(run.err));
        QVERIFY2(!run.err.contains(u"Sup3rS3cret-pw"_s), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestPgAuditVerify)

#include "tst_pgauditverify.moc"

// Two antibody-server processes on one PostgreSQL store (scripts/teamdb) against the real
// stack (labels realstack, store): the pool is exhausted, a person approves on the leader,
// and the leader is killed with SIGKILL the moment its first pass has started. The standby
// leads within 15 s, reads the execution back as interrupted and, since nobody can tell
// what that pass did, escalates it with the stored context: it never runs it again. The
// pool lost at most the pass's cap; nothing reached it twice. (The same rules in virtual
// time, with a person approving the next run: tst_teamengine.)
#include "realstackrun.h"
#include "tests/support/selfsignedcertificate.h"
#include "tests/support/serverprocess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace antibody::test;

namespace {

QString teamDsn(const QString &database)
{
    return u"host=127.0.0.1 port=%1 dbname=%2 user=postgres sslmode=disable"_s.arg(
        qEnvironmentVariable("TEAMDB_PORT"), database);
}

// One statement on the team store's cluster; its rows, or a failure with the message.
QList<QStringList> teamQuery(const QString &database, const QString &sql, QString *error = nullptr)
{
    PGconn *c = PQconnectdb(teamDsn(database).toUtf8().constData());
    QList<QStringList> rows;
    PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql.toUtf8().constData()) : nullptr;
    const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && error)
        *error = QString::fromUtf8(PQerrorMessage(c));
    for (int i = 0; status == PGRES_TUPLES_OK && i < PQntuples(r); ++i) {
        QStringList row;
        for (int j = 0; j < PQnfields(r); ++j)
            row << QString::fromUtf8(PQgetvalue(r, i, j));
        rows << row;
    }
    PQclear(r);
    PQfinish(c);
    return rows;
}

// The passes of the pool's kill_idle step as the shared audit trail holds them, both
// servers' together.
QList<QJsonObject> killIdlePasses(const QString &database)
{
    QList<QJsonObject> out;
    for (const QStringList &row :
        teamQuery(database, u"SELECT data FROM audit WHERE kind = 'step_started' ORDER BY seq"_s)) {
        const QJsonObject d = QJsonDocument::fromJson(row.value(0).toUtf8()).object();
        if (d.value(u"step"_s).toString() == u"kill_idle"_s)
            out << d;
    }
    return out;
}

} // namespace

class TestRealStackTeam : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    SelfSignedCertificate m_certificate;

    QStringList trusted(const ServerProcess &server) const
    {
        return { u"--server"_s, server.url, u"--ca-file"_s, m_certificate.certFile() };
    }

    // The pool's incident and the plan that waits for people, as `antibodyctl incidents`
    // lists them on `server` now (none: empty).
    std::pair<QString, QString> waitingPlan(const ServerProcess &server, QString *listing = nullptr)
    {
        const CliRun listed = antibodyctl(QStringList { u"incidents"_s, u"--json"_s } + trusted(server), m_dir.path());
        if (listing)
            *listing = listed.err + listed.out;
        for (const QJsonValue &v : listed.json().value(u"incidents"_s).toArray()) {
            const QJsonObject waitingProposal = v.toObject().value(u"waiting_proposal"_s).toObject();
            if (v.toObject().value(u"runbook"_s).toString() == runbookName && !waitingProposal.isEmpty())
                return { v.toObject().value(u"id"_s).toString(), waitingProposal.value(u"fingerprint"_s).toString() };
        }
        return {};
    }

    // The person: reads what the server proposes now for the pool, and approves exactly it.
    QString approveThePool(const ServerProcess &server, const QString &name)
    {
        QString incident, fingerprint, why;
        const bool waiting = QTest::qWaitFor(
            [&] {
                std::tie(incident, fingerprint) = waitingPlan(server, &why);
                return !fingerprint.isEmpty();
            },
            90'000);
        if (!waiting)
            return u"no proposal waits on %1: %2"_s.arg(server.url, why);
        const CliRun approved
            = antibodyctl(QStringList { u"approve"_s, incident, u"--name"_s, name, u"--fingerprint"_s, fingerprint }
                    + trusted(server),
                m_dir.path());
        return approved.exitCode == 0 ? QString() : approved.err + approved.out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_certificate.ok(), qPrintable(m_certificate.error));
        waitForQuietStack();
    }

    void cleanupTestCase()
    {
        QString log;
        QVERIFY2(RealStack::run({ u"release"_s }, &log), qPrintable(log));
    }

    void theLeaderKilledMidPassIsEscalatedNeverRunAgain()
    {
        const QString database = u"realstackteam_%1"_s.arg(QCoreApplication::applicationPid());
        QString error;
        teamQuery(u"postgres"_s, u"DROP DATABASE IF EXISTS "_s + database, &error);
        teamQuery(u"postgres"_s, u"CREATE DATABASE "_s + database, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));

        const QString config = m_dir.filePath(u"team.yaml"_s);
        {
            QFile f(config);
            QVERIFY(f.open(QIODevice::WriteOnly));
            const QString runbooks = RealStack::poolRunbook(m_dir.filePath(u"runbooks"_s));
            f.write(RealStack::configuration(runbooks,
                u"server:\n"
                "  listen: \"127.0.0.1:0\"\n"
                "  http_listen: \"127.0.0.1:0\"\n"
                "  certificate: \"%1\"\n"
                "  private_key: \"%2\"\n"
                "  heartbeat: 2s\n"
                "  database: { dsn: \"%3\" }\n"_s
                    .arg(m_certificate.certFile(), m_certificate.keyFile(), teamDsn(database))
                    .toUtf8()));
        }
        ServerProcess a, b;
        a.start(config, m_dir.filePath(u"a"_s));
        QTRY_VERIFY2_WITH_TIMEOUT(a.listening(), qPrintable(a.log), 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(a.gauge("antibody_server_leader"), std::optional<qint64>(1), 30'000);
        b.start(config, m_dir.filePath(u"b"_s));
        QTRY_VERIFY2_WITH_TIMEOUT(b.listening(), qPrintable(b.log), 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(b.gauge("antibody_server_leader"), std::optional<qint64>(0), 30'000);

        QString log;
        QVERIFY2(RealStack::run({ u"exhaust"_s }, &log), qPrintable(log));
        const int appBefore = appConnections();
        const QStringList idleBefore = idleAppConnectionsOldestFirst();
        QVERIFY2(idleBefore.size() >= 8, qPrintable(log));

        // A console on the standby shows what the leader proposed, read from the shared
        // store: the same incident, the same plan to the fingerprint.
        std::pair<QString, QString> onLeader, onStandby;
        QTRY_VERIFY_WITH_TIMEOUT(!(onLeader = waitingPlan(a)).second.isEmpty(), 90'000);
        QTRY_COMPARE_WITH_TIMEOUT((onStandby = waitingPlan(b)), onLeader, 10'000);

        const QString onA = approveThePool(a, u"oncall-a"_s);
        QVERIFY2(onA.isEmpty(), qPrintable(onA + a.log));
        QTRY_VERIFY2_WITH_TIMEOUT(!killIdlePasses(database).isEmpty(), qPrintable(a.log), 60'000);
        a.process.kill(); // SIGKILL the moment its first pass has started
        QElapsedTimer sinceKill;
        sinceKill.start();
        QVERIFY(a.process.waitForFinished(10'000));
        QTRY_COMPARE_WITH_TIMEOUT(b.gauge("antibody_server_leader"), std::optional<qint64>(1), 30'000);
        const qint64 tookOverMs = sinceKill.elapsed();
        QVERIFY2(tookOverMs < 15'000, qPrintable(u"took %1 ms"_s.arg(tookOverMs)));

        // The new leader reads the execution back as interrupted and, unable to tell what
        // its pass did, escalates with the stored context instead of running it again.
        QTRY_COMPARE_WITH_TIMEOUT(
            teamQuery(database, u"SELECT count(*) FROM executions WHERE outcome = 'interrupted'"_s).value(0).value(0),
            u"1"_s, 30'000);
        QTRY_VERIFY2_WITH_TIMEOUT(
            !teamQuery(database, u"SELECT 1 FROM audit WHERE kind = 'escalated' AND detail LIKE '%unknown%'"_s)
                 .isEmpty(),
            qPrintable(b.log), 30'000);
        QTest::qWait(5'000); // a person reads the page; the new leader runs nothing meanwhile
        // The console on the new leader no longer offers the interrupted incident's plan
        // (the stored record ended; a new incident would be a new plan to read).
        QVERIFY(waitingPlan(b).first != onLeader.first);

        // Across both servers: one pass, within its cap; the pool lost at most what it aimed at.
        const QList<QJsonObject> passes = killIdlePasses(database);
        QCOMPARE(passes.size(), 1);
        const QJsonObject pass = passes.front();
        const int cap = pass.value(u"cap"_s).toInt();
        QVERIFY2(pass.value(u"targets"_s).toArray().size() <= cap,
            QJsonDocument(pass).toJson(QJsonDocument::Compact).constData());
        const int lost = appBefore - appConnections();
        QVERIFY2(lost >= 0 && lost <= cap, qPrintable(u"%1 connections gone, cap %2"_s.arg(lost).arg(cap)));
        const auto runs = teamQuery(database, u"SELECT executor, approved_by, outcome FROM executions"_s);
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.front().value(1), u"oncall-a"_s);
        qInfo("the standby led %lld ms after the kill and escalated the interrupted pass (%d of its %d connections "
              "were terminated before the kill); nothing ran twice",
            tookOverMs, lost, static_cast<int>(pass.value(u"targets"_s).toArray().size()));

        b.process.terminate();
        QVERIFY(b.process.waitForFinished(30'000));
        QCOMPARE(b.process.exitCode(), 0);
        teamQuery(u"postgres"_s, u"DROP DATABASE IF EXISTS "_s + database);
    }
};

QTEST_GUILESS_MAIN(TestRealStackTeam)
#include "tst_realstackteam.moc"

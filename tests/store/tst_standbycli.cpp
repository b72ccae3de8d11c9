// antibodyctl --server against a server that stands by: two real antibody-server processes
// on one PostgreSQL database (scripts/teamdb), the second standing by. Every decision sent to
// the standby (approve, deny, cancel, reset-breaker) is refused with exit 1 and a message
// that names the standby's URL and who leads, never "no such incident" (a standby's engine
// holds nothing); the same command on the leader is answered by the leader. One pair of
// processes for the whole suite.
#include "serverprocess.h"
#include "tests/server/testclient.h"
#include "tests/support/clirun.h"
#include "tests/support/selfsignedcertificate.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using antibody::pgtest::ServerProcess;
using antibody::test::SelfSignedCertificate;
using antibody::test::TestClient;

class TestStandbyCli : public QObject
{
    Q_OBJECT

    SelfSignedCertificate m_certificate;
    QTemporaryDir m_dir;
    ServerProcess m_leader;
    ServerProcess m_standby;

    cli::Run ctl(const QStringList &command, const QString &url)
    {
        return cli::runServing(QStringLiteral(ANTIBODYCTL),
            command
                + QStringList { u"--server"_s, url, u"--ca-file"_s, m_certificate.certFile(), u"--name"_s, u"dana"_s,
                    u"--timeout"_s, u"5"_s });
    }

    // How the leader names itself: "antibody-server USER@HOST (pid N)".
    QString leaderPid() const { return u"(pid %1)"_s.arg(m_leader.process.processId()); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_certificate.ok(), qPrintable(m_certificate.error));
        QVERIFY(m_dir.isValid());
        QFile shipped(QStringLiteral(ANTIBODY_SOURCE) + u"/runbooks/pod-crashloop-restart.yaml"_s);
        QVERIFY(shipped.open(QIODevice::ReadOnly));
        QFile custom(m_dir.filePath(u"custom.yaml"_s));
        QVERIFY(custom.open(QIODevice::WriteOnly));
        custom.write(shipped.readAll()
                         .replace("name: pod-crashloop-restart", "name: checkout-crashloop-restart")
                         .replace("level: 3", "level: 2"));
        QFile broken(m_dir.filePath(u"broken.yaml"_s));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("name: broken\nlevel: 9\n");
        const QString database = pgtest::createDatabase(u"standbycli"_s);
        const QString config = pgtest::writeServerConfig(m_dir.filePath(u"server.yaml"_s), m_certificate, database);
        const QString leads = pgtest::startAs(m_leader, 1, config, m_dir.filePath(u"leader"_s));
        QVERIFY2(leads.isEmpty(), qPrintable(leads));
        const QString standsBy = pgtest::startAs(m_standby, 0, config, m_dir.filePath(u"standby"_s));
        QVERIFY2(standsBy.isEmpty(), qPrintable(standsBy));

        // The standby reads who leads from the lease; a client learns it from welcome or role.
        TestClient probe(m_certificate.certPem);
        QVERIFY(probe.open(m_standby.url));
        probe.hello(u"probe"_s);
        const auto knowsTheLeader = [&] {
            return std::any_of(probe.messages.cbegin(), probe.messages.cend(),
                [&](const QJsonObject &m) { return m.value(u"leader"_s).toString().contains(leaderPid()); });
        };
        QTRY_VERIFY_WITH_TIMEOUT(knowsTheLeader(), 10'000);
    }

    void cleanupTestCase()
    {
        for (ServerProcess *p : { &m_standby, &m_leader }) {
            if (p->process.state() == QProcess::NotRunning)
                continue; // killed by the last test
            p->process.terminate();
            QVERIFY(p->process.waitForFinished(20'000));
        }
    }

    void aDecisionOnTheStandbyNamesTheLeader_data()
    {
        QTest::addColumn<QStringList>("command");
        QTest::addColumn<QString>("done");
        QTest::addRow("approve") << QStringList { u"approve"_s, u"INC-89ca032f-P1"_s, u"--fingerprint"_s,
            QString(64, u'a') } << u"approved"_s;
        QTest::addRow("deny") << QStringList { u"deny"_s, u"INC-89ca032f"_s, u"--reason"_s,
            u"the replica is being rebuilt"_s }
                              << u"denied"_s;
        QTest::addRow("cancel") << QStringList { u"cancel"_s, u"INC-89ca032f"_s } << u"cancelled"_s;
        QTest::addRow("reset-breaker") << QStringList { u"reset-breaker"_s, u"crash-loop-restart"_s } << u"reset"_s;
        QTest::addRow("install-runbook") << QStringList { u"install-runbook"_s, m_dir.filePath(u"custom.yaml"_s) }
                                         << u"installed"_s;
    }

    void aDecisionOnTheStandbyNamesTheLeader()
    {
        QFETCH(QStringList, command);
        QFETCH(QString, done);
        const cli::Run r = ctl(command, m_standby.url);
        QVERIFY2(r.exitCode == 1, qPrintable(u"exit %1: %2"_s.arg(r.exitCode).arg(r.err)));
        QVERIFY2(r.err.startsWith(u"antibodyctl %1: not %2: %3 stands by; the leader is antibody-server "_s.arg(
                     command.first(), done, m_standby.url)),
            qPrintable(r.err));
        QVERIFY2(r.err.contains(leaderPid()), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"--server with the leader's URL"_s), qPrintable(r.err));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
    }

    // A script reads the same from --json: not ok, not leading, and who leads.
    void theRefusalAsJson()
    {
        const cli::Run r = ctl({ u"cancel"_s, u"INC-89ca032f"_s, u"--json"_s }, m_standby.url);
        QCOMPARE(r.exitCode, 1);
        const QJsonObject out = r.json();
        QVERIFY2(!out.isEmpty(), qPrintable(r.out));
        QCOMPARE(out.value(u"ok"_s).toBool(true), false);
        QCOMPARE(out.value(u"leading"_s).toBool(true), false);
        QVERIFY2(out.value(u"leader"_s).toString().contains(leaderPid()), qPrintable(r.out));
        QVERIFY2(out.value(u"reason"_s).toString().contains(u"stands by"_s), qPrintable(r.out));
        QVERIFY2(!out.contains(u"sent"_s), "nothing was sent to the standby");
    }

    // The same command on the leader reaches its engine, which holds no such breaker.
    void theLeaderAnswersItself()
    {
        const cli::Run r = ctl({ u"reset-breaker"_s, u"crash-loop-restart"_s }, m_leader.url);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(m_leader.url + u" has no circuit breaker 'crash-loop-restart'"_s), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"stands by"_s), qPrintable(r.err));
    }

    // Last, as it ends the leader: a runbook a person installs on the leader is kept in the
    // shared store, so that the standby runs it once it leads.
    void theLeaderInstallsAndTheStandbyRunsItAfterTakingOver()
    {
        const cli::Run r = ctl({ u"install-runbook"_s, m_dir.filePath(u"custom.yaml"_s) }, m_leader.url);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.out.startsWith(u"Installed the runbook checkout-crashloop-restart (level 2, sha256 "_s)
                && r.out.contains(u"as dana on %1: its engine runs it from now on."_s.arg(m_leader.url)),
            qPrintable(r.out));
        QTRY_VERIFY2(m_leader.log.contains(u"dana installed the runbook checkout-crashloop-restart: "_s),
            qPrintable(m_leader.log));

        const cli::Run broken = ctl({ u"install-runbook"_s, m_dir.filePath(u"broken.yaml"_s) }, m_leader.url);
        QCOMPARE(broken.exitCode, 1);

        m_leader.process.kill();
        QVERIFY(m_leader.process.waitForFinished(5'000));
        QTRY_VERIFY2_WITH_TIMEOUT(m_standby.log.contains(u"antibody-server: leading: "_s)
                && m_standby.log.contains(u"1 installed over the client API (0 replacing a configured one)"_s),
            qPrintable(m_standby.log), 30'000);
    }
};

QTEST_GUILESS_MAIN(TestStandbyCli)
#include "tst_standbycli.moc"

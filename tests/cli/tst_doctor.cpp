// `antibodyctl doctor` on what does not answer, or answers wrongly, driven as a user
// runs it: unreachable servers cost seconds and are named with the key to fix; a
// "Prometheus" that answers garbage (a fake: our test HTTP server) is named as not
// Prometheus; a configuration or runbook with errors, and a bad command line, exit 2.
#include "testhttpserver.h"
#include "tests/support/clirun.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace antibody::test;

namespace {

QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
        return {};
    return path;
}

// A port nothing listens on: bound, then closed.
quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost);
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace

class TestDoctor : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_runbooks;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QDir().mkpath(m_dir.filePath(u"runbooks"_s));
        QVERIFY(
            QFile::copy(qEnvironmentVariable("ANTIBODY_SOURCE_DIR") + u"/runbooks/connection-pool-exhaustion.yaml"_s,
                m_dir.filePath(u"runbooks/connection-pool-exhaustion.yaml"_s)));
        m_runbooks = m_dir.filePath(u"runbooks"_s);
    }

    // Refused ports and a listener that never answers: every check fails with its key, in seconds.
    void unreachableServersAreNamedInSeconds()
    {
        // Accepts connections (the kernel does) and never says a word.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        const quint16 refused = closedPort();
        const QString config = write(m_dir, u"unreachable.yaml"_s,
            u"sources:\n"
            u"  prometheus: { url: \"http://127.0.0.1:%1\" }\n"
            u"  alertmanager: { url: \"http://127.0.0.1:%2\", timeout: 30s }\n"
            u"executors:\n"
            u"  postgres: { dsn: \"host=127.0.0.1 port=%1 dbname=postgres user=postgres\", service: orders-db }\n"
            u"runbooks: [ \"%3\" ]\n"_s.arg(refused)
                .arg(silent.serverPort())
                .arg(m_runbooks)
                .toUtf8());
        QElapsedTimer timer;
        timer.start();
        const cli::Run run = cli::antibodyctl({ u"doctor"_s, u"--config"_s, config }, 30'000);
        QVERIFY2(run.exitCode == 1, qPrintable(run.out + run.err));
        QVERIFY2(timer.elapsed() < 8'000, qPrintable(u"took %1 ms"_s.arg(timer.elapsed())));
        QVERIFY2(run.out.contains(u"FAILED  sources.prometheus"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"could not connect"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"FAILED  sources.alertmanager"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"FAILED  executors.postgres orders-db"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"NOT READY  connection-pool-exhaustion"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"could not be counted: Prometheus did not answer"_s), qPrintable(run.out));
    }

    // A server that accepts and never answers, under --timeout 1: cut short at the bound, and said so.
    void theWholeIsBoundedByTimeout()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        const QString config = write(m_dir, u"bounded.yaml"_s,
            u"sources:\n  prometheus: { url: \"http://127.0.0.1:%1\" }\nrunbooks: [ \"%2\" ]\n"_s
                .arg(silent.serverPort())
                .arg(m_runbooks)
                .toUtf8());
        QElapsedTimer timer;
        timer.start();
        const cli::Run run = cli::antibodyctl({ u"doctor"_s, u"--config"_s, config, u"--timeout"_s, u"1"_s }, 30'000);
        QVERIFY2(run.exitCode == 1, qPrintable(run.out + run.err));
        QVERIFY2(timer.elapsed() < 3'000, qPrintable(u"took %1 ms"_s.arg(timer.elapsed())));
        QVERIFY2(run.out.contains(u"no answer within the doctor's bound (--timeout)"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"The checks did not all finish within"_s), qPrintable(run.out));
        const cli::Run json
            = cli::antibodyctl({ u"doctor"_s, u"--config"_s, config, u"--timeout"_s, u"1"_s, u"--json"_s }, 30'000);
        QCOMPARE(json.exitCode, 1);
        QCOMPARE(json.json().value(u"timed_out"_s).toBool(), true);
        QCOMPARE(json.json().value(u"ready"_s).toBool(), false);
    }

    // The Kubernetes executor: its API server answers /version (a fake), or is not there.
    void kubernetesIsAskedForItsVersion()
    {
        TestHttpServer fake; // a fake API server: /version only
        fake.setHandler([](const TestRequest &r) {
            return r.path == "/version" ? TestReply(200, R"({"major":"1","minor":"28","gitVersion":"v1.28.2"})")
                                        : TestReply(404, R"({"kind":"Status","code":404})");
        });
        QVERIFY(fake.listen());
        QDir().mkpath(m_dir.filePath(u"crashloop"_s));
        QFile::remove(m_dir.filePath(u"crashloop/pod-crashloop-restart.yaml"_s));
        QVERIFY(QFile::copy(qEnvironmentVariable("ANTIBODY_SOURCE_DIR") + u"/runbooks/pod-crashloop-restart.yaml"_s,
            m_dir.filePath(u"crashloop/pod-crashloop-restart.yaml"_s)));
        auto configFor = [&](const QString &name, quint16 port) {
            write(m_dir, name + u".kubeconfig"_s,
                u"current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\n"
                u"clusters: [{name: k, cluster: {server: \"http://127.0.0.1:%1\"}}]\n"
                u"users: [{name: u, user: {token: t}}]\n"_s.arg(port)
                    .toUtf8());
            return write(m_dir, name + u".yaml"_s,
                u"sources:\n  alertmanager: { url: \"http://127.0.0.1:%1\" }\n"
                u"executors:\n  kubernetes: { kubeconfig: %2.kubeconfig, namespace: shop }\n"
                u"runbooks: [ crashloop ]\n"_s.arg(closedPort())
                    .arg(name)
                    .toUtf8());
        };
        const cli::Run up = cli::runServing(
            QStringLiteral(ANTIBODYCTL), { u"doctor"_s, u"--config"_s, configFor(u"k8s-up"_s, fake.port()) }, 30'000);
        QVERIFY2(up.out.contains(u"ok      executors.kubernetes"_s), qPrintable(up.out));
        QVERIFY2(up.out.contains(u"step restart runs restart_pods through executors.kubernetes"_s), qPrintable(up.out));

        const cli::Run down = cli::antibodyctl({ u"doctor"_s, u"--config"_s, configFor(u"k8s-down"_s, closedPort()) });
        QVERIFY2(down.exitCode == 1, qPrintable(down.out + down.err));
        QVERIFY2(down.out.contains(u"FAILED  executors.kubernetes"_s), qPrintable(down.out));
        QVERIFY2(down.out.contains(u"step restart runs restart_pods through executors.kubernetes, which is not "
                                   u"reachable: GET http://127.0.0.1:"_s),
            qPrintable(down.out));
    }

    // A server that answers 200 with a web page: not Prometheus, and said so with the key.
    void garbageFromPrometheusIsNamed()
    {
        TestHttpServer fake; // a fake Prometheus: whatever is asked, an HTML page
        fake.setHandler([](const TestRequest &) {
            return TestReply(200, "<html><body>Welcome to nginx!</body></html>", "text/html");
        });
        QVERIFY(fake.listen());
        const QString config = write(m_dir, u"garbage.yaml"_s,
            u"sources:\n  prometheus: { url: \"%1\" }\nrunbooks: [ \"%2\" ]\n"_s.arg(fake.url().toString(), m_runbooks)
                .toUtf8());
        const cli::Run run
            = cli::runServing(QStringLiteral(ANTIBODYCTL), { u"doctor"_s, u"--config"_s, config }, 30'000);
        QVERIFY2(run.exitCode == 1, qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains(u"FAILED  sources.prometheus"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"the answer is not Prometheus's API (it starts \"<html><body>Welcome to nginx!"_s),
            qPrintable(run.out));
        QVERIFY2(run.out.contains(u"is sources.prometheus.url the Prometheus server itself"_s), qPrintable(run.out));
        // No executor for terminate_connections either: said at the step.
        QVERIFY2(run.out.contains(u"step kill_idle runs terminate_connections, and no configured executor runs it: "
                                  u"add executors.postgres"_s),
            qPrintable(run.out));
    }

    // executors.certificates: each file read and parsed (days left), each program found;
    // "ok", or every missing piece with its key, and the certificate runbook's step with it.
    void certificatesAreChecked()
    {
        QDir().mkpath(m_dir.filePath(u"cert-runbooks"_s));
        QVERIFY(QFile::copy(qEnvironmentVariable("ANTIBODY_SOURCE_DIR") + u"/runbooks/certificate-renewal.yaml"_s,
            m_dir.filePath(u"cert-runbooks/certificate-renewal.yaml"_s)));
        const QString good = m_dir.filePath(u"good.pem"_s);
        QProcess openssl;
        openssl.start(u"openssl"_s,
            { u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s,
                u"-nodes"_s, u"-days"_s, u"30"_s, u"-subj"_s, u"/CN=shop.example"_s, u"-keyout"_s,
                m_dir.filePath(u"good.key"_s), u"-out"_s, good });
        QVERIFY(openssl.waitForFinished(30'000) && openssl.exitCode() == 0);
        const QString garbage = write(m_dir, u"garbage.pem"_s, "-----BEGIN CERTIFICATE-----\nnope\n");
        const QString plain = write(m_dir, u"not-executable"_s, "#!/bin/sh\n");
        const QString config = write(m_dir, u"certificates.yaml"_s,
            u"sources:\n  prometheus: { url: \"http://127.0.0.1:%1\" }\n"
            u"executors:\n  certificates:\n    services:\n      shop:\n"
            u"        - { name: shop-tls, certificate: \"%2\", renew: [true] }\n"
            u"        - { name: shop-old, certificate: \"%3\", renew: [no-such-renewer, renew] }\n"
            u"        - { name: shop-api, certificate: \"%2\", renew: [\"%4\"] }\n"
            u"runbooks: [ \"%5\" ]\n"_s.arg(closedPort())
                .arg(good, garbage, plain, m_dir.filePath(u"cert-runbooks"_s))
                .toUtf8());
        const cli::Run run = cli::antibodyctl({ u"doctor"_s, u"--config"_s, config }, 30'000);
        QVERIFY2(run.exitCode == 1, qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains(u"ok      executors.certificates shop-tls  service shop: %1: shop.example "
                                  u"from shop.example, 30.0 days left (until "_s.arg(good)),
            qPrintable(run.out));
        QVERIFY2(run.out.contains(QRegularExpression(u"; renews with /[a-z/]*bin/true\n"_s)), qPrintable(run.out));
        QVERIFY2(
            run.out.contains(u"FAILED  executors.certificates shop-old  service shop: "
                             u"executors.certificates.services.shop[1].certificate: %1 holds no PEM certificate "
                             u"(expected -----BEGIN CERTIFICATE-----); executors.certificates.services.shop[1].renew: "
                             u"'no-such-renewer' is not on PATH ("_s.arg(garbage)),
            qPrintable(run.out));
        QVERIFY2(run.out.contains(
                     u"FAILED  executors.certificates shop-api  service shop: "
                     u"executors.certificates.services.shop[2].renew: %1 is not an executable file\n"_s.arg(plain)),
            qPrintable(run.out));
        QVERIFY2(run.out.contains(u"step renew runs renew_certificate through executors.certificates: shop-old, "
                                  u"service shop: "_s),
            qPrintable(run.out));

        // Without the section, the step says what to add.
        const QString none = write(m_dir, u"no-certificates.yaml"_s,
            u"sources:\n  prometheus: { url: \"http://127.0.0.1:%1\" }\nrunbooks: [ \"%2\" ]\n"_s.arg(closedPort())
                .arg(m_dir.filePath(u"cert-runbooks"_s))
                .toUtf8());
        const cli::Run without = cli::antibodyctl({ u"doctor"_s, u"--config"_s, none }, 30'000);
        QVERIFY2(without.out.contains(u"step renew runs renew_certificate, and no configured executor runs it: add "
                                      u"executors.certificates: each certificate's PEM file and the command that "
                                      u"renews it (docs/configuration.md)"_s),
            qPrintable(without.out));
    }

    void configurationErrorsExitTwo_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expected");
        QTest::addRow("not yaml") << QByteArray("sources: [\n") << u"not valid YAML"_s;
        QTest::addRow("bad url") << QByteArray("sources:\n  prometheus: { url: \"ftp://x\" }\n")
                                 << u"sources.prometheus.url"_s;
        QTest::addRow("unknown key") << QByteArray(
            "sources:\n  prometheus: { url: \"http://127.0.0.1:9\" }\nrunbookz: []\n")
                                     << u"runbookz"_s;
        QTest::addRow("no source") << QByteArray("runbooks: []\n") << u"no alert or metric source is configured"_s;
        QTest::addRow("missing runbooks") << QByteArray("sources:\n  prometheus: { url: \"http://127.0.0.1:9\" }\n"
                                                        "runbooks: [ \"nowhere\" ]\n")
                                          << u"nowhere"_s;
    }
    void configurationErrorsExitTwo()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expected);
        const QString config = write(m_dir, u"bad.yaml"_s, yaml);
        const cli::Run run = cli::antibodyctl({ u"doctor"_s, u"--config"_s, config }, 30'000);
        QVERIFY2(run.exitCode == 2, qPrintable(run.out + run.err));
        QVERIFY2(run.err.contains(expected), qPrintable(run.err));
        QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
    }

    void usageErrorsExitTwo()
    {
        QCOMPARE(cli::antibodyctl({ u"doctor"_s }).exitCode, 2);
        QCOMPARE(cli::antibodyctl({ u"doctor"_s, u"--config"_s, u"x.yaml"_s, u"--timeout"_s, u"0"_s }).exitCode, 2);
        QCOMPARE(cli::antibodyctl({ u"doctor"_s, u"--bogus"_s }).exitCode, 2);
        const cli::Run help = cli::antibodyctl({ u"doctor"_s, u"--help"_s });
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(u"usage: antibodyctl doctor --config FILE"_s));
    }
};

QTEST_GUILESS_MAIN(TestDoctor)
#include "tst_doctor.moc"

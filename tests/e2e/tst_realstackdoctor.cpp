// `antibodyctl doctor` against the real stack (label realstack), as a user runs it on
// `scripts/realstack config`: the shipped pool and certificate runbooks are ready there; a
// typo in an alert name, a runbook whose exporter the stack does not run (or whose
// exporter stopped), a renewal program that is not there, and a PostgreSQL role
// without pg_signal_backend are each found, with the runbook's file:line and what to do.
#include "realstackrun.h"

#include <QElapsedTimer>
#include <QFile>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace antibody::test;

namespace {

// Writes `file` into a folder of its own under `dir`, with `edit` applied to the shipped text.
QString runbookFolder(const QTemporaryDir &dir, const QString &name, const QString &shipped,
    const std::function<QByteArray(QByteArray)> &edit = {})
{
    QFile in(sourcePath(u"runbooks/"_s + shipped));
    if (!in.open(QIODevice::ReadOnly))
        return {};
    QByteArray text = in.readAll();
    if (edit)
        text = edit(text);
    const QString folder = dir.filePath(name);
    QDir().mkpath(folder);
    QFile out(folder + u'/' + shipped);
    if (!out.open(QIODevice::WriteOnly) || out.write(text) != text.size())
        return {};
    return folder;
}

// The line of `file` (1-based) that holds `text`.
int lineOf(const QString &file, const QByteArray &text)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    int line = 0;
    while (!f.atEnd()) {
        ++line;
        if (f.readLine().contains(text))
            return line;
    }
    return 0;
}

QString writeConfig(const QTemporaryDir &dir, const QString &name, const QByteArray &yaml)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(yaml) != yaml.size())
        return {};
    return path;
}

} // namespace

class TestRealStackDoctor : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    cli::Run doctor(const QString &config, const QStringList &more = {})
    {
        QElapsedTimer timer;
        timer.start();
        const cli::Run run = cli::antibodyctl(QStringList { u"doctor"_s, u"--config"_s, config } + more, 60'000);
        // Everything answers on the stack: seconds at most.
        [&] { QVERIFY2(timer.elapsed() < 10'000, qPrintable(u"doctor took %1 ms"_s.arg(timer.elapsed()))); }();
        return run;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        waitForQuietStack();
    }

    void cleanupTestCase() { query("DROP ROLE IF EXISTS doctor_nosignal"); }

    // The printed configuration with the shipped pool runbook: every source answers, the
    // executor's role may, the alert has its rule and both metrics have series.
    void theShippedPoolRunbookIsReady()
    {
        const QString folder = runbookFolder(m_dir, u"ready"_s, u"connection-pool-exhaustion.yaml"_s);
        const QString config = writeConfig(m_dir, u"ready.yaml"_s, RealStack::configuration(folder));
        QVERIFY(!folder.isEmpty() && !config.isEmpty());
        const cli::Run run = doctor(config);
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains(u"READY  connection-pool-exhaustion"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"1 of 1 runbook ready"_s), qPrintable(run.out));
        const QString file = folder + u"/connection-pool-exhaustion.yaml"_s;
        // The series count, at the line that reads the metric.
        QVERIFY2(run.out.contains(
                     u"%1:%2: service:pg_connection_utilization:ratio (read by the trigger): 1 series"_s.arg(file).arg(
                         lineOf(file, "alert: service:pg_connection_utilization:ratio"))),
            qPrintable(run.out));
        QVERIFY2(run.out.contains(u"ok      sources.prometheus"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"ok      executors.postgres orders-db"_s), qPrintable(run.out));

        const cli::Run json = doctor(config, { u"--json"_s });
        QCOMPARE(json.exitCode, 0);
        const QJsonObject o = json.json();
        QCOMPARE(o.value(u"ready"_s).toBool(), true);
        const QJsonObject runbook = o.value(u"runbooks"_s).toArray().at(0).toObject();
        QCOMPARE(runbook.value(u"name"_s).toString(), u"connection-pool-exhaustion"_s);
        QCOMPARE(runbook.value(u"ready"_s).toBool(), true);
        QVERIFY(runbook.value(u"missing"_s).toArray().isEmpty());
    }

    // A typo in the alert a runbook answers: no rule defines it; the closest one is named.
    void aTypoInTheAlertNameIsFound()
    {
        const QString folder = runbookFolder(
            m_dir, u"typo"_s, u"connection-pool-exhaustion.yaml"_s, [](QByteArray text) {
                return text
                    .replace("alert: service:pg_connection_utilization:ratio > 90%", "alert: DbConnectionPoolExhaustd")
                    .replace("symptoms: [DbConnectionPoolExhausted]", "symptoms: [DbConnectionPoolExhaused]");
            });
        const QString config = writeConfig(m_dir, u"typo.yaml"_s, RealStack::configuration(folder));
        const cli::Run run = doctor(config);
        QVERIFY2(run.exitCode == 1, qPrintable(run.out + run.err));
        const QString file = folder + u"/connection-pool-exhaustion.yaml"_s;
        const QString expected = u"NOT READY  connection-pool-exhaustion (%1)\n  missing  %1:%2: no alerting rule "
                                 u"named DbConnectionPoolExhaustd "
                                 u"in Prometheus at %3; did you mean DbConnectionPoolExhausted?"_s.arg(file)
                                     .arg(lineOf(file, "alert: DbConnectionPoolExhaustd"))
                                     .arg(RealStack::prometheus().toString());
        QVERIFY2(run.out.contains(expected), qPrintable(u"expected:\n"_s + expected + u"\ngot:\n"_s + run.out));
        QVERIFY2(run.out.contains(u"0 of 1 runbook ready; not ready"_s), qPrintable(run.out));
        // A misspelt symptom never joins the incident: a warning at its line, with the closest name.
        QVERIFY2(run.out.contains(u"  warning  %1:%2: symptom DbConnectionPoolExhaused: no alerting rule of that name "
                                  u"in Prometheus at %3 (did you mean DbConnectionPoolExhausted?)"_s.arg(file)
                                      .arg(lineOf(file, "symptoms: [DbConnectionPoolExhaused]"))
                                      .arg(RealStack::prometheus().toString())),
            qPrintable(run.out));
    }

    // The stack runs no cAdvisor: the CPU runbook's trigger has no series, and the doctor
    // names the raw metric, the exporter and what the runbook's header expects.
    void aMissingExporterIsFound()
    {
        const QString folder = runbookFolder(m_dir, u"exporter"_s, u"cpu-saturation-pool-reset.yaml"_s);
        const QString config = writeConfig(m_dir, u"exporter.yaml"_s, RealStack::configuration(folder));
        const cli::Run run = doctor(config);
        QVERIFY2(run.exitCode == 1, qPrintable(run.out + run.err));
        const QString file = folder + u"/cpu-saturation-pool-reset.yaml"_s;
        const QString expected
            = u"  missing  %1:%2: service:container_cpu_usage:ratio{service=\"checkout-svc\"} (read by the trigger) "
              u"has "
              u"no series in Prometheus at %3; it is recorded from container_cpu_usage_seconds_total (0 series: is "
              u"cAdvisor (the kubelet) scraped?)"_s.arg(file)
                  .arg(lineOf(file, "alert: service:container_cpu_usage:ratio"))
                  .arg(RealStack::prometheus().toString());
        QVERIFY2(run.out.contains(expected), qPrintable(u"expected:\n"_s + expected + u"\ngot:\n"_s + run.out));
        QVERIFY2(run.out.contains(u"  expects  %1:%2: cAdvisor's container_cpu_usage_seconds_total"_s.arg(file).arg(
                     lineOf(file, "# Expects:"))),
            qPrintable(run.out));
    }

    // The stack's TLS endpoint, its blackbox exporter and executors.certificates as printed:
    // the shipped certificate runbook is ready; with a renewal program that is not there, it
    // is not, and the doctor says which key to fix.
    void theShippedCertificateRunbookIsReady()
    {
        const QString folder = runbookFolder(m_dir, u"certificate"_s, u"certificate-renewal.yaml"_s);
        const QByteArray printed = RealStack::configuration(folder);
        const cli::Run ready = doctor(writeConfig(m_dir, u"certificate.yaml"_s, printed));
        QVERIFY2(ready.exitCode == 0, qPrintable(ready.out + ready.err));
        QVERIFY2(ready.out.contains(u"1 of 1 runbook ready"_s), qPrintable(ready.out));
        QVERIFY2(
            ready.out.contains(u"ok      executors.certificates shop-tls  service shop: "_s), qPrintable(ready.out));
        QVERIFY2(
            ready.out.contains(u"/tls/server.pem: 127.0.0.1 from Antibody realstack CA, "_s), qPrintable(ready.out));
        const QString file = folder + u"/certificate-renewal.yaml"_s;
        QVERIFY2(
            ready.out.contains(u"  ok       %1:%2: step renew runs renew_certificate through executors.certificates "
                               u"(1 certificate: readable, renewal commands found)"_s.arg(file)
                                   .arg(lineOf(file, "- name: renew"))),
            qPrintable(ready.out));

        QByteArray broken = printed;
        const qsizetype at = broken.indexOf("renew: [ \"");
        QVERIFY(at > 0);
        broken.replace(at, broken.indexOf(',', at) - at, "renew: [ \"no-such-renewer\"");
        const cli::Run missing = doctor(writeConfig(m_dir, u"renewer.yaml"_s, broken));
        QVERIFY2(missing.exitCode == 1, qPrintable(missing.out + missing.err));
        QVERIFY2(missing.out.contains(u"FAILED  executors.certificates shop-tls  service shop: "
                                      u"executors.certificates.services.shop[0].renew: 'no-such-renewer' is not on "
                                      u"PATH ("_s),
            qPrintable(missing.out));
        QVERIFY2(missing.out.contains(u"  missing  %1:%2: step renew runs renew_certificate through "
                                      u"executors.certificates: shop-tls, service shop: "_s.arg(file)
                                          .arg(lineOf(file, "- name: renew"))),
            qPrintable(missing.out));
        QVERIFY2(missing.out.contains(u"0 of 1 runbook ready"_s), qPrintable(missing.out));
    }

    // The stack's postgres_exporter stopped: Prometheus marks its series stale at the next
    // scrape, and the pool runbook, ready a moment ago, names the exporter it misses.
    void aStoppedExporterIsFound()
    {
        const QString folder = runbookFolder(m_dir, u"stopped"_s, u"connection-pool-exhaustion.yaml"_s);
        const QString config = writeConfig(m_dir, u"stopped.yaml"_s, RealStack::configuration(folder));
        QCOMPARE(doctor(config).exitCode, 0);
        QString log;
        QVERIFY2(RealStack::run({ u"stop"_s, u"exporter"_s }, &log), qPrintable(log));
        // Started again whatever happens: the suites after this one need it.
        auto restart = qScopeGuard([config, this] {
            QString startLog;
            if (!RealStack::run({ u"start"_s, u"exporter"_s }, &startLog))
                qWarning("cannot start the exporter again: %s", qPrintable(startLog));
            QTRY_VERIFY_WITH_TIMEOUT(doctor(config).exitCode == 0, 30'000);
        });
        const QString file = folder + u"/connection-pool-exhaustion.yaml"_s;
        const QString expected
            = u"  missing  %1:%2: service:pg_connection_utilization:ratio (read by the trigger) has no series in "
              u"Prometheus at %3; it is recorded from pg_stat_activity_count (0 series: is postgres_exporter "
              u"scraped?), "
              u"pg_settings_max_connections (0 series: is postgres_exporter scraped?)\n"_s.arg(file)
                  .arg(lineOf(file, "alert: service:pg_connection_utilization:ratio"))
                  .arg(RealStack::prometheus().toString());
        // The exporter's series go stale at the next scrape, the recorded ratio at the next evaluation.
        cli::Run run;
        QTRY_VERIFY2_WITH_TIMEOUT((run = doctor(config)).out.contains(expected),
            qPrintable(u"expected:\n"_s + expected + u"\ngot:\n"_s + run.out), 15'000);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains(u"(read by step diagnose (query_metrics)) has no series in Prometheus at %1; is "
                                  u"postgres_exporter scraped?"_s.arg(RealStack::prometheus().toString())),
            qPrintable(run.out));
        QVERIFY2(run.out.contains(u"  expects  %1:%2: postgres_exporter (pg_stat_activity_count"_s.arg(file).arg(
                     lineOf(file, "# Expects:"))),
            qPrintable(run.out));
    }

    // A role that may connect but not signal other backends: the pool runbook cannot kill idle sessions.
    void aRoleWithoutSignalBackendIsFound()
    {
        query("DROP ROLE IF EXISTS doctor_nosignal");
        query("CREATE ROLE doctor_nosignal LOGIN");
        query("GRANT pg_read_all_stats TO doctor_nosignal");
        const QString folder = runbookFolder(m_dir, u"role"_s, u"connection-pool-exhaustion.yaml"_s);
        QByteArray yaml = RealStack::configuration(folder);
        QVERIFY(yaml.contains("user=postgres"));
        yaml.replace("user=postgres", "user=doctor_nosignal");
        const QString config = writeConfig(m_dir, u"role.yaml"_s, yaml);
        const cli::Run run = doctor(config);
        QVERIFY2(run.exitCode == 1, qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains(u"FAILED  executors.postgres orders-db"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"role doctor_nosignal cannot terminate connections: GRANT pg_signal_backend TO "
                                  u"doctor_nosignal"_s),
            qPrintable(run.out));
        const QString file = folder + u"/connection-pool-exhaustion.yaml"_s;
        const QString expected = u"  missing  %1:%2: step kill_idle runs terminate_connections on executors.postgres "
                                 u"orders-db: role doctor_nosignal cannot terminate connections: GRANT "
                                 u"pg_signal_backend TO doctor_nosignal"_s.arg(file)
                                     .arg(lineOf(file, "- name: kill_idle"));
        QVERIFY2(run.out.contains(expected), qPrintable(u"expected:\n"_s + expected + u"\ngot:\n"_s + run.out));

        // Granted, the same configuration is ready.
        query("GRANT pg_signal_backend TO doctor_nosignal");
        const cli::Run granted = doctor(config);
        QVERIFY2(granted.exitCode == 0, qPrintable(granted.out + granted.err));
    }
};

QTEST_GUILESS_MAIN(TestRealStackDoctor)
#include "tst_realstackdoctor.moc"

#pragma once

// Debian's real Prometheus and Alertmanager as children of a test, each on a free port of
// 127.0.0.1 with its data in the test's temporary folder, so that nothing mixes with the
// real stack's (scripts/realstack) or another suite's: what tst_fleetscrape and
// tst_fleetremediation share. Prometheus loads the shipped rules file as it is.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QTcpServer>
#include <QUrl>

namespace antibody::test {

using namespace Qt::StringLiterals;

// A port nobody listens on now (Prometheus and Alertmanager take theirs on the command line).
inline quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

// A child process stopped by SIGTERM at the end of the test, killed if it will not go.
class Child
{
public:
    ~Child() { stop(); }
    QProcess &process() { return m_process; }
    // Exit code after SIGTERM; -1 if it had to be killed.
    int stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
        m_process.terminate();
        if (m_process.waitForFinished(15'000))
            return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
        m_process.kill();
        m_process.waitForFinished(5'000);
        return -1;
    }

private:
    QProcess m_process;
};

// The shipped rules file of the source tree.
inline QString shippedRules()
{
    return qEnvironmentVariable("ANTIBODY_SOURCE_DIR") + u"/rules/antibody.rules.yml"_s;
}

// Alertmanager with the real stack's configuration file as it is (scripts/realstack.d/alertmanager.yml:
// no notification leaves the machine), gossip off. Empty when it runs; else what went wrong.
inline QString startAlertmanager(Child &child, const QDir &dir, QUrl *url)
{
    const quint16 port = freePort();
    if (port == 0)
        return u"no free port for Alertmanager"_s;
    dir.mkpath(u"am"_s);
    child.process().setProcessChannelMode(QProcess::MergedChannels);
    child.process().setStandardOutputFile(dir.filePath(u"alertmanager.log"_s));
    *url = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    child.process().start(u"prometheus-alertmanager"_s,
        { u"--config.file="_s + qEnvironmentVariable("ANTIBODY_SOURCE_DIR")
                + u"/scripts/realstack.d/alertmanager.yml"_s,
            u"--storage.path="_s + dir.filePath(u"am"_s), u"--web.listen-address=127.0.0.1:%1"_s.arg(port),
            u"--web.external-url="_s + url->toString(), u"--cluster.listen-address="_s });
    return child.process().waitForStarted(10'000) ? QString()
                                                  : u"prometheus-alertmanager not found: run scripts/setup"_s;
}

// Prometheus scraping `target` (HOST:PORT) every second with the shipped rules, as
// docs/simulator.md configures it (honor_labels: the fleet is many exporters behind one
// target), sending its alerts to `alertmanager` when it is set.
inline QString startPrometheus(
    Child &child, const QDir &dir, const QString &target, const QUrl &alertmanager, QUrl *url)
{
    const quint16 port = freePort();
    QFile config(dir.filePath(u"prometheus.yml"_s));
    if (port == 0 || !config.open(QIODevice::WriteOnly))
        return u"no port or no prometheus.yml for Prometheus"_s;
    QString text = u"global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }\n"
                   "rule_files: [ \"%1\" ]\n"
                   "scrape_configs:\n"
                   "  - job_name: fleet\n"
                   "    honor_labels: true\n"
                   "    static_configs: [ { targets: [ \"%2\" ] } ]\n"_s.arg(shippedRules(), target);
    if (alertmanager.isValid())
        text += u"alerting:\n  alertmanagers: [ { static_configs: [ { targets: [ \"%1:%2\" ] } ] } ]\n"_s
                    .arg(alertmanager.host())
                    .arg(alertmanager.port());
    config.write(text.toUtf8());
    config.close();
    child.process().setProcessChannelMode(QProcess::MergedChannels);
    child.process().setStandardOutputFile(dir.filePath(u"prometheus.log"_s));
    child.process().start(u"prometheus"_s,
        { u"--config.file="_s + config.fileName(), u"--storage.tsdb.path="_s + dir.filePath(u"data"_s),
            u"--web.listen-address=127.0.0.1:%1"_s.arg(port) });
    if (!child.process().waitForStarted(10'000))
        return u"prometheus not found: run scripts/setup"_s;
    *url = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    return {};
}

} // namespace antibody::test

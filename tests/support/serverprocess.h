#pragma once

// `antibody-server` as a child process, as suites and benchmarks run it: started with a
// configuration that asks for any free ports, the ports read from its start-up line,
// its log (stdout and stderr) kept, and its /metrics read. The including target defines
// ANTIBODY_SERVER, the built server's path. QtCore and QtNetwork only: the benchmarks,
// which link no Qt Test, use it too.
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <memory>
#include <optional>

namespace antibody::test {

using namespace Qt::StringLiterals;

struct ServerProcess
{
    QProcess process;
    QString log;
    QString url; // wss://127.0.0.1:PORT, once listening() said so
    int httpPort = 0;

    ServerProcess()
    {
        process.setProcessChannelMode(QProcess::MergedChannels);
        QObject::connect(
            &process, &QProcess::readyRead, &process, [this] { log += QString::fromUtf8(process.readAll()); });
    }
    ~ServerProcess()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(10'000);
        }
    }
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    // Starts it (again: a restart forgets the ports and the log of the last life).
    void start(const QString &config, const QString &dataDir)
    {
        log.clear();
        url.clear();
        httpPort = 0;
        process.start(QStringLiteral(ANTIBODY_SERVER), { u"--config"_s, config, u"--data-dir"_s, dataDir });
    }

    // The start-up line names the ports it got.
    bool listening()
    {
        static const QRegularExpression line(u"clients (wss?://\\S+), HTTP port (\\d+)"_s);
        const auto m = line.match(log);
        if (!m.hasMatch())
            return false;
        url = m.captured(1);
        httpPort = m.captured(2).toInt();
        return true;
    }

    // GET /metrics; empty when it does not answer within 5 s.
    QByteArray metrics() const
    {
        QNetworkAccessManager http;
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/metrics"_s.arg(httpPort)));
        request.setTransferTimeout(5'000);
        std::unique_ptr<QNetworkReply> reply(http.get(request));
        QEventLoop loop;
        QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
        if (!reply->isFinished())
            loop.exec();
        return reply->error() == QNetworkReply::NoError ? reply->readAll() : QByteArray();
    }

    // A series without labels, e.g. antibody_server_leader; none when it did not answer.
    std::optional<qint64> gauge(const QByteArray &name) const
    {
        for (const QByteArray &l : metrics().split('\n')) {
            if (l.startsWith(name + ' '))
                return l.mid(name.size() + 1).toLongLong();
        }
        return std::nullopt;
    }
};

// The configuration of a server that shares the PostgreSQL store at `dsn` with others:
// any free ports, a heartbeat of 1 s, and an alert source nothing answers (port 9,
// discard): its feed is down, which is beside the point where who leads is.
inline QByteArray replicaConfiguration(const QString &certificate, const QString &privateKey, const QString &dsn)
{
    return u"sources:\n  alertmanager: { url: \"http://127.0.0.1:9\", poll_interval: 1s }\n"
           "server:\n  listen: \"127.0.0.1:0\"\n  http_listen: \"127.0.0.1:0\"\n"
           "  certificate: %1\n  private_key: %2\n  heartbeat: 1s\n"
           "  database: { dsn: \"%3\" }\n"_s.arg(certificate, privateKey, dsn)
               .toUtf8();
}

} // namespace antibody::test

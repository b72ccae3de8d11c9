#pragma once

// antibody-server as a child process on the test cluster's database (scripts/teamdb), as a
// team runs it: two of them on one database are a leader and a standby. For the suites that
// need real processes sharing a lease (tst_serverfailover, tst_standbycli); a suite that
// includes this defines ANTIBODY_SERVER, the path of the built antibody-server.
#include "pgharness.h"
#include "tests/support/selfsignedcertificate.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

namespace antibody::pgtest {

using namespace Qt::StringLiterals;

struct ServerProcess
{
    QProcess process;
    QString log;
    QString url; // wss://127.0.0.1:PORT
    int httpPort = 0;

    void start(const QString &config, const QString &dataDir)
    {
        process.setProcessChannelMode(QProcess::MergedChannels);
        QObject::connect(
            &process, &QProcess::readyRead, &process, [this] { log += QString::fromUtf8(process.readAll()); });
        process.start(QStringLiteral(ANTIBODY_SERVER), { u"--config"_s, config, u"--data-dir"_s, dataDir });
    }

    // The start-up line names the ports it got (the configuration asks for any free one).
    bool listening()
    {
        static const QRegularExpression line(u"clients (wss://\\S+), HTTP port (\\d+)"_s);
        const auto m = line.match(log);
        if (!m.hasMatch())
            return false;
        url = m.captured(1);
        httpPort = m.captured(2).toInt();
        return true;
    }

    QByteArray metrics()
    {
        QNetworkAccessManager http;
        std::unique_ptr<QNetworkReply> reply(
            http.get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/metrics"_s.arg(httpPort)))));
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 5'000))
            return {};
        return reply->readAll();
    }

    std::optional<qint64> gauge(const QByteArray &name)
    {
        for (const QByteArray &l : metrics().split('\n')) {
            if (l.startsWith(name + ' '))
                return l.mid(name.size() + 1).toLongLong();
        }
        return std::nullopt;
    }

    // Started, listening, and leading (1) or standing by (0), within `ms` of real time.
    QString startAs(qint64 leading, const QString &config, const QString &dataDir, int ms = 20'000)
    {
        start(config, dataDir);
        if (!QTest::qWaitFor([this] { return listening(); }, ms))
            return u"antibody-server did not say where it listens:\n"_s + log;
        if (!QTest::qWaitFor([&] { return gauge("antibody_server_leader") == leading; }, ms))
            return u"antibody-server did not %1:\n"_s.arg(leading ? u"lead"_s : u"stand by"_s) + log;
        return {};
    }
};

// A configuration for servers that share `database`: any free ports, the test's certificate,
// a heartbeat of 1 s. No alert source answers on port 9 (discard): the feed is down, which is
// beside the point for these suites; who leads is.
inline QString writeServerConfig(
    const QString &file, const antibody::test::SelfSignedCertificate &certificate, const QString &database)
{
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(file));
    f.write(QStringLiteral("sources:\n  alertmanager: { url: \"http://127.0.0.1:9\", poll_interval: 1s }\n"
                           "server:\n  listen: \"127.0.0.1:0\"\n  http_listen: \"127.0.0.1:0\"\n"
                           "  certificate: %1\n  private_key: %2\n  heartbeat: 1s\n"
                           "  database: { dsn: \"%3\" }\n")
                .arg(certificate.certFile(), certificate.keyFile(), dsn(database))
                .toUtf8());
    return file;
}

} // namespace antibody::pgtest

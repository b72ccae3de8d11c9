#pragma once

// antibody-server processes on the test cluster's database (scripts/teamdb), as a team runs
// them: two of them on one database are a leader and a standby. For the suites that need
// real processes sharing a lease (tst_serverfailover, tst_standbycli); a suite that
// includes this defines ANTIBODY_SERVER, the path of the built antibody-server.
#include "pgharness.h"
#include "tests/support/selfsignedcertificate.h"
#include "tests/support/serverprocess.h"

#include <QFile>
#include <QTest>

namespace antibody::pgtest {

using test::ServerProcess;

// Started, listening, and leading (1) or standing by (0), within `ms` of real time; empty,
// or what went wrong with the server's log.
inline QString startAs(
    ServerProcess &server, qint64 leading, const QString &config, const QString &dataDir, int ms = 20'000)
{
    using namespace Qt::StringLiterals;
    server.start(config, dataDir);
    if (!QTest::qWaitFor([&] { return server.listening(); }, ms))
        return u"antibody-server did not say where it listens:\n"_s + server.log;
    if (!QTest::qWaitFor([&] { return server.gauge("antibody_server_leader") == leading; }, ms))
        return u"antibody-server did not %1:\n"_s.arg(leading ? u"lead"_s : u"stand by"_s) + server.log;
    return {};
}

// The configuration of servers that share `database` (test::replicaConfiguration), written
// to `file`; through something in front of the cluster on `port` when given.
inline QString writeServerConfig(const QString &file, const test::SelfSignedCertificate &certificate,
    const QString &database, std::optional<quint16> port = std::nullopt)
{
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(file));
    f.write(test::replicaConfiguration(
        certificate.certFile(), certificate.keyFile(), port ? dsn(database, *port) : dsn(database)));
    return file;
}

} // namespace antibody::pgtest

#include "bench/stacks.h"

#include "bench/benchmark.h"
#include "tests/support/serverprocess.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace antibody::bench {

std::optional<QString> runProgram(const QString &program, const QStringList &args, int timeoutMs, bool quiet)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    const bool finished = waitFor([&] { return p.state() == QProcess::NotRunning; }, timeoutMs);
    if (!finished) {
        p.kill();
        p.waitForFinished(5'000);
    }
    const QString out = QString::fromLocal8Bit(p.readAll());
    if (!finished || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        if (!quiet)
            QTextStream(stderr) << "bench: " << program << ' ' << args.join(u' ')
                                << (finished ? " failed:\n" : " did not finish in time:\n") << out << '\n';
        return std::nullopt;
    }
    return out;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

bool startServer(test::ServerProcess &server, const QString &config, const QString &dataDir, const QString &who)
{
    server.start(config, dataDir);
    if (waitFor([&] { return server.listening() || server.process.state() == QProcess::NotRunning; }, 30'000)
        && server.listening())
        return true;
    QTextStream(stderr) << who << ": antibody-server did not start:\n" << server.log << '\n';
    return false;
}

ScriptedStack::ScriptedStack(const QString &script, const QString &who, const QStringList &missing)
    : m_script(script)
{
    if (!missing.isEmpty()) {
        QTextStream(stderr) << who << ": skipped: scripts/" << script << " needs " << missing.join(u", "_s)
                            << " (scripts/setup installs them)\n";
        return;
    }
    const bool wasUp = run({ u"status"_s }, true).has_value();
    m_broughtUp = !wasUp; // down after, even when `up` stopped half way
    m_ok = wasUp || run({ u"up"_s }).has_value();
}

ScriptedStack::~ScriptedStack()
{
    if (m_broughtUp)
        run({ u"down"_s, u"--purge"_s });
}

std::optional<QString> ScriptedStack::run(const QStringList &args, bool quiet) const
{
    return runProgram(QStringLiteral(ANTIBODY_SOURCE_DIR) + u"/scripts/"_s + m_script, args, 120'000, quiet);
}

namespace realstack {

void usePortsOfItsOwn()
{
    if (qEnvironmentVariableIntValue("REALSTACK_PORT_BASE") <= 0)
        qputenv("REALSTACK_PORT_BASE", "30500");
}

QStringList missingPackages()
{
    QStringList missing;
    for (const QString &tool : { u"psql"_s, u"prometheus"_s, u"prometheus-alertmanager"_s,
             u"prometheus-postgres-exporter"_s, u"curl"_s, u"jq"_s }) {
        if (QStandardPaths::findExecutable(tool).isEmpty())
            missing << tool;
    }
    if (!QFile::exists(u"/usr/lib/postgresql/15/bin/initdb"_s))
        missing << u"postgresql-15"_s;
    return missing;
}

bool poolAlertActive()
{
    const int port = qEnvironmentVariableIntValue("REALSTACK_PORT_BASE") + 93;
    const auto out = runProgram(
        u"curl"_s, { u"-sf"_s, u"--max-time"_s, u"2"_s, u"http://127.0.0.1:%1/api/v2/alerts"_s.arg(port) }, 10'000);
    return !out || out->contains(u"DbConnectionPoolExhausted"_s);
}

} // namespace realstack

} // namespace antibody::bench

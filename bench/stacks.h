#pragma once

// The throwaway services of this repository's scripts as the benchmarks use them:
// scripts/realstack (PostgreSQL, the exporter, Prometheus, Alertmanager) and
// scripts/teamdb (a PostgreSQL for servers that share a store), and the antibody-server
// processes the team benchmarks start.
#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

namespace antibody::test {
struct ServerProcess;
} // namespace antibody::test

namespace antibody::bench {

// Runs a program (never through a shell), the event loop turning meanwhile; its
// output, or nullopt when it failed (said on stderr with the output, unless `quiet`).
std::optional<QString> runProgram(
    const QString &program, const QStringList &args, int timeoutMs = 120'000, bool quiet = false);

bool writeFile(const QString &path, const QByteArray &bytes);

// A server started and listening within 30 s; when not, stderr says why (`who`: the benchmark).
bool startServer(test::ServerProcess &server, const QString &config, const QString &dataDir, const QString &who);

// One of those scripts for one benchmark: the service brought up when it is not running
// (on the ports its environment variables give) and down --purge after, when this
// session brought it up.
class ScriptedStack
{
public:
    // `script`: realstack or teamdb. `who` names the benchmark in what it says on stderr;
    // `missing`, what the service needs that is not installed: then it skips, saying so.
    ScriptedStack(const QString &script, const QString &who, const QStringList &missing);
    ~ScriptedStack();
    ScriptedStack(const ScriptedStack &) = delete;
    ScriptedStack &operator=(const ScriptedStack &) = delete;

    // Up and answering; when not, stderr said why.
    bool ok() const { return m_ok; }
    // scripts/SCRIPT ARGS...
    std::optional<QString> run(const QStringList &args, bool quiet = false) const;

private:
    QString m_script;
    bool m_ok = false;
    bool m_broughtUp = false;
};

namespace realstack {

// Before a ScriptedStack of scripts/realstack: REALSTACK_PORT_BASE, unless set, 30500,
// away from the test fixtures' (20000-29900 step 100).
void usePortsOfItsOwn();
// The tools and packages the stack needs that this machine lacks; empty: none.
QStringList missingPackages();
// Whether the stack's Alertmanager says the pool alert (DbConnectionPoolExhausted) fires;
// true when it does not answer.
bool poolAlertActive();

} // namespace realstack

} // namespace antibody::bench

#pragma once

// Runs antibodyctl (or another program, such as sqlite3) as a user would, for the
// CLI and end-to-end suites. Every run gets an empty XDG_DATA_HOME of its own
// suite, so no test reads (or writes) the drill history and database in the real
// user's data folder. A suite that includes this defines ANTIBODYCTL, the path of
// the built antibodyctl.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

namespace antibody::cli {

struct Run
{
    int exitCode = -1; // -1: it crashed, or did not finish in time (err says which)
    QString out;
    QString err;

    // stdout as one JSON object (`--json` output).
    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
};

inline const QString &isolatedDataHome()
{
    static QTemporaryDir home;
    static const QString path = home.path();
    return path;
}

// The environment with XDG_DATA_HOME at `dataHome` (by default the suite's own).
inline QProcessEnvironment isolatedEnvironment(const QString &dataHome = isolatedDataHome())
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), dataHome);
    return env;
}

inline Run run(const QString &program, const QStringList &args, int timeoutMs = 120'000,
    const QString &dataHome = isolatedDataHome())
{
    QProcess p;
    p.setProcessEnvironment(isolatedEnvironment(dataHome));
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) {
        // Killed, so that a hung child neither outlives the suite nor holds its files.
        p.kill();
        p.waitForFinished();
        return Run {
            -1, {},
            QStringLiteral("%1 did not finish within %2 s: %3").arg(program).arg(timeoutMs / 1000).arg(p.errorString())
        };
    }
    return Run { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
        QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError()) };
}

// The same, with the caller's event loop turning while the child runs: for a server the
// test holds in its own process (a team server, a fake one), which must answer the child.
// `environment` is added to the child's (ANTIBODY_TOKEN, say).
inline Run runServing(const QString &program, const QStringList &args, int timeoutMs = 60'000,
    const QProcessEnvironment &environment = {})
{
    QProcess p;
    QProcessEnvironment env = isolatedEnvironment();
    env.insert(environment);
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return Run { -1, QString::fromUtf8(p.readAllStandardOutput()),
            QStringLiteral("%1 did not finish within %2 s").arg(program).arg(timeoutMs / 1000) };
    }
    return Run { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
        QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError()) };
}

inline Run antibodyctl(const QStringList &args, int timeoutMs = 120'000)
{
    return run(QStringLiteral(ANTIBODYCTL), args, timeoutMs);
}

inline QString sourcePath(const QString &path)
{
    return qEnvironmentVariable("ANTIBODY_SOURCE_DIR") + u'/' + path;
}

} // namespace antibody::cli

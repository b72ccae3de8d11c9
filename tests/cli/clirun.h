#pragma once

// Runs antibodyctl as a user would, for the CLI suites. Every run gets an empty
// XDG_DATA_HOME of its own suite, so no test reads (or writes) the drill history and
// database in the real user's data folder.
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace antibody::cli {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

inline const QString &isolatedDataHome()
{
    static QTemporaryDir home;
    static const QString path = home.path();
    return path;
}

inline Run antibodyctl(const QStringList &args, int timeoutMs = 120'000)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), isolatedDataHome());
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(ANTIBODYCTL), args);
    if (!p.waitForFinished(timeoutMs))
        return {};
    return Run { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
        QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError()) };
}

inline QString sourcePath(const QString &path)
{
    return qEnvironmentVariable("ANTIBODY_SOURCE_DIR") + u'/' + path;
}

} // namespace antibody::cli

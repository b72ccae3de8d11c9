#pragma once

#include <QString>
#include <QStringList>
#include <QTextStream>

namespace antibody::ctl {

// Exit codes every command keeps: 0 success, 1 the checked thing is bad
// (lint errors, a failed drill, a broken audit chain), 2 usage or I/O error.
enum ExitCode { Ok = 0, Failed = 1, UsageError = 2 };

struct Io
{
    QTextStream &out;
    QTextStream &err;
};

struct Command
{
    QString name;
    QString summary; // one line for `antibodyctl help`
    int (*run)(const QStringList &args, Io &io);
};

const QList<Command> &commands();

// Each command lives in its own cmd_<name>.cpp.
int runVersion(const QStringList &args, Io &io);
int runLint(const QStringList &args, Io &io);
int runCatalog(const QStringList &args, Io &io);
int runScenarios(const QStringList &args, Io &io);
int runSimulate(const QStringList &args, Io &io);
int runAudit(const QStringList &args, Io &io);
int runApprove(const QStringList &args, Io &io);
int runStats(const QStringList &args, Io &io);
int runDryRun(const QStringList &args, Io &io);
int runDrill(const QStringList &args, Io &io);
int runRun(const QStringList &args, Io &io);
int runDoctor(const QStringList &args, Io &io);
int runToken(const QStringList &args, Io &io);
int runPolicy(const QStringList &args, Io &io);
// Only against a team server (--server URL).
int runIncidents(const QStringList &args, Io &io);
int runWatch(const QStringList &args, Io &io);
int runDeny(const QStringList &args, Io &io);
int runCancel(const QStringList &args, Io &io);
int runResetBreaker(const QStringList &args, Io &io);
int runInstallRunbook(const QStringList &args, Io &io);
int runBreakGlass(const QStringList &args, Io &io);
int runRequest(const QStringList &args, Io &io);

} // namespace antibody::ctl

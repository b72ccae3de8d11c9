#include "connectors/certificates/renewalcommand.h"

#include "engine/store/redaction.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <csignal>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

constexpr qsizetype keptOutputBytes = 4096;
constexpr qsizetype maxLineLength = 200;
constexpr int pollMs = 50;
const QString defaultPath = u"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"_s;

// Kills the command and everything it started: it leads its own process group.
void killGroup(QProcess &process)
{
    const qint64 pid = process.processId();
    if (pid > 0)
        ::kill(-static_cast<pid_t>(pid), SIGKILL);
    process.kill();
}

} // namespace

QString RenewalCommand::resolveProgram(const QString &argv0, QString *error)
{
    if (argv0.contains(u'/')) {
        const QFileInfo info(argv0);
        if (!info.exists())
            *error = u"%1 does not exist"_s.arg(argv0);
        else if (!info.isFile() || !info.isExecutable())
            *error = u"%1 is not an executable file"_s.arg(argv0);
        return error->isEmpty() ? info.absoluteFilePath() : QString();
    }
    QString found = QStandardPaths::findExecutable(argv0);
    if (found.isEmpty())
        *error = u"'%1' is not on PATH (%2); install it, or give its full path"_s.arg(
            argv0, qEnvironmentVariable("PATH", defaultPath));
    return found;
}

QProcessEnvironment RenewalCommand::environment(const CertificateConfig &certificate, const QStringList &passEnv)
{
    const QProcessEnvironment mine = QProcessEnvironment::systemEnvironment();
    QProcessEnvironment env;
    env.insert(u"PATH"_s, mine.value(u"PATH"_s, defaultPath));
    if (mine.contains(u"HOME"_s))
        env.insert(u"HOME"_s, mine.value(u"HOME"_s)); // certbot's and acme.sh's state lives there
    env.insert(u"LANG"_s, u"C.UTF-8"_s);
    for (const QString &name : passEnv) {
        if (mine.contains(name))
            env.insert(name, mine.value(name));
    }
    env.insert(u"ANTIBODY_CERTIFICATE"_s, certificate.file);
    env.insert(u"ANTIBODY_CERTIFICATE_NAME"_s, certificate.name);
    env.insert(u"ANTIBODY_SERVICE"_s, certificate.service);
    return env;
}

QString RenewalCommand::lastLine(const QByteArray &output)
{
    const QList<QByteArray> lines = output.split('\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        QString line = QString::fromUtf8(*it);
        line.removeIf([](QChar ch) { return ch.category() == QChar::Other_Control; });
        line = line.trimmed();
        if (line.isEmpty())
            continue;
        line = Redaction::text(line);
        return line.size() > maxLineLength ? line.left(maxLineLength - 1) + u"…"_s : line;
    }
    return {};
}

RenewalCommand::Outcome RenewalCommand::run(
    const CertificateConfig &certificate, const QStringList &passEnv, const Cancellation &cancellation)
{
    Outcome out;
    QElapsedTimer clock;
    clock.start();
    QString problem;
    const QString program = resolveProgram(certificate.renew.value(0), &problem);
    const QString shown = QFileInfo(certificate.renew.value(0)).fileName();
    if (program.isEmpty()) {
        out.error = u"%1.renew: %2"_s.arg(certificate.configKey, problem);
        return out;
    }
    QProcess process;
    process.setProgram(program);
    process.setArguments(certificate.renew.mid(1));
    process.setProcessEnvironment(environment(certificate, passEnv));
    process.setWorkingDirectory(QDir::rootPath());
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setStandardInputFile(QProcess::nullDevice());
    // A session of its own: its own process group to kill, and no terminal to prompt on.
    process.setChildProcessModifier([] { ::setsid(); });
    process.start();
    if (!process.waitForStarted(10'000)) {
        out.error = u"cannot start %1: %2"_s.arg(program, process.errorString());
        killGroup(process);
        process.waitForFinished(5'000);
        return out;
    }

    QByteArray tail;
    auto keep = [&tail](const QByteArray &bytes) {
        tail += bytes;
        if (tail.size() > keptOutputBytes)
            tail.remove(0, tail.size() - keptOutputBytes);
    };
    const qint64 timeoutMs = certificate.timeout.count();
    bool timedOut = false;
    bool cancelled = false;
    while (process.state() != QProcess::NotRunning) {
        if (cancellation.isCancelled()) {
            cancelled = true;
            break;
        }
        if (clock.elapsed() >= timeoutMs) {
            timedOut = true;
            break;
        }
        // One pipe's worth at a time; a closed output (the command went on without it)
        // must not turn this into a busy loop.
        if (!process.waitForReadyRead(pollMs) && process.state() != QProcess::NotRunning)
            process.waitForFinished(pollMs);
        keep(process.readAll());
    }
    if (timedOut || cancelled) {
        killGroup(process);
        process.waitForFinished(5'000);
    }
    keep(process.readAll());
    out.elapsedMs = clock.elapsed();
    const QString line = lastLine(tail);
    const QString said = line.isEmpty() ? QString() : u": "_s + line;
    if (timedOut) {
        out.error = u"%1 did not finish within %2 and was stopped (its process group killed)%3"_s.arg(
            shown, formatDuration(certificate.timeout), said);
    } else if (cancelled) {
        out.error = u"%1 was stopped: Antibody is shutting down"_s.arg(shown);
    } else if (process.exitStatus() == QProcess::CrashExit) {
        out.error = u"%1 was ended by a signal%2"_s.arg(shown, said);
    } else if (process.exitCode() != 0) {
        out.error = u"%1 exited with status %2%3"_s.arg(shown).arg(process.exitCode()).arg(said);
    } else {
        out.ok = true;
    }
    return out;
}

} // namespace antibody

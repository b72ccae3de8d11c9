#include "realstack.h"

#include <QProcess>
#include <QProcessEnvironment>

using namespace Qt::StringLiterals;

namespace antibody::test {

int RealStack::portBase()
{
    const int base = qEnvironmentVariableIntValue("REALSTACK_PORT_BASE");
    return base > 0 ? base : 19000;
}

QUrl RealStack::prometheus()
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(portBase() + 90));
}

QUrl RealStack::alertmanager()
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(portBase() + 93));
}

int RealStack::postgresPort()
{
    return portBase() + 432;
}

QString RealStack::adminDsn()
{
    return u"host=127.0.0.1 port=%1 dbname=postgres user=postgres connect_timeout=5"_s.arg(postgresPort());
}

QString RealStack::appDsn()
{
    return u"host=127.0.0.1 port=%1 dbname=appdb user=app connect_timeout=5"_s.arg(postgresPort());
}

bool RealStack::run(const QStringList &args, QString *log, int timeoutMs)
{
    const QString source = qEnvironmentVariable("ANTIBODY_SOURCE_DIR");
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(source + u"/scripts/realstack"_s, args);
    const bool finished = p.waitForFinished(timeoutMs);
    const QString output = QString::fromLocal8Bit(p.readAll());
    if (log)
        *log = output;
    if (!finished) {
        p.kill();
        p.waitForFinished();
        return false;
    }
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

QByteArray RealStack::configuration(const QString &runbooks, const QByteArray &extra)
{
    QString log;
    if (!run(runbooks.isEmpty() ? QStringList { u"config"_s } : QStringList { u"config"_s, u"--runbooks"_s, runbooks },
            &log))
        qFatal("scripts/realstack config failed: %s", qPrintable(log));
    return log.toUtf8() + extra;
}

QString RealStack::poolRunbook(const QString &dir, const QStringList &options)
{
    QString log;
    if (!run(QStringList { u"runbook"_s, dir } + options, &log))
        qFatal("scripts/realstack runbook failed: %s", qPrintable(log));
    return dir;
}

} // namespace antibody::test

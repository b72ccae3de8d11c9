#include "engine/store/identity.h"

#include <QCoreApplication>
#include <QSysInfo>
#include <pwd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace antibody {

QString Identity::osUser()
{
    // The password database first: $USER can be anything the caller set.
    if (const passwd *pw = getpwuid(geteuid()); pw && pw->pw_name && *pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    for (const char *variable : { "USER", "LOGNAME" }) {
        const QString value = qEnvironmentVariable(variable);
        if (!value.isEmpty())
            return value;
    }
    return u"uid %1"_s.arg(geteuid());
}

QString Identity::approver(const QString &configured)
{
    const QString name = configured.trimmed();
    return name.isEmpty() ? osUser() : name;
}

QString Identity::process(const QString &user)
{
    return u"%1@%2 (pid %3)"_s.arg(approver(user), QSysInfo::machineHostName()).arg(QCoreApplication::applicationPid());
}

} // namespace antibody

#include "engine/store/ownerlock.h"

#include <QDir>
#include <QUuid>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

QByteArray pathOf(const QString &folder, const QString &name)
{
    return QFile::encodeName(folder + u'/' + name + u".lock"_s);
}

} // namespace

OwnerLock::OwnerLock(QString folder, QString name, int fd)
    : m_folder(std::move(folder))
    , m_name(std::move(name))
    , m_fd(fd)
{
}

OwnerLock::~OwnerLock()
{
    ::unlink(pathOf(m_folder, m_name).constData());
    ::close(m_fd); // releases the lock
}

std::unique_ptr<OwnerLock> OwnerLock::acquire(const QString &folder, QString *error)
{
    if (!QDir().mkpath(folder)) {
        if (error)
            *error = u"cannot create %1: check the permissions of the data folder"_s.arg(folder);
        return nullptr;
    }
    const QString name = QUuid::createUuid().toString(QUuid::WithoutBraces);
    // Locked under a temporary name, then renamed: a file visible under its final
    // name is always already locked, so nobody mistakes a starting process for a dead one.
    const QByteArray temporary = QFile::encodeName(folder + u"/."_s + name + u".new"_s);
    const int fd = ::open(temporary.constData(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 || ::flock(fd, LOCK_EX | LOCK_NB) != 0
        || ::rename(temporary.constData(), pathOf(folder, name).constData()) != 0) {
        if (error)
            *error
                = u"cannot create the owner lock in %1: %2"_s.arg(folder, QString::fromLocal8Bit(std::strerror(errno)));
        if (fd >= 0) {
            ::unlink(temporary.constData());
            ::close(fd);
        }
        return nullptr;
    }
    return std::unique_ptr<OwnerLock>(new OwnerLock(folder, name, fd));
}

bool OwnerLock::isAlive(const QString &folder, const QString &name)
{
    if (name.isEmpty() || name.contains(u'/'))
        return false;
    const QByteArray path = pathOf(folder, name);
    const int fd = ::open(path.constData(), O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return false; // no file: its owner ended
    const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    if (!held)
        ::unlink(path.constData()); // ours now, and dead: nobody will ask for it again
    ::close(fd);
    return held;
}

} // namespace antibody

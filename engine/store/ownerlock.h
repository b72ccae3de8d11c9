#pragma once

#include <QString>
#include <memory>

namespace antibody {

// This process's hold on the executions it claims: a file next to the database,
// locked with flock() for as long as the store is open. The kernel drops the lock
// when the process ends, however it ends (SIGKILL included), so a store opened later
// can tell the executions of a dead process, which are interrupted, from those of
// a live one on the same database, which must be left alone.
class OwnerLock
{
public:
    // Creates and locks a new owner file in `folder` (created if needed).
    static std::unique_ptr<OwnerLock> acquire(const QString &folder, QString *error);
    ~OwnerLock();
    OwnerLock(const OwnerLock &) = delete;
    OwnerLock &operator=(const OwnerLock &) = delete;

    const QString &name() const { return m_name; }

    // Whether the owner `name` in `folder` still runs. A dead owner's file is removed.
    static bool isAlive(const QString &folder, const QString &name);

private:
    OwnerLock(QString folder, QString name, int fd);

    QString m_folder;
    QString m_name;
    int m_fd = -1;
};

} // namespace antibody

#include "engine/store/datadirectory.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryFile>
#include <sys/vfs.h>

using namespace Qt::StringLiterals;

namespace antibody {

QString DataDirectory::defaultPath()
{
    // GenericDataLocation, not AppDataLocation: the latter ends in the application's
    // name, and the console and antibodyctl must share one folder.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/antibody"_s;
}

QString DataDirectory::databaseName()
{
    return u"antibody.db"_s;
}

QString DataDirectory::networkFilesystem(quint64 magic)
{
    switch (magic) {
    case 0x6969: // NFS_SUPER_MAGIC
        return u"NFS"_s;
    case 0x517B: // SMB_SUPER_MAGIC
    case 0xFF534D42: // CIFS_MAGIC_NUMBER
    case 0xFE534D42: // SMB2_MAGIC_NUMBER
        return u"SMB/CIFS"_s;
    default:
        return {};
    }
}

QString DataDirectory::databaseFile() const
{
    return m_path + u'/' + databaseName();
}

DataDirectory DataDirectory::resolve(const QString &requested, Use use)
{
    DataDirectory d;
    const bool fromOption = !requested.isEmpty();
    d.m_path = QDir::cleanPath(QDir::current().absoluteFilePath(fromOption ? requested : defaultPath()));
    const QString origin = fromOption ? u"the data folder given with --data-dir"_s : u"the data folder"_s;
    const QFileInfo info(d.m_path);

    if (use == Use::ReadOnly) {
        if (!info.isDir()) {
            d.m_error = u"%1 %2 does not exist: run antibody or `antibodyctl simulate --data-dir DIR` to create one, "
                        "or name the folder that holds antibody.db with --data-dir"_s.arg(origin, d.m_path);
        } else if (!QFileInfo(d.databaseFile()).isFile()) {
            d.m_error = u"%1 %2 holds no database (%3): name the folder that holds one with --data-dir"_s.arg(
                origin, d.m_path, databaseName());
        }
        return d;
    }

    if (info.exists() && !info.isDir()) {
        d.m_error = u"%1 %2 is a file, not a folder: choose a folder with --data-dir"_s.arg(origin, d.m_path);
        return d;
    }
    if (!info.exists()) {
        if (!QDir().mkpath(d.m_path)) {
            d.m_error = u"cannot create %1 %2: check the permissions of its parent folder, or choose another with "
                        "--data-dir"_s.arg(origin, d.m_path);
            return d;
        }
        // Incidents, diagnostics and the audit trail are the user's alone. A folder the
        // user chose and made keeps the permissions they gave it.
        QFile::setPermissions(d.m_path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    struct statfs fs
    {
    };
    if (::statfs(QFile::encodeName(d.m_path).constData(), &fs) == 0) {
        if (const QString network = networkFilesystem(static_cast<quint64>(fs.f_type)); !network.isEmpty()) {
            d.m_error = u"%1 %2 is on %3: SQLite's locks do not hold there, so two engines could both act; choose a "
                        "local folder with --data-dir"_s.arg(origin, d.m_path, network);
            return d;
        }
    }
    // Permission bits do not tell the whole story (read-only mounts, ACLs): try it.
    QTemporaryFile probe(d.m_path + u"/.antibody-write-test-XXXXXX"_s);
    if (!probe.open()) {
        d.m_error = u"cannot write in %1 %2 (%3): fix its permissions, or choose another folder with --data-dir"_s.arg(
            origin, d.m_path, probe.errorString());
    }
    return d;
}

} // namespace antibody

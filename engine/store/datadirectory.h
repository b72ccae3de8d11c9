#pragma once

#include <QString>

namespace antibody {

// Where Antibody keeps its database: the folder given with --data-dir, or the
// user's data folder (~/.local/share/antibody, or $XDG_DATA_HOME/antibody). The
// console and antibodyctl resolve it the same way, so both use one database.
class DataDirectory
{
public:
    enum class Use {
        ReadWrite, // create the folder if needed; it must be writable
        ReadOnly, // it must exist and hold a database (audit verify, export, stats)
    };

    static DataDirectory resolve(const QString &requested, Use use);
    static QString defaultPath();
    static QString databaseName(); // "antibody.db"
    // "NFS" or "SMB/CIFS" for the statfs(2) magic numbers of filesystems on which
    // SQLite's locks do not hold (so two processes could both execute); empty for others.
    static QString networkFilesystem(quint64 magic);

    bool ok() const { return m_error.isEmpty(); }
    const QString &path() const { return m_path; }
    const QString &error() const { return m_error; }
    QString databaseFile() const;

private:
    QString m_path;
    QString m_error;
};

} // namespace antibody

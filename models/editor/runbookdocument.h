#pragma once

#include <QByteArray>
#include <QFileSystemWatcher>
#include <QObject>
#include <QString>

namespace antibody {

// The file behind the editor: read, written atomically, and watched. Writes go
// through QSaveFile (a temporary file renamed over the old one), so a crash or a
// full disk leaves the old runbook or the new one, never half of one. Changes made
// by anyone else (git pull, another editor) are reported once per change; our own
// writes are not.
class RunbookDocument : public QObject
{
    Q_OBJECT
public:
    explicit RunbookDocument(QObject *parent = nullptr);

    // Reads the file and starts watching it. False, with errorString(), when it cannot be read.
    bool open(const QString &path);
    // A runbook not yet on disk (from a template): the first save asks for a path.
    void openUntitled();
    void close();

    QString path() const { return m_path; }
    bool isUntitled() const { return m_path.isEmpty(); }
    // The bytes on disk as of the last read or write.
    const QByteArray &diskBytes() const { return m_diskBytes; }
    QString errorString() const { return m_error; }

    // Writes atomically to path() (or to `path`, which then becomes the document's).
    bool save(const QByteArray &bytes, const QString &path = {});
    // Reads the file again (after "reload" on an external change).
    bool reload();

    // The file the console's engine and `antibodyctl` read: does the disk still hold what we last saw?
    bool changedOnDisk() const;

Q_SIGNALS:
    // Someone else wrote the file: its bytes differ from what we last read or wrote.
    void externallyChanged();
    // The file is gone (deleted or moved away).
    void externallyRemoved();

private:
    void watch();
    void onFileChanged();
    bool readInto(QByteArray &bytes);

    QFileSystemWatcher m_watcher;
    QString m_path;
    QByteArray m_diskBytes;
    QString m_error;
    bool m_reportedRemoval = false;
};

} // namespace antibody

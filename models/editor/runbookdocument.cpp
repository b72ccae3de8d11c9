#include "models/editor/runbookdocument.h"

#include "engine/runbook/runbookloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

constexpr int removalGrace = 300; // ms

} // namespace

RunbookDocument::RunbookDocument(QObject *parent)
    : QObject(parent)
{
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &RunbookDocument::onFileChanged);
    // Editors and git replace files by renaming over them: the file watch dies with
    // the old inode, so the folder is watched too and the file watch re-armed.
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &RunbookDocument::onFileChanged);
}

bool RunbookDocument::readInto(QByteArray &bytes)
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = tr("cannot read %1: %2").arg(QDir::toNativeSeparators(m_path), file.errorString());
        return false;
    }
    if (file.size() > maxRunbookBytes) {
        m_error = tr("%1 is %2 bytes; runbooks are at most %3 bytes")
                      .arg(QDir::toNativeSeparators(m_path))
                      .arg(file.size())
                      .arg(maxRunbookBytes);
        return false;
    }
    bytes = file.read(maxRunbookBytes + 1);
    return true;
}

bool RunbookDocument::open(const QString &path)
{
    close();
    m_path = QFileInfo(path).absoluteFilePath();
    QByteArray bytes;
    if (!readInto(bytes)) {
        m_path.clear();
        return false;
    }
    m_diskBytes = bytes;
    m_error.clear();
    watch();
    return true;
}

void RunbookDocument::openUntitled()
{
    close();
}

void RunbookDocument::close()
{
    if (!m_watcher.files().isEmpty())
        m_watcher.removePaths(m_watcher.files());
    if (!m_watcher.directories().isEmpty())
        m_watcher.removePaths(m_watcher.directories());
    m_path.clear();
    m_diskBytes.clear();
    m_reportedRemoval = false;
}

void RunbookDocument::watch()
{
    if (m_path.isEmpty())
        return;
    if (QFileInfo::exists(m_path) && !m_watcher.files().contains(m_path))
        m_watcher.addPath(m_path);
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!m_watcher.directories().contains(dir))
        m_watcher.addPath(dir);
}

bool RunbookDocument::save(const QByteArray &bytes, const QString &path)
{
    const QString target = path.isEmpty() ? m_path : QFileInfo(path).absoluteFilePath();
    if (target.isEmpty()) {
        m_error = tr("the runbook has no file yet: choose where to save it");
        return false;
    }
    QSaveFile file(target);
    if (!file.open(QIODevice::WriteOnly)) {
        m_error = tr("cannot write %1: %2").arg(QDir::toNativeSeparators(target), file.errorString());
        return false;
    }
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        m_error = tr("cannot write %1: %2 (the file on disk is unchanged)")
                      .arg(QDir::toNativeSeparators(target), file.errorString());
        return false;
    }
    if (target != m_path) {
        close();
        m_path = target;
    }
    m_diskBytes = bytes;
    m_error.clear();
    m_reportedRemoval = false;
    watch();
    return true;
}

bool RunbookDocument::reload()
{
    QByteArray bytes;
    if (m_path.isEmpty() || !readInto(bytes))
        return false;
    m_diskBytes = bytes;
    m_reportedRemoval = false;
    watch();
    return true;
}

bool RunbookDocument::changedOnDisk() const
{
    if (m_path.isEmpty())
        return false;
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return true;
    return file.read(maxRunbookBytes + 1) != m_diskBytes;
}

void RunbookDocument::onFileChanged()
{
    if (m_path.isEmpty())
        return;
    if (!QFileInfo::exists(m_path)) {
        // Deleted, or replaced by delete-and-write: look again before saying it is gone.
        QTimer::singleShot(removalGrace, this, [this] {
            if (!m_path.isEmpty() && !QFileInfo::exists(m_path) && !m_reportedRemoval) {
                m_reportedRemoval = true;
                Q_EMIT externallyRemoved();
            }
        });
        return;
    }
    watch();
    m_reportedRemoval = false;
    QByteArray bytes;
    if (!readInto(bytes) || bytes == m_diskBytes)
        return; // our own write, a touch, or another file in the folder
    m_diskBytes = bytes;
    Q_EMIT externallyChanged();
}

} // namespace antibody

#include "engine/runbook/runbookloader.h"

#include "engine/core/boundedfile.h"
#include "engine/runbook/diagnosticreport.h"
#include "engine/runbook/runbookreader.h"
#include "engine/runbook/yamldocument.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

LoadResult ioError(const QString &path, const QString &message, const QString &hint)
{
    DiagnosticReport report(path);
    report.add(DiagnosticCode::IoError, SourceLocation {}, message, hint);
    return LoadResult { std::nullopt, report.diagnostics() };
}

} // namespace

LoadResult loadRunbookText(const QByteArray &bytes, const QString &fileName)
{
    DiagnosticReport report(fileName);
    const auto root = readYamlDocument(bytes, report);
    if (!root)
        return LoadResult { std::nullopt, report.diagnostics() };
    RunbookReader reader(report);
    std::optional<Runbook> runbook = reader.read(*root);
    if (runbook) {
        runbook->file = fileName;
        runbook->sourceHash = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
        if (const YamlNode::Entry *name = root->entry(u"name"))
            runbook->location = name->keyLocation;
    }
    return LoadResult { std::move(runbook), report.inFileOrder() };
}

LoadResult loadRunbookFile(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return ioError(path, u"no such file"_s, u"check the path"_s);
    if (info.isDir())
        return ioError(
            path, u"this is a folder, not a runbook file"_s, u"lint the folder to check every runbook in it"_s);
    // One byte more than allowed, never the whole of an endless or huge file, and never
    // an open that blocks on a FIFO.
    const BoundedFile file = readBoundedFile(path, maxRunbookBytes);
    if (!file.error.isEmpty())
        return ioError(path, file.error, u"give the path of a runbook file you can read"_s);
    return loadRunbookText(file.bytes, path);
}

QStringList findRunbookFiles(const QStringList &paths)
{
    QStringList files;
    QSet<QString> seen;
    const auto add = [&](const QString &path) {
        const QString canonical = QFileInfo(path).canonicalFilePath();
        if (canonical.isEmpty() || seen.contains(canonical))
            return;
        seen.insert(canonical);
        files << QDir::cleanPath(path);
    };
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.isDir()) {
            if (info.exists())
                add(path);
            continue;
        }
        QStringList found;
        // Subdirectories without FollowSymlinks: a symlink loop cannot make this endless.
        QDirIterator it(path, { u"*.yaml"_s, u"*.yml"_s }, QDir::Files | QDir::Readable | QDir::Hidden,
            QDirIterator::Subdirectories);
        while (it.hasNext())
            found << it.next();
        found.sort();
        for (const QString &f : std::as_const(found))
            add(f);
    }
    return files;
}

QList<Diagnostic> findDuplicateRunbooks(const QList<Runbook> &runbooks)
{
    QList<Diagnostic> out;
    QHash<QString, const Runbook *> first;
    const DiagnosticCodeInfo &info = diagnosticCodeInfo(DiagnosticCode::DuplicateRunbook);
    for (const Runbook &r : runbooks) {
        const auto it = first.constFind(r.name);
        if (it == first.constEnd()) {
            first.insert(r.name, &r);
            continue;
        }
        const Runbook &original = *it.value();
        out << Diagnostic { r.file, r.location.line, r.location.column, info.severity, info.name,
            u"runbook name `%1` is already used by %2:%3"_s.arg(
                r.name, original.file, QString::number(original.location.line)),
            u"runbook names are unique in a library: rename one of them"_s };
    }
    return out;
}

LibraryResult loadRunbookLibrary(const QStringList &paths)
{
    LibraryResult result;
    for (const QString &path : paths) {
        if (!QFileInfo::exists(path)) {
            const LoadResult missing = ioError(path, u"no such file or folder"_s, u"check the path"_s);
            result.diagnostics << missing.diagnostics;
        }
    }
    result.files = findRunbookFiles(paths);
    for (const QString &file : std::as_const(result.files)) {
        LoadResult loaded = loadRunbookFile(file);
        result.diagnostics << loaded.diagnostics;
        if (loaded.runbook)
            result.runbooks << *loaded.runbook;
    }
    result.diagnostics << findDuplicateRunbooks(result.runbooks);
    return result;
}

} // namespace antibody

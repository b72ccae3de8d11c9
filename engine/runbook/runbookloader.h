#pragma once

#include "engine/runbook/diagnostic.h"
#include "engine/runbook/runbook.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace antibody {

// Largest runbook file the loader reads; anything longer is refused unread.
constexpr qsizetype maxRunbookBytes = 1024 * 1024;

struct LoadResult
{
    std::optional<Runbook> runbook; // set exactly when no diagnostic is an error
    QList<Diagnostic> diagnostics; // errors and warnings, in file order of discovery

    bool hasErrors() const { return antibody::hasErrors(diagnostics); }
};

// YAML text -> a typed, validated Runbook (docs/runbook-format.md). Never throws, never
// crashes, never hangs: any bytes give a runbook or diagnostics, each with file, line,
// column, a stable code and a hint. Fills every field: defaults for what the text leaves
// out (catalog defaults for parameters), sourceHash (SHA-256 of the bytes), and
// locations (Runbook::location is its `name:` key).
LoadResult loadRunbookText(const QByteArray &bytes, const QString &fileName);
LoadResult loadRunbookFile(const QString &path);

struct LibraryResult
{
    QList<Runbook> runbooks; // the runbooks that loaded without errors
    QList<Diagnostic> diagnostics; // of every file, and duplicate names across files
    QStringList files; // every file read, in a stable order

    bool hasErrors() const { return antibody::hasErrors(diagnostics); }
};

// Files or folders (searched recursively for *.yaml and *.yml). A path that does not
// exist is an `io-error` diagnostic; two runbooks with one name are `duplicate-runbook`.
LibraryResult loadRunbookLibrary(const QStringList &paths);

// The runbook files under `paths`, sorted, each once. Missing paths are not listed.
QStringList findRunbookFiles(const QStringList &paths);

// Every runbook whose name an earlier one already has.
QList<Diagnostic> findDuplicateRunbooks(const QList<Runbook> &runbooks);

} // namespace antibody

// antibodyctl lint PATH...: the runbook validator CI and the console's editor share.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/diagnosticoutput.h"
#include "app/antibodyctl/optionreader.h"
#include "engine/rehearsal/drillschedule.h"
#include "engine/runbook/diagnosticcode.h"
#include "engine/runbook/runbookloader.h"
#include "engine/store/datadirectory.h"
#include "engine/store/sqlitestore.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace antibody::ctl {
namespace {

void printLintUsage(QTextStream &out)
{
    out << "usage: antibodyctl lint [--format text|json] [--data-dir DIR] PATH...\n\n"
        << "Checks runbook files, and folders of them (*.yaml and *.yml, recursively),\n"
        << "against the runbook format and the action catalog.\n\n"
        << "  --format text   one `file:line:col: error|warning[code]: message` line per\n"
        << "                  problem, its hint, and a summary (the default)\n"
        << "  --format json   a JSON array of {file, line, column, severity, code, message, hint}\n"
        << "  --data-dir DIR  read drill history from DIR's database and warn (drill-overdue) about\n"
        << "                  runbooks with no passing drill in the last 30 days; without it, the\n"
        << "                  user's data folder is read when it holds a database\n\n"
        << "Exit status: 0 no errors (warnings allowed), 1 errors, 2 usage or I/O error.\n"
        << "Every code is explained in docs/runbook-format.md.\n";
}

} // namespace

// Drill history, when there is one: `--data-dir DIR`, else the user's data folder if it
// holds a database (where the console and `antibodyctl drill` store drills).
int addDrillWarnings(const QString &dataDir, const LibraryResult &library, QList<Diagnostic> &diagnostics, Io &io)
{
    const DataDirectory history = DataDirectory::resolve(dataDir, DataDirectory::Use::ReadOnly);
    if (!history.ok()) {
        if (dataDir.isEmpty())
            return Ok; // no history: nothing to say about drills
        io.err << "antibodyctl lint: " << history.error() << '\n';
        return UsageError;
    }
    QString error;
    const std::unique_ptr<SqliteStore> store = SqliteStore::open(history.databaseFile(), &error);
    if (!store) {
        io.err << "antibodyctl lint: " << error << '\n';
        return UsageError;
    }
    const TimePoint now = fromMillis(QDateTime::currentMSecsSinceEpoch());
    for (const Runbook &r : library.runbooks) {
        if (auto d = DrillSchedule::overdue(r, store->lastDrill(r.name), now))
            diagnostics << *d;
    }
    return Ok;
}

int runLint(const QStringList &arguments, Io &io)
{
    QStringList args = arguments;
    QString optionError;
    const QString dataDir = OptionReader::takeDataDir(args, &optionError);
    if (!optionError.isEmpty()) {
        io.err << "antibodyctl lint: " << optionError << '\n';
        return UsageError;
    }
    QString format = u"text"_s;
    QStringList paths;
    OptionReader options(args, u"lint"_s);
    while (options.next()) {
        if (options.flag(u"--help") || options.flag(u"-h")) {
            printLintUsage(io.out);
            return Ok;
        }
        if (options.is(u"--format")) {
            const std::optional<QString> value = options.take();
            if (!value) {
                io.err << "antibodyctl lint: --format needs a value: text or json\n";
                return UsageError;
            }
            format = *value;
            if (format != u"text"_s && format != u"json"_s) {
                io.err << "antibodyctl lint: unknown format '" << format << "': use text or json\n";
                return UsageError;
            }
            continue;
        }
        // A path may start with one '-'; only `--` marks an option here.
        if (options.argument().startsWith(u"--"_s)) {
            io.err << "antibodyctl lint: unknown option '" << options.argument() << "'\n\n";
            printLintUsage(io.err);
            return UsageError;
        }
        paths << options.argument();
    }
    if (paths.isEmpty()) {
        io.err << "antibodyctl lint: name at least one runbook file or folder\n\n";
        printLintUsage(io.err);
        return UsageError;
    }

    const LibraryResult library = loadRunbookLibrary(paths);
    const QString ioCode = diagnosticCodeInfo(DiagnosticCode::IoError).name;
    const bool ioFailed = std::any_of(
        library.diagnostics.begin(), library.diagnostics.end(), [&](const Diagnostic &d) { return d.code == ioCode; });
    if (library.files.isEmpty() && !ioFailed) {
        io.err << "antibodyctl lint: no runbook files (*.yaml, *.yml) in " << paths.join(u", "_s) << '\n';
        return UsageError;
    }

    QList<Diagnostic> diagnostics = library.diagnostics;
    if (const int status = addDrillWarnings(dataDir, library, diagnostics, io); status != Ok)
        return status;

    qsizetype errors = 0;
    qsizetype warnings = 0;
    QStringList filesWithProblems;
    for (const Diagnostic &d : std::as_const(diagnostics)) {
        (d.isError() ? errors : warnings) += 1;
        if (!filesWithProblems.contains(d.file))
            filesWithProblems << d.file;
    }
    if (format == u"json"_s) {
        printDiagnosticsJson(diagnostics, io.out);
    } else {
        printDiagnostics(diagnostics, io.out);
        if (errors + warnings == 0) {
            io.out << "lint: " << plural(library.files.size(), u"file"_s) << ", "
                   << plural(library.runbooks.size(), u"runbook"_s) << ": no problems\n";
        } else {
            io.out << "lint: " << plural(errors, u"error"_s) << ", " << plural(warnings, u"warning"_s) << " in "
                   << filesWithProblems.size() << " of " << plural(library.files.size(), u"file"_s) << "; "
                   << plural(library.runbooks.size(), u"runbook"_s) << " loaded\n";
        }
    }
    if (ioFailed)
        return UsageError;
    return errors > 0 ? Failed : Ok;
}

} // namespace antibody::ctl

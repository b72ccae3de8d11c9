// antibodyctl drill RUNBOOK...: each runbook's drill in the simulator, judged and stored.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/optionreader.h"
#include "engine/rehearsal/drillschedule.h"
#include "engine/runbook/runbookloader.h"
#include "engine/store/datadirectory.h"
#include "engine/store/sqlitestore.h"
#include "simulator/rehearsal/simulateddrill.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace antibody::ctl {
namespace {

void printDrillUsage(QTextStream &out)
{
    out << "usage: antibodyctl drill [--json] [--data-dir DIR] [--timeline] RUNBOOK...\n\n"
        << "Runs each runbook's drill: the simulator scenario (or fault) its `drill:` section names,\n"
        << "on a fresh simulated fleet in virtual time, with the runbook live in an engine that\n"
        << "approves what it is asked to (as a human on a drill would). A drill passes when the\n"
        << "first incident the runbook opens ends as `expect:` promises (resolved within `max_mttr`,\n"
        << "or escalated) and nothing the scenario forbids ran. RUNBOOK may be a folder.\n\n"
        << "  --json           a JSON array, one object per runbook: runbook, file, scenario, passed,\n"
        << "                   outcome, mttr_seconds, detail, failures, at\n"
        << "  --data-dir DIR   store the results in DIR's database (default: the user's data folder,\n"
        << "                   where the console and `antibodyctl lint` read drill history)\n"
        << "  --timeline       print every drill's timeline, not only the failed ones'\n\n"
        << "Exit status: 0 every drill passed, 1 a drill failed (or a runbook does not validate),\n"
        << "2 usage or I/O error.\n";
}

QJsonObject toJson(const DrillReport &r)
{
    QJsonArray failures;
    for (const QString &f : r.failures)
        failures << f;
    return QJsonObject {
        { u"runbook"_s, r.result.runbook },
        { u"file"_s, r.file },
        { u"scenario"_s, r.result.scenario.isEmpty() ? QJsonValue() : QJsonValue(r.result.scenario) },
        { u"passed"_s, r.result.passed },
        { u"outcome"_s, r.result.outcome },
        { u"mttr_seconds"_s, r.result.mttr ? QJsonValue(toSeconds(*r.result.mttr)) : QJsonValue() },
        { u"detail"_s, r.result.detail },
        { u"failures"_s, failures },
        { u"at"_s, formatTime(r.result.at) },
    };
}

void printTimeline(QTextStream &out, const DrillReport &r)
{
    const TimePoint start = r.timeline.isEmpty() ? r.result.at : r.timeline.front().at;
    for (const EngineEvent &e : r.timeline) {
        if (e.kind == EngineEvent::Kind::StateChanged)
            continue;
        out << "        +" << formatDuration(e.at - start).leftJustified(8) << ' ' << e.kindName().leftJustified(18)
            << ' ' << e.detail << '\n';
    }
}

// A runbook that does not validate cannot be drilled: it counts as a failed drill.
DrillReport invalidRunbook(const QString &file, const QList<Diagnostic> &diagnostics, TimePoint now)
{
    DrillReport r;
    r.file = file;
    r.result.runbook = QFileInfo(file).completeBaseName();
    r.result.outcome = u"invalid"_s;
    r.result.at = now;
    for (const Diagnostic &d : diagnostics) {
        if (d.file == file && d.isError())
            r.failures << d.toString();
    }
    r.result.detail = u"the runbook does not validate (%1 error%2): antibodyctl lint %3"_s.arg(r.failures.size())
                          .arg(r.failures.size() == 1 ? QString() : u"s"_s, file);
    return r;
}

} // namespace

int runDrill(const QStringList &arguments, Io &io)
{
    QStringList args = arguments;
    QString optionError;
    const QString dataDir = OptionReader::takeDataDir(args, &optionError);
    if (!optionError.isEmpty()) {
        io.err << "antibodyctl drill: " << optionError << '\n';
        return UsageError;
    }
    bool json = false;
    bool timelines = false;
    QStringList paths;
    OptionReader options(args, u"drill"_s);
    while (options.next()) {
        if (options.flag(u"--help") || options.flag(u"-h")) {
            printDrillUsage(io.out);
            return Ok;
        }
        if (options.flag(u"--json")) {
            json = true;
        } else if (options.flag(u"--timeline")) {
            timelines = true;
        } else if (options.isOption()) {
            io.err << "antibodyctl drill: unknown option '" << options.argument() << "'\n\n";
            printDrillUsage(io.err);
            return UsageError;
        } else {
            paths << options.argument();
        }
    }
    if (paths.isEmpty()) {
        io.err << "antibodyctl drill: name at least one runbook file or folder\n\n";
        printDrillUsage(io.err);
        return UsageError;
    }
    for (const QString &p : std::as_const(paths)) {
        if (!QFileInfo::exists(p)) {
            io.err << "antibodyctl drill: " << p << " does not exist\n";
            return UsageError;
        }
    }
    const DataDirectory dir = DataDirectory::resolve(dataDir, DataDirectory::Use::ReadWrite);
    if (!dir.ok()) {
        io.err << "antibodyctl drill: " << dir.error() << '\n';
        return UsageError;
    }
    QString storeError;
    std::unique_ptr<SqliteStore> store = SqliteStore::open(dir.databaseFile(), &storeError);
    if (!store) {
        io.err << "antibodyctl drill: " << storeError << '\n';
        return UsageError;
    }
    QStringList storeFailures;
    store->setFailureHandler([&storeFailures](const QString &why) { storeFailures << why; });

    const LibraryResult library = loadRunbookLibrary(paths);
    if (library.files.isEmpty()) {
        io.err << "antibodyctl drill: no runbook files (*.yaml, *.yml) in " << paths.join(u", "_s) << '\n';
        return UsageError;
    }
    QList<DrillReport> reports;
    for (const QString &file : library.files) {
        const TimePoint now = fromMillis(QDateTime::currentMSecsSinceEpoch());
        const Runbook *runbook = nullptr;
        for (const Runbook &r : library.runbooks) {
            if (r.file == file)
                runbook = &r;
        }
        if (!runbook) {
            reports << invalidRunbook(file, library.diagnostics, now);
            continue;
        }
        DrillReport report = sim::SimulatedDrill::run(*runbook, now);
        if (!report.ran()) {
            report.result.outcome = u"not_drilled"_s;
            report.result.detail = report.error;
            report.failures = { report.error };
        } else {
            store->saveDrill(report.result);
        }
        reports << report;
        if (!json) {
            const DrillResult &r = report.result;
            io.out << (r.passed ? "PASS  " : "FAIL  ") << r.runbook;
            if (!r.scenario.isEmpty())
                io.out << "  (scenario " << r.scenario << ", " << formatDuration(report.simulated) << " simulated)";
            io.out << "\n      " << r.detail << '\n';
            for (qsizetype i = 1; i < report.failures.size(); ++i)
                io.out << "      " << report.failures.at(i) << '\n';
            if (report.ran() && (timelines || !r.passed))
                printTimeline(io.out, report);
            io.out.flush();
        }
    }
    store->flush();
    const qsizetype passed
        = std::count_if(reports.begin(), reports.end(), [](const DrillReport &r) { return r.result.passed; });
    if (json) {
        QJsonArray array;
        for (const DrillReport &r : std::as_const(reports))
            array << toJson(r);
        io.out << QJsonDocument(array).toJson(QJsonDocument::Indented);
    } else {
        io.out << "drill: " << passed << " of " << reports.size() << " runbook" << (reports.size() == 1 ? "" : "s")
               << " passed; results stored in " << QDir::toNativeSeparators(dir.databaseFile()) << '\n';
    }
    for (const QString &f : std::as_const(storeFailures))
        io.err << "antibodyctl drill: could not store a result: " << f << '\n';
    if (!storeFailures.isEmpty())
        return UsageError;
    return passed == reports.size() ? Ok : Failed;
}

} // namespace antibody::ctl

// antibodyctl stats: recovery times (time to detect, propose, approve, resolve)
// from the database, overall, per runbook and per level.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/optionreader.h"
#include "engine/store/readonlystore.h"
#include "engine/store/recoveryfigures.h"
#include "engine/store/storeerror.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

namespace {

const char statsUsage[] = "usage: antibodyctl stats [--json] [--data-dir DIR]\n";

QString cell(const RecoveryFigures::Summary &s)
{
    return s.count == 0 ? u"-"_s : formatDuration(std::chrono::round<std::chrono::seconds>(s.mean));
}

QString row(const QString &label, const RecoveryFigures &f)
{
    QString line = label.leftJustified(34);
    line += QString::number(f.incidents).rightJustified(9) + QString::number(f.resolved).rightJustified(9);
    for (const auto *s : { &f.detect, &f.propose, &f.approve, &f.resolve })
        line += cell(*s).rightJustified(9);
    line += (f.resolve.count ? formatDuration(std::chrono::round<std::chrono::seconds>(f.resolve.p90)) : u"-"_s)
                .rightJustified(9);
    line += (f.resolve.count ? formatDuration(std::chrono::round<std::chrono::seconds>(f.resolve.worst)) : u"-"_s)
                .rightJustified(9);
    return line;
}

QJsonArray toJson(const QList<RecoveryFigures> &groups)
{
    QJsonArray out;
    for (const RecoveryFigures &f : groups)
        out.append(f.toJson());
    return out;
}

} // namespace

int runStats(const QStringList &arguments, Io &io)
{
    QStringList args = arguments;
    QString optionError;
    const QString dataDir = OptionReader::takeDataDir(args, &optionError);
    bool json = false;
    OptionReader options(args, u"stats"_s);
    while (options.next()) {
        if (options.flag(u"--json")) {
            json = true;
        } else if (options.flag(u"--help") || options.flag(u"-h")) {
            io.out
                << statsUsage
                << "\nMeans per stage: detect (first alert to incident), propose (incident to plan), approve (plan to\n"
                   "the approval that let it run), MTTR (first alert to resolved), with its 90th percentile and "
                   "worst.\n";
            return Ok;
        } else {
            optionError = u"unknown argument '%1'"_s.arg(options.argument());
        }
    }
    if (!optionError.isEmpty()) {
        io.err << "antibodyctl stats: " << optionError << '\n' << statsUsage;
        return UsageError;
    }
    QString error;
    auto store = ReadOnlyStore::open(dataDir, &error);
    if (!store) {
        io.err << "antibodyctl stats: " << error << '\n';
        return UsageError;
    }
    QList<IncidentTimes> times;
    try {
        times = IncidentTimes::read(store->database());
    } catch (const StoreError &e) {
        io.err << "antibodyctl stats: " << e.message() << '\n';
        return UsageError;
    }
    const RecoveryFigures all = RecoveryFigures::of(u"all"_s, times);
    const auto byRunbook = RecoveryFigures::byRunbook(times);
    const auto byLevel = RecoveryFigures::byLevel(times);
    if (json) {
        const QJsonObject root { { u"database"_s, store->file() }, { u"all"_s, all.toJson() },
            { u"by_runbook"_s, toJson(byRunbook) }, { u"by_level"_s, toJson(byLevel) } };
        io.out << QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented));
        return Ok;
    }
    if (times.isEmpty()) {
        io.out << "no incidents recorded in " << store->file() << " yet\n";
        return Ok;
    }
    io.out << "Recovery times in " << store->file() << ": " << all.incidents << " incidents, " << all.resolved
           << " resolved, " << all.escalated << " escalated\n\n";
    io.out << QString().leftJustified(34)
           << "incidents resolved   detect  propose  approve     MTTR MTTR p90 MTTR max\n";
    io.out << row(u"all"_s, all) << '\n';
    io.out << "by runbook\n";
    for (const RecoveryFigures &f : byRunbook)
        io.out << row(u"  "_s + f.group, f) << '\n';
    io.out << "by level\n";
    for (const RecoveryFigures &f : byLevel)
        io.out << row(u"  "_s + f.group, f) << '\n';
    io.out
        << "\nMeans, except p90 and max. detect: first alert -> incident; propose: incident -> plan; approve: plan ->\n"
           "the approval it ran on; MTTR: first alert -> resolved. \"-\": no incident reached that stage.\n";
    return Ok;
}

} // namespace antibody::ctl

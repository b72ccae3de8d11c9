// antibodyctl run --config FILE: the engine headless against the configured feeds
// and executors, on the wall clock, printing the incident timeline as it happens.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/optionreader.h"
#include "app/antibodyctl/timeline.h"
#include "app/process/stopsignals.h"
#include "connectors/environment/configuredengine.h"
#include "engine/core/systemclock.h"
#include "engine/store/identity.h"
#include "engine/store/sqlitestore.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QMap>
#include <QTimer>
#include <optional>

using namespace Qt::StringLiterals;

namespace antibody::ctl {
namespace {

void printRunUsage(QTextStream &out)
{
    out << "usage: antibodyctl run --config FILE [--approve auto|none] [--max-seconds N] [--data-dir DIR] [--json]\n\n"
        << "Runs the engine without the console against the feeds and executors of a configuration file\n"
        << "(docs/configuration.md), with its runbooks, on the wall clock, and prints the incident timeline\n"
        << "as it happens. Stops cleanly on Ctrl-C (SIGINT), SIGTERM, SIGHUP or after --max-seconds.\n\n"
        << "  --config FILE     the configuration (`scripts/realstack config` prints one for the real stack)\n"
        << "  --approve MODE    Level 2 proposals: auto (approved as they come, for drills and tests) or\n"
        << "                    none (left pending, the default)\n"
        << "  --max-seconds N   stop after N seconds (default: run until stopped)\n"
        << "  --data-dir DIR    the database's folder (default: the configuration's data_dir, else the\n"
        << "                    user's data folder)\n"
        << "  --json            one JSON object per line: t (seconds since the start), incident, kind,\n"
        << "                    detail, data; the start and the end go to stderr\n\n"
        << "Exit status: 0 when it ran and stopped cleanly, 1 on error (a bad configuration, a runbook\n"
        << "that does not load, a database that cannot be written), 2 usage error.\n";
}

struct RunOptions
{
    QString config;
    bool autoApprove = false;
    std::optional<qint64> maxMilliseconds;
    QString dataDir;
    bool json = false;
    bool help = false;
};

// Every option takes `--name value` or `--name=value`.
bool parseOptions(QStringList args, RunOptions &o, QString *error)
{
    o.dataDir = OptionReader::takeDataDir(args, error);
    if (!error->isEmpty())
        return false;
    OptionReader options(args, u"run"_s);
    while (options.next()) {
        QString value;
        auto take = [&] { return options.take(&value, error); };
        if (options.flag(u"--help") || options.flag(u"-h")) {
            o.help = true;
        } else if (options.flag(u"--json")) {
            o.json = true;
        } else if (options.is(u"--config")) {
            if (!take())
                return false;
            o.config = value;
        } else if (options.is(u"--approve")) {
            if (!take())
                return false;
            if (value != u"auto"_s && value != u"none"_s) {
                *error = u"--approve takes auto or none (got '%1')"_s.arg(value);
                return false;
            }
            o.autoApprove = value == u"auto"_s;
        } else if (options.is(u"--max-seconds")) {
            if (!take())
                return false;
            bool ok = false;
            const double seconds = value.toDouble(&ok);
            if (!ok || !(seconds > 0) || seconds > 365.0 * 24 * 3600) {
                *error = u"--max-seconds takes a number of seconds above 0, such as 90 (got '%1')"_s.arg(value);
                return false;
            }
            o.maxMilliseconds = static_cast<qint64>(seconds * 1000.0);
        } else {
            *error = options.unknown();
            return false;
        }
    }
    if (!o.help && o.config.isEmpty()) {
        *error = u"--config FILE is required: `scripts/realstack config` prints one for the real stack"_s;
        return false;
    }
    return true;
}

QString incidentCounts(const QList<Incident> &incidents)
{
    QMap<QString, int> byState;
    for (const Incident &i : incidents)
        ++byState[incidentStateText(i.state)];
    QStringList parts;
    for (auto it = byState.cbegin(); it != byState.cend(); ++it)
        parts << u"%1 %2"_s.arg(it.value()).arg(it.key());
    return u"%1 incident%2%3"_s.arg(incidents.size())
        .arg(incidents.size() == 1 ? QString() : u"s"_s,
            parts.isEmpty() ? QString() : u" ("_s + parts.join(u", "_s) + u')');
}

} // namespace

int runRun(const QStringList &args, Io &io)
{
    RunOptions o;
    QString error;
    if (!parseOptions(args, o, &error)) {
        io.err << "antibodyctl run: " << error << '\n';
        return UsageError;
    }
    if (o.help) {
        printRunUsage(io.out);
        return Ok;
    }

    SystemClock clock;
    ConfiguredEngine::Options options;
    options.configFile = o.config;
    options.dataDir = o.dataDir;
    options.identity = Identity::process();
    options.autoApprove = o.autoApprove;
    options.autoApprover = u"antibodyctl run --approve auto (%1)"_s.arg(Identity::approver());
    ConfiguredEngine::Built built = ConfiguredEngine::build(options, clock);
    if (!built.engine) {
        io.err << "antibodyctl run: " << built.error << '\n';
        return Failed;
    }
    ConfiguredEngine &host = *built.engine;
    StopSignals stopSignals;
    if (!stopSignals.ok()) {
        io.err << "antibodyctl run: " << stopSignals.error() << '\n';
        return Failed;
    }

    // With --json, stdout carries only the event lines.
    QTextStream &info = o.json ? io.err : io.out;
    for (const QString &w : host.warnings())
        info << "warning: " << w << '\n';
    info << "antibodyctl run: " << o.config << "; approvals: "
         << (o.autoApprove ? u"auto (safe-tier Level 2 plans approved as they come; approve-tier actions and "
                             u"never-automate containment still wait for a human)"_s
                           : u"none (left pending)"_s)
         << "; stops on Ctrl-C, SIGTERM or SIGHUP"
         << (o.maxMilliseconds ? u" or after %1"_s.arg(formatDuration(Duration { *o.maxMilliseconds })) : QString())
         << ".\n";
    for (const QString &line : host.describe())
        info << "  " << line << '\n';
    info << '\n';
    info.flush();

    const TimePoint startedAt = clock.now();
    auto secondsAt = [&](TimePoint at) { return toSeconds(at - startedAt); };
    QObject printer;
    QObject::connect(&host.engine(), &Engine::event, &printer, [&](const EngineEvent &e) {
        if (o.json)
            io.out << QJsonDocument(timelineJson(secondsAt(e.at), e)).toJson(QJsonDocument::Compact) << '\n';
        else if (worthReading(e) || e.kind == EngineEvent::Kind::FeedChanged) // a real feed's health matters
            io.out << timelineLine(secondsAt(e.at), e);
        io.out.flush();
    });

    QEventLoop loop;
    QString stoppedBy;
    QString storeFailure;
    QObject::connect(&stopSignals, &StopSignals::received, &loop, [&](int signal) {
        stoppedBy = StopSignals::name(signal);
        loop.quit();
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    if (o.maxMilliseconds) {
        QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
            stoppedBy = u"--max-seconds"_s;
            loop.quit();
        });
        deadline.start(std::chrono::milliseconds(*o.maxMilliseconds));
    }
    // Without its database the engine cannot record an intent before acting: stop.
    host.sqliteStore()->setFailureHandler([&](const QString &message) {
        if (storeFailure.isEmpty())
            storeFailure = message;
        QTimer::singleShot(0, &loop, &QEventLoop::quit);
    });

    host.engine().start();
    loop.exec();
    const QList<Incident> incidents = host.engine().incidents();
    host.stop();
    host.sqliteStore()->setFailureHandler(
        [&io](const QString &message) { io.err << "antibodyctl run: " << message << '\n'; });

    if (!storeFailure.isEmpty()) {
        io.err << "antibodyctl run: the database failed, stopped: " << storeFailure << '\n';
        return Failed;
    }
    info << "\nStopped by " << stoppedBy << " after "
         << formatDuration(std::chrono::round<std::chrono::seconds>(clock.now() - startedAt)) << ": "
         << incidentCounts(incidents) << ".\n";
    return Ok;
}

} // namespace antibody::ctl

// antibodyctl simulate --scenario NAME: one scenario through the engine and the
// shipped runbooks on the simulated fleet, printed as a timeline or as JSON.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/fakekubernetesendpoint.h"
#include "app/antibodyctl/fleetscrapetarget.h"
#include "app/antibodyctl/optionreader.h"
#include "app/antibodyctl/timeline.h"
#include "app/process/stopsignals.h"
#include "engine/core/pacedclock.h"
#include "engine/core/virtualclock.h"
#include "engine/pipeline/incidentid.h"
#include "engine/runbook/runbookloader.h"
#include "engine/runbook/shippedlibrary.h"
#include "engine/store/datadirectory.h"
#include "engine/store/identity.h"
#include "engine/store/sqlitestore.h"
#include "simulator/scenarios/consoledemo.h"
#include "simulator/scenarios/scenariorun.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

using namespace Qt::StringLiterals;
using antibody::sim::ScenarioRun;

namespace antibody::ctl {
namespace {

void printSimulateUsage(QTextStream &out)
{
    out << "usage: antibodyctl simulate --scenario NAME [--level N] [--approve auto|deny|none] [--seed N]\n"
        << "                            [--pace FACTOR] [--data-dir DIR] [--runbooks PATH]... [--json]\n"
        << "                            [--serve-metrics HOST:PORT [--hold DURATION|forever]]\n"
        << "                            [--serve-kubernetes HOST:PORT [--kube-tls-cert PEM --kube-tls-key PEM]\n"
        << "                             [--kube-token-file FILE] [--write-kubeconfig FILE]] [--engine "
           "embedded|none]\n\n"
        << "Runs one scenario of the simulated fleet (`antibodyctl scenarios` lists them) to its end through\n"
        << "the engine and the runbooks, and prints the incident timeline.\n\n"
        << "  --scenario NAME   the scenario to run\n"
        << "  --level N         run every runbook at automation level N (0-4) instead of its own\n"
        << "  --approve MODE    how approval requests are answered: auto (approved as they come, the\n"
        << "                    default), deny (refused), none (left pending until the scenario ends)\n"
        << "  --seed N          another seed for the fleet's chance (the scenario's own by default)\n"
        << "  --pace FACTOR     run FACTOR simulated seconds per real second (default: as fast as possible)\n"
        << "  --data-dir DIR    keep the incidents and the audit trail in DIR's database (default: memory)\n"
        << "  --runbooks PATH   runbook files or folders (default: the shipped library)\n"
        << "  --json            print one JSON object instead of the timeline\n"
        << "  --serve-metrics HOST:PORT\n"
        << "                    serve the fleet's metrics as the standard exporters name them, for a real\n"
        << "                    Prometheus to scrape at http://HOST:PORT/metrics (port 0: any free port);\n"
        << "                    the first line printed (on stderr with --json) is \"Serving the simulated\n"
        << "                    fleet's metrics on URL\". Paces the run at 1 unless --pace says otherwise\n"
        << "  --hold DURATION   with --serve-metrics: go on serving the fleet that long after the scenario\n"
        << "                    ends (5m, 1h; default 0), or until SIGINT/SIGTERM with `forever`.\n"
        << "                    SIGINT/SIGTERM end a serving run at any time, with its summary\n"
        << "  --serve-kubernetes HOST:PORT\n"
        << "                    serve a FAKE Kubernetes API over the fleet (no real cluster): a Deployment per\n"
        << "                    service in namespace default, its pods, scale and evictions, for the real\n"
        << "                    executors.kubernetes of an engine outside; evictions and scale patches change\n"
        << "                    the fleet. Prints \"Serving a fake Kubernetes API over the simulated fleet on URL\"\n"
        << "  --kube-tls-cert PEM, --kube-tls-key PEM\n"
        << "                    serve it over HTTPS with this certificate and unencrypted key (default: HTTP)\n"
        << "  --kube-token-file FILE\n"
        << "                    the bearer token every request must carry (default: a random one, written\n"
        << "                    into the kubeconfig only)\n"
        << "  --write-kubeconfig FILE\n"
        << "                    write the kubeconfig for executors.kubernetes.kubeconfig (mode 0600): the\n"
        << "                    server, the certificate as its authority, the token\n"
        << "  --engine MODE     embedded (the default): the simulator's own engine and simulated executors\n"
        << "                    answer the faults; none: no engine here, only the world and the scenario's\n"
        << "                    faults, for an engine outside (`antibodyctl run`) to act through the served\n"
        << "                    metrics and the fake API. Needs --serve-metrics\n\n"
        << "Exit status: 0 when the simulation ran, whatever its outcome; 1 on error.\n";
}

struct SimulateOptions
{
    QString scenario;
    std::optional<int> level;
    ScenarioRun::Approvals approvals = ScenarioRun::Approvals::Auto;
    std::optional<quint64> seed;
    std::optional<double> pace;
    QString dataDir;
    QStringList runbooks;
    bool json = false;
    bool help = false;
    QString serveMetrics; // HOST:PORT
    FakeKubernetesEndpoint::Options kubernetes; // address empty: no fake API
    bool engine = true; // --engine embedded
    std::optional<Duration> hold; // nullopt with holdForever
    bool holdForever = false;
};

// Every option takes `--name value` or `--name=value`.
bool parseOptions(QStringList args, SimulateOptions &o, QString *error)
{
    o.dataDir = OptionReader::takeDataDir(args, error);
    if (!error->isEmpty())
        return false;
    OptionReader options(args, u"simulate"_s);
    while (options.next()) {
        QString value;
        auto take = [&] { return options.take(&value, error); };
        bool ok = true;
        if (options.flag(u"--help") || options.flag(u"-h")) {
            o.help = true;
        } else if (options.flag(u"--json")) {
            o.json = true;
        } else if (options.is(u"--scenario")) {
            ok = take();
            o.scenario = value;
        } else if (options.is(u"--runbooks")) {
            ok = take();
            o.runbooks << value;
        } else if (options.is(u"--level")) {
            if (!take())
                return false;
            const int level = value.toInt(&ok);
            if (!ok || level < 0 || level > 4) {
                *error = u"--level takes 0, 1, 2, 3 or 4 (got '%1')"_s.arg(value);
                return false;
            }
            o.level = level;
        } else if (options.is(u"--approve")) {
            if (!take())
                return false;
            if (value == u"auto"_s)
                o.approvals = ScenarioRun::Approvals::Auto;
            else if (value == u"deny"_s)
                o.approvals = ScenarioRun::Approvals::Deny;
            else if (value == u"none"_s)
                o.approvals = ScenarioRun::Approvals::None;
            else {
                *error = u"--approve takes auto, deny or none (got '%1')"_s.arg(value);
                return false;
            }
        } else if (options.is(u"--seed")) {
            if (!take())
                return false;
            o.seed = value.toULongLong(&ok);
            if (!ok) {
                *error = u"--seed takes a whole number from 0 to 18446744073709551615 (got '%1')"_s.arg(value);
                return false;
            }
        } else if (options.is(u"--pace")) {
            if (!take())
                return false;
            const double factor = value.toDouble(&ok);
            if (!ok || !(factor > 0) || factor > 1e6) {
                *error
                    = u"--pace takes simulated seconds per real second, a number above 0 such as 10 (got '%1')"_s.arg(
                        value);
                return false;
            }
            o.pace = factor;
        } else if (options.is(u"--serve-metrics")) {
            ok = take();
            o.serveMetrics = value;
        } else if (options.is(u"--serve-kubernetes")) {
            ok = take();
            o.kubernetes.address = value;
        } else if (options.is(u"--kube-tls-cert")) {
            ok = take();
            o.kubernetes.certFile = value;
        } else if (options.is(u"--kube-tls-key")) {
            ok = take();
            o.kubernetes.keyFile = value;
        } else if (options.is(u"--kube-token-file")) {
            ok = take();
            o.kubernetes.tokenFile = value;
        } else if (options.is(u"--write-kubeconfig")) {
            ok = take();
            o.kubernetes.kubeconfig = value;
        } else if (options.is(u"--engine")) {
            if (!take())
                return false;
            if (value != u"embedded"_s && value != u"none"_s) {
                *error = u"--engine takes embedded or none (got '%1')"_s.arg(value);
                return false;
            }
            o.engine = value == u"embedded"_s;
        } else if (options.is(u"--hold")) {
            if (!take())
                return false;
            o.holdForever = value == u"forever"_s;
            if (!o.holdForever) {
                o.hold = parseDuration(value);
                if (!o.hold) {
                    *error = u"--hold takes a duration such as 30s, 5m or 1h, or forever (got '%1')"_s.arg(value);
                    return false;
                }
            }
        } else {
            *error = options.unknown();
            return false;
        }
        if (!ok)
            return false;
    }
    if ((o.hold || o.holdForever) && o.serveMetrics.isEmpty()) {
        *error = u"--hold keeps serving metrics after the scenario: it needs --serve-metrics"_s;
        return false;
    }
    const auto &k = o.kubernetes;
    if (k.address.isEmpty() && !(k.certFile + k.keyFile + k.tokenFile + k.kubeconfig).isEmpty()) {
        *error = u"--kube-tls-cert, --kube-tls-key, --kube-token-file and --write-kubeconfig configure the fake "
                 u"Kubernetes API: they need --serve-kubernetes"_s;
        return false;
    }
    if (!k.address.isEmpty() && o.serveMetrics.isEmpty()) {
        *error = u"--serve-kubernetes lets an engine outside act on the fleet; it sees the fleet through "
                 u"--serve-metrics, which is missing"_s;
        return false;
    }
    if (!o.engine && o.serveMetrics.isEmpty()) {
        *error = u"--engine none leaves the fleet to an engine outside, which sees it through --serve-metrics"_s;
        return false;
    }
    // A scrape target moves in real time: one simulated second per second unless told otherwise.
    if (!o.serveMetrics.isEmpty() && !o.pace)
        o.pace = 1.0;
    if (!o.help && o.scenario.isEmpty()) {
        *error = u"--scenario is required: `antibodyctl scenarios` lists them"_s;
        return false;
    }
    return true;
}

void printHeader(const ScenarioRun &run, const SimulateOptions &o, Io &io)
{
    const auto &s = run.scenario();
    io.out << "Scenario " << s.name << " (seed " << run.seed() << "): " << s.description << '\n'
           << "Starts " << formatTime(run.startedAt()) << ", runs " << formatDuration(s.horizon) << " of simulated time"
           << (o.pace ? u" at %1x"_s.arg(*o.pace) : QString()) << "; "
           << (!o.engine        ? u"no engine of its own: an engine outside acts"_s
                      : o.level ? u"every runbook at level %1"_s.arg(*o.level)
                                : u"runbooks at their own levels"_s);
    if (o.engine)
        io.out << "; approvals: " << ScenarioRun::approvalsText(o.approvals);
    io.out << ".\n"
           << "A good run: " << s.expect.story << ".\n\n";
    io.out.flush();
}

void printEvent(const ScenarioRun &run, const EngineEvent &e, Io &io)
{
    if (!worthReading(e))
        return;
    io.out << timelineLine(run.secondsAt(e.at), e);
    io.out.flush();
}

// What the fake Kubernetes API saw and did, for the summary and --json.
QJsonObject kubernetesJson(const ScenarioRun &run, FakeKubernetesEndpoint &endpoint)
{
    QJsonArray changes;
    for (const sim::FakeKubernetesApi::Change &c : endpoint.api().changes())
        changes.append(QJsonObject { { u"t"_s, run.secondsAt(c.at) }, { u"kind"_s, c.kind }, { u"object"_s, c.object },
            { u"detail"_s, c.detail } });
    return { { u"url"_s, endpoint.url() }, { u"requests"_s, endpoint.api().requests() },
        { u"refused"_s, endpoint.api().refused() }, { u"changes"_s, changes } };
}

void printKubernetes(FakeKubernetesEndpoint &endpoint, Io &io)
{
    const sim::FakeKubernetesApi &api = endpoint.api();
    io.out << "Fake Kubernetes API: " << api.requests() << " request" << (api.requests() == 1 ? "" : "s") << " ("
           << api.refused() << " answered with an error), " << api.changes().size() << " change"
           << (api.changes().size() == 1 ? "" : "s") << (api.changes().isEmpty() ? "." : ":") << '\n';
    for (const sim::FakeKubernetesApi::Change &c : api.changes())
        io.out << "  " << printable(c.detail) << '\n';
}

void printSummary(const ScenarioRun &run, const SimulateOptions &o, Io &io)
{
    if (!o.engine) {
        io.out << "\nOutcome: left to the engine outside (--engine none); the world's faults: " << run.faults().size()
               << ".\n";
        return;
    }
    const ScenarioRun::Result r = run.result();
    const auto &expect = run.scenario().expect;
    io.out << '\n';
    if (!r.incident) {
        io.out << "Outcome: unresolved: nothing was detected within " << formatDuration(run.scenario().horizon)
               << ".\n";
    } else {
        const Incident &i = *r.incident;
        const QString what = u"%1, %2 on %3"_s.arg(i.id, i.runbook.isEmpty() ? u"no runbook"_s : i.runbook, i.service);
        if (r.mttr)
            io.out << "Outcome: resolved in "
                   << formatDuration(std::chrono::duration_cast<std::chrono::seconds>(*r.mttr)) << " (" << what << ')';
        else if (!isFinal(i.state))
            io.out << "Outcome: unresolved (" << what << ", still " << incidentStateText(i.state)
                   << " when the scenario ends)";
        else
            io.out << "Outcome: " << r.outcome << " (" << what << ')';
        const bool asExpected
            = r.outcome == expect.outcome && (!expect.maxMttr || (r.mttr && *r.mttr <= *expect.maxMttr));
        // The scenario's promise holds at the runbooks' own levels with approvals answered.
        const bool asScripted = !o.level && o.approvals == ScenarioRun::Approvals::Auto;
        io.out << ". "
               << (asExpected          ? u"As a good run does"_s
                          : asScripted ? u"A good run is"_s
                                       : u"At the runbooks' own levels with approvals answered, a good run is"_s)
               << ": " << expect.outcome
               << (expect.maxMttr ? u" within %1"_s.arg(formatDuration(*expect.maxMttr)) : QString()) << ".\n";
    }
    QStringList ran;
    const QMap<QString, int> executed = run.actionsExecuted();
    for (auto it = executed.cbegin(); it != executed.cend(); ++it)
        ran << u"%1 %2"_s.arg(it.key()).arg(it.value());
    io.out << "Actions: " << (ran.isEmpty() ? u"none"_s : ran.join(u", "_s)) << ".\n";
    const auto pages = run.pages();
    io.out << "Paged: "
           << (pages.isEmpty() ? u"nobody"_s
                               : u"%1 time%2"_s.arg(pages.size()).arg(pages.size() == 1 ? QString() : u"s"_s))
           << ".\n";
    const QStringList lost = run.evidenceLost();
    if (!lost.isEmpty())
        io.out << "Evidence destroyed: " << lost.join(u"; "_s) << ".\n";
    QList<Incident> others;
    for (const Incident &i : run.incidents()) {
        if (!r.incident || i.id != r.incident->id)
            others << i;
    }
    std::sort(
        others.begin(), others.end(), [](const Incident &a, const Incident &b) { return a.detectedAt < b.detectedAt; });
    if (!others.isEmpty())
        io.out << "Other incidents (" << others.size() << "):\n";
    constexpr qsizetype shown = 8;
    for (const Incident &i : others.mid(0, shown)) {
        io.out << "  " << clockText(run.secondsAt(i.detectedAt)).rightJustified(7) << "  "
               << IncidentId::shortForm(i.id) << "  " << incidentStateText(i.state).leftJustified(17) << ' '
               << (i.runbook.isEmpty() ? u"no runbook"_s : i.runbook) << ": " << printable(i.title) << '\n';
    }
    if (others.size() > shown)
        io.out << "  ... and " << others.size() - shown << " more (--json lists them all)\n";
}

// A serving run: the scenario, then --hold; a stop signal ends either early.
void serveUntilDone(ScenarioRun &run, const SimulateOptions &o, Io &io)
{
    QEventLoop loop;
    StopSignals stopSignals;
    QObject::connect(&stopSignals, &StopSignals::received, &loop, [&](int signal) {
        (o.json ? io.err : io.out) << "Stopped by " << StopSignals::name(signal) << ".\n";
        loop.quit();
    });
    QTimer holdTimer;
    holdTimer.setSingleShot(true);
    QObject::connect(&holdTimer, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&run, &ScenarioRun::finished, &loop, [&] {
        if (!o.holdForever && (!o.hold || o.hold->count() <= 0)) {
            loop.quit();
            return;
        }
        if (!o.json) {
            io.out << "The scenario is over; the fleet goes on, served "
                   << (o.holdForever ? u"until SIGINT or SIGTERM"_s : u"for %1"_s.arg(formatDuration(*o.hold)))
                   << ".\n";
            io.out.flush();
        }
        if (o.hold)
            holdTimer.start(std::chrono::duration_cast<std::chrono::milliseconds>(*o.hold));
    });
    loop.exec();
}

std::unique_ptr<Store> openStore(const QString &dataDir, QString *error)
{
    const DataDirectory dir = DataDirectory::resolve(dataDir, DataDirectory::Use::ReadWrite);
    if (!dir.ok()) {
        *error = dir.error();
        return nullptr;
    }
    return SqliteStore::open(dir.databaseFile(), error);
}

} // namespace

int runSimulate(const QStringList &args, Io &io)
{
    SimulateOptions o;
    QString error;
    if (!parseOptions(args, o, &error)) {
        io.err << "antibodyctl simulate: " << error << '\n';
        return Failed;
    }
    if (o.help) {
        printSimulateUsage(io.out);
        return Ok;
    }
    // The console's demo script is no drill scenario, but it can be watched here too.
    const sim::Scenario *scenario
        = o.scenario == sim::consoleDemo().name ? &sim::consoleDemo() : sim::findScenario(o.scenario);
    if (!scenario) {
        QStringList names;
        for (const sim::Scenario &s : sim::scenarios())
            names << s.name;
        io.err << "antibodyctl simulate: no scenario '" << o.scenario << "' (there are " << names.join(u", "_s)
               << ")\n";
        return Failed;
    }
    const QStringList paths = o.runbooks.isEmpty() ? QStringList { shippedRunbookFolder() } : o.runbooks;
    if (paths.contains(QString())) {
        io.err << "antibodyctl simulate: the shipped runbooks are not where they should be: give them with --runbooks "
                  "DIR\n";
        return Failed;
    }
    const LibraryResult library = loadRunbookLibrary(paths);
    if (library.hasErrors()) {
        io.err << "antibodyctl simulate: the runbooks do not load; fix these (`antibodyctl lint` says more):\n";
        for (const Diagnostic &d : library.diagnostics) {
            if (d.isError())
                io.err << "  " << d.toString() << '\n';
        }
        return Failed;
    }
    std::unique_ptr<Store> store;
    if (!o.dataDir.isEmpty()) {
        store = openStore(o.dataDir, &error);
        if (!store) {
            io.err << "antibodyctl simulate: " << error << '\n';
            return Failed;
        }
    }

    std::unique_ptr<Clock> clock;
    if (o.pace)
        clock = std::make_unique<PacedClock>(scenario->start(), *o.pace);
    else
        clock = std::make_unique<VirtualClock>(scenario->start());
    ScenarioRun::Options options;
    options.seed = o.seed;
    options.level = o.level;
    options.approvals = o.approvals;
    options.runbooks = library.runbooks;
    options.store = store.get();
    options.identity = Identity::process();
    options.engine = o.engine;
    ScenarioRun run(*scenario, *clock, options);
    std::unique_ptr<FleetScrapeTarget> target;
    if (!o.serveMetrics.isEmpty()) {
        target = std::make_unique<FleetScrapeTarget>(run.environment().world());
        if (!target->listen(o.serveMetrics, &error)) {
            io.err << "antibodyctl simulate: " << error << '\n';
            return Failed;
        }
    }
    // Both serve before either is announced: a run that cannot serve says only why.
    std::unique_ptr<FakeKubernetesEndpoint> kubernetes;
    if (!o.kubernetes.address.isEmpty()) {
        kubernetes = std::make_unique<FakeKubernetesEndpoint>(run.environment().world());
        if (!kubernetes->start(o.kubernetes, &error)) {
            io.err << "antibodyctl simulate: " << error << '\n';
            return Failed;
        }
    }
    if (target) {
        (o.json ? io.err : io.out) << "Serving the simulated fleet's metrics on " << target->url() << '\n';
        (o.json ? io.err : io.out).flush();
    }
    if (kubernetes) {
        (o.json ? io.err : io.out) << "Serving a fake Kubernetes API over the simulated fleet on " << kubernetes->url()
                                   << (o.kubernetes.kubeconfig.isEmpty()
                                              ? QString()
                                              : u" (kubeconfig: %1)"_s.arg(o.kubernetes.kubeconfig))
                                   << '\n';
        (o.json ? io.err : io.out).flush();
    }
    QObject printer;
    if (!o.json) {
        printHeader(run, o, io);
        QObject::connect(
            &run, &ScenarioRun::eventRecorded, &printer, [&](const EngineEvent &e) { printEvent(run, e, io); });
        QObject::connect(&run, &ScenarioRun::faultRecorded, &printer, [&](const QString &detail) {
            io.out << timelineLine(run.secondsAt(clock->now()), u"fault"_s, {}, detail);
            io.out.flush();
        });
        if (kubernetes)
            QObject::connect(&kubernetes->api(), &sim::FakeKubernetesApi::changed, &printer,
                [&](const sim::FakeKubernetesApi::Change &c) {
                    io.out << timelineLine(run.secondsAt(c.at), u"kubernetes"_s, {}, c.detail);
                    io.out.flush();
                });
    }
    run.start();
    if (auto *virtualClock = dynamic_cast<VirtualClock *>(clock.get())) {
        virtualClock->advanceTo(run.endsAt());
    } else if (!target) {
        QEventLoop loop;
        QObject::connect(&run, &ScenarioRun::finished, &loop, &QEventLoop::quit);
        loop.exec();
    } else {
        serveUntilDone(run, o, io);
    }
    if (auto *sqlite = dynamic_cast<SqliteStore *>(store.get()))
        sqlite->flush();
    if (o.json) {
        QJsonObject out = run.toJson();
        out.insert(u"engine"_s, o.engine ? u"embedded"_s : u"none"_s);
        if (kubernetes)
            out.insert(u"kubernetes"_s, kubernetesJson(run, *kubernetes));
        io.out << QJsonDocument(out).toJson(QJsonDocument::Indented);
    } else {
        printSummary(run, o, io);
        if (kubernetes)
            printKubernetes(*kubernetes, io);
    }
    return Ok;
}

} // namespace antibody::ctl

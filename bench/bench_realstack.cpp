// The seed's incident on the real stack (scripts/realstack: PostgreSQL, the exporter,
// Prometheus and Alertmanager with 1 s intervals), through the engine as
// `antibodyctl run --approve auto` builds it: the time from the pool's exhaustion to
// the proposal (goal: under 5 s) and from the approval to the resolution (goal: under
// 10 s). Brings the stack up on ports of its own when it is not running and down
// after; skips, saying so, when the stack's packages are not installed.
#include "bench/benchmark.h"
#include "bench/stacks.h"
#include "connectors/environment/configuredengine.h"
#include "engine/core/systemclock.h"
#include "engine/store/identity.h"

#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>
#include <optional>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

constexpr int runs = 3;

QString psql(const QString &sql)
{
    const int port = qEnvironmentVariableIntValue("REALSTACK_PORT_BASE") + 432;
    return bench::runProgram(u"psql"_s,
        { u"-X"_s, u"-qAt"_s, u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(port), u"-U"_s, u"postgres"_s, u"-d"_s,
            u"postgres"_s, u"-c"_s, sql })
        .value_or(QString())
        .trimmed();
}

struct Timing
{
    double toProposal = 0; // seconds from the pool's exhaustion to the proposal
    double toResolution = 0; // seconds from the approval to the resolution
};

std::optional<Timing> oneIncident(const bench::ScriptedStack &stack, const QString &config)
{
    QTemporaryDir data;
    SystemClock clock;
    ConfiguredEngine::Options options;
    options.configFile = config;
    options.dataDir = data.path(); // a fresh store: no cooldown left by the run before
    options.identity = Identity::process();
    options.autoApprove = true;
    options.autoApprover = u"bench --approve auto"_s;
    ConfiguredEngine::Built built = ConfiguredEngine::build(options, clock);
    if (!built.engine) {
        QTextStream(stderr) << "bench_realstack: " << built.error << '\n';
        return std::nullopt;
    }
    std::optional<TimePoint> proposed, approved, resolved;
    QString ending;
    QEventLoop loop;
    QStringList trail; // printed when the run fails
    QObject::connect(&built.engine->engine(), &Engine::event, &loop, [&](const EngineEvent &e) {
        trail << u"  %1 %2 %3 %4"_s.arg(formatTime(e.at), e.incidentId, e.kindName(), e.detail.left(160));
        if (e.kind == EngineEvent::Kind::Proposed && !proposed)
            proposed = e.at;
        else if (e.kind == EngineEvent::Kind::Approved && !approved)
            approved = e.at;
        else if (e.kind == EngineEvent::Kind::Resolved || e.kind == EngineEvent::Kind::Escalated) {
            if (e.kind == EngineEvent::Kind::Resolved)
                resolved = e.at;
            ending = e.detail;
            loop.quit();
        }
    });
    built.engine->engine().start();
    if (!stack.run({ u"exhaust"_s }))
        return std::nullopt;
    // The moment the pool filled, by the server's clock (this machine's).
    const double exhaustedAt
        = psql(u"SELECT extract(epoch FROM max(backend_start)) FROM pg_stat_activity WHERE usename = 'app'"_s)
              .toDouble();
    QTimer::singleShot(120'000, &loop, &QEventLoop::quit);
    loop.exec();
    built.engine->stop();
    stack.run({ u"release"_s });
    if (!proposed || !approved || !resolved || exhaustedAt <= 0) {
        const char *reached = !proposed ? "no proposal"
            : !approved                 ? "proposed, not approved"
                                        : "approved, not resolved";
        QTextStream(stderr) << "bench_realstack: the incident did not resolve within 2 minutes (" << reached << ")"
                            << (ending.isEmpty() ? QString() : u": "_s + ending) << '\n'
                            << trail.join(u'\n') << '\n';
        return std::nullopt;
    }
    return Timing { toMillis(*proposed) / 1000.0 - exhaustedAt, toSeconds(*resolved - *approved) };
}

} // namespace

ANTIBODY_BENCHMARK(realstack)
{
    QTextStream err(stderr);
    bench::realstack::usePortsOfItsOwn();
    const bench::ScriptedStack stack(u"realstack"_s, u"bench_realstack"_s, bench::realstack::missingPackages());
    if (!stack.ok())
        return;
    QTemporaryDir dir;
    const QString config = dir.filePath(u"antibody.yaml"_s);
    // The shipped pool runbook at the stack's pace (level 2, idle for 1 s).
    const QString runbooks = dir.filePath(u"runbooks"_s);
    if (!stack.run({ u"runbook"_s, runbooks }))
        return;
    if (const auto text = stack.run({ u"config"_s, u"--runbooks"_s, runbooks })) {
        QFile f(config);
        if (f.open(QIODevice::WriteOnly))
            f.write(text->toUtf8());
    }
    QList<double> toProposal, toResolution;
    for (int i = 0; i < runs; ++i) {
        stack.run({ u"release"_s });
        if (!bench::pollUntil([] { return !bench::realstack::poolAlertActive(); }, 200, 60'000)) {
            err << "bench_realstack: the pool alert from before does not resolve\n";
            break;
        }
        const auto t = oneIncident(stack, config);
        if (!t)
            break;
        err << "bench_realstack: run " << i + 1 << ": exhaustion to proposal " << t->toProposal
            << " s, approval to resolution " << t->toResolution << " s\n";
        toProposal << t->toProposal;
        toResolution << t->toResolution;
    }
    if (toProposal.isEmpty())
        return;
    // Goals (issue 9) with 1 s scrape, rule, poll and pass intervals: under 5 s and under 10 s.
    bench::report(u"realstack_exhaustion_to_proposal"_s, bench::percentile(toProposal, 0.5), u"s"_s);
    bench::report(u"realstack_approval_to_resolution"_s, bench::percentile(toResolution, 0.5), u"s"_s);
    err << "bench_realstack: medians of " << toProposal.size() << " runs; goals: under 5 s to the proposal ("
        << (bench::percentile(toProposal, 0.5) < 5 ? "met" : "missed") << "), under 10 s to the resolution ("
        << (bench::percentile(toResolution, 0.5) < 10 ? "met" : "missed") << ")\n";
}

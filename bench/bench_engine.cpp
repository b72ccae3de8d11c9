// 10,000 active alerts against 200 runbooks: matching, and matching plus
// planning (fleet, blast radius, guardrails, decision) for every incident.
#include "bench/benchmark.h"
#include "engine/core/virtualclock.h"
#include "engine/pipeline/decision.h"
#include "engine/pipeline/engine.h"
#include "engine/pipeline/guardrails.h"
#include "engine/pipeline/planner.h"
#include "engine/pipeline/runbookindex.h"
#include "engine/store/memorystore.h"

#include <QElapsedTimer>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

// Minimal port stand-ins for the benchmark: a fleet of 10 pods per service, and alerts pushed by hand.
class BenchExecutor : public ActionExecutor
{
public:
    explicit BenchExecutor(VirtualClock &clock)
        : m_clock(clock)
    {
    }
    QString family() const override { return u"workload"_s; }
    QStringList actions() const override { return { u"restart_pods"_s }; }
    void fleet(const TargetQuery &q, std::function<void(const Fleet &)> done) override
    {
        // Built once per service: the benchmark measures the engine, not this stand-in.
        auto it = m_fleets.find(q.service);
        if (it == m_fleets.end()) {
            Fleet f;
            f.ok = true;
            f.dimension = u"pods"_s;
            f.scope = q.service;
            for (int i = 0; i < 10; ++i) {
                Target t;
                t.name = q.service + u'-' + QString::number(i);
                t.healthy = i % 3 != 0;
                f.members << t;
            }
            it = m_fleets.insert(q.service, f);
        }
        Fleet f = *it;
        f.observedAt = m_clock.now();
        m_clock.callAfter(Duration { 0 }, [done, f] { done(f); });
    }
    void execute(const ActionRequest &, std::function<void(const ActionResult &)>) override { }

private:
    VirtualClock &m_clock;
    QHash<QString, Fleet> m_fleets;
};

class BenchAlerts : public AlertSource
{
public:
    QString name() const override { return u"bench"_s; }
    void start() override { }
    void stop() override { }
    void push(const QList<AlertChange> &changes) { Q_EMIT alertsChanged(changes); }
};

QList<Runbook> runbooks(int n)
{
    QList<Runbook> out;
    for (int i = 0; i < n; ++i) {
        Runbook rb;
        rb.name = u"rb-%1"_s.arg(i);
        rb.level = 2;
        rb.trigger.confidence = Confidence::High;
        rb.trigger.expressions << *TriggerExpression::parse(u"Alert%1{severity=~\"critical|page\"}"_s.arg(i), nullptr);
        Step s;
        s.name = u"restart"_s;
        s.action = u"restart_pods"_s;
        s.blastRadius = BlastRadiusSpec { u"pods"_s, *Cap::parse(u"15%"), 0, {} };
        rb.steps << s;
        out << rb;
    }
    return out;
}

QList<AlertChange> alerts(int n, int names, TimePoint now)
{
    QList<AlertChange> out;
    for (int i = 0; i < n; ++i) {
        Alert a;
        a.name = u"Alert%1"_s.arg(i % names);
        a.fingerprint = u"fp-%1"_s.arg(i);
        a.labels = { { u"alertname"_s, a.name }, { u"service"_s, u"svc-%1"_s.arg(i / names) },
            { u"severity"_s, u"critical"_s } };
        a.startsAt = now;
        a.observedAt = now;
        out << AlertChange { AlertChange::Kind::Firing, a };
    }
    return out;
}

} // namespace

ANTIBODY_BENCHMARK(engine_match_and_plan)
{
    VirtualClock clock;
    BenchExecutor executor(clock);
    const QList<Runbook> books = runbooks(200);
    const int n = bench::scaled(10'000);
    const auto batch = alerts(n, 200, clock.now());
    RunbookIndex index;
    index.rebuild(books);

    QElapsedTimer t;
    t.start();
    QList<std::pair<const Runbook *, const Alert *>> matched;
    for (const AlertChange &c : batch) {
        if (const Runbook *rb = index.match(c.alert))
            matched << std::pair { rb, &c.alert };
    }
    const double matchMs = double(t.nsecsElapsed()) / 1e6;

    int planned = 0;
    for (const auto &[rb, alert] : matched) {
        Planner::Input in;
        in.runbook = *rb;
        in.incident.id = alert->fingerprint;
        in.incident.service = alert->service();
        in.incident.labels = alert->labels;
        in.clock = &clock;
        in.executorFor = [&executor](const QString &) { return &executor; };
        Planner::make(std::move(in), [&planned, rb, &clock](const Planner::Result &r) {
            Incident inc;
            GuardrailInput g;
            g.runbook = rb;
            g.incident = &inc;
            g.plan = &r.plan;
            g.now = clock.now();
            const auto checks = Guardrails::evaluate(g);
            planned += decide(*rb, rb->level, r.plan, checks).mode == Mode::Approve;
        });
    }
    while (clock.runNext()) { }
    const double totalMs = double(t.nsecsElapsed()) / 1e6;
    bench::report(u"match_10000_alerts_200_runbooks"_s, matchMs, u"ms"_s);
    bench::report(u"match_and_plan_10000_alerts_200_runbooks"_s, totalMs, u"ms"_s);
    if (planned != n)
        bench::report(u"match_and_plan_missing"_s, n - planned, u"plans"_s);
}

// The whole engine: incidents, events, audit trail (in memory), proposals.
ANTIBODY_BENCHMARK(engine_intake)
{
    VirtualClock clock;
    MemoryStore store;
    BenchExecutor executor(clock);
    BenchAlerts source;
    Engine::Ports ports;
    ports.clock = &clock;
    ports.store = &store;
    ports.alertSources = { &source };
    ports.executors = { &executor };
    Engine engine(ports, {});
    engine.setRunbooks(runbooks(200));
    engine.start();
    int proposed = 0;
    QObject::connect(&engine, &Engine::event, &engine,
        [&proposed](const EngineEvent &e) { proposed += e.kind == EngineEvent::Kind::Proposed; });
    const int n = qEnvironmentVariableIntValue("ANTIBODY_BENCH_ALERTS") > 0
        ? qEnvironmentVariableIntValue("ANTIBODY_BENCH_ALERTS")
        : bench::scaled(10'000);
    const auto batch = alerts(n, 200, clock.now());

    QElapsedTimer t;
    t.start();
    source.push(batch);
    while (proposed < n && clock.runNext()) { }
    const double ms = double(t.nsecsElapsed()) / 1e6;
    bench::report(u"intake_end_to_end_10000_incidents"_s, ms, u"ms"_s);
    bench::report(u"intake_per_incident"_s, ms * 1000.0 / std::max(1, proposed), u"us"_s);
    if (proposed != n)
        bench::report(u"intake_missing_proposals"_s, n - proposed, u"proposals"_s);

    // A second batch of the same alerts: de-duplication only.
    t.restart();
    source.push(batch);
    clock.advanceBy(Duration { 1 }); // the proposals re-plan every 15 s; run only what is due now
    bench::report(u"intake_10000_duplicate_alerts"_s, double(t.nsecsElapsed()) / 1e6, u"ms"_s);
}

#include "teamrig.h"

#include "pgharness.h"
#include "tests/engine/doubles/poolworld.h"

using namespace Qt::StringLiterals;

namespace antibody::pgtest {

namespace {

const QString poolAlert = u"DbConnectionPoolExhausted"_s;
const Labels poolLabels { { u"service"_s, u"orders-db"_s }, { u"severity"_s, u"critical"_s } };

} // namespace

TeamRig::TeamRig(QString database)
    : m_database(std::move(database))
    , m_start(VirtualClock().now())
    , m_now(m_start)
    , m_runbook(test::PoolWorld::runbook(3))
{
}

TeamRig::~TeamRig()
{
    // As each process ends: the engine, then the lease, then the store. What a killed or
    // paused one still tries to write on the way is refused by the epoch.
    for (auto &r : m_replicas)
        end(*r);
}

void TeamRig::end(TeamReplica &r)
{
    r.rig->engine.reset();
    r.lease.reset(); // paced by the rig's clock
    r.rig.reset();
    r.store.reset();
}

TeamReplica &TeamRig::join(const QString &name)
{
    auto replica = std::make_unique<TeamReplica>();
    TeamReplica &r = *replica;
    r.name = name;
    PostgresStore::Options options;
    options.dsn = dsn(m_database);
    options.holder = name;
    QString error;
    r.store = PostgresStore::open(options, &error);
    if (!r.store)
        qFatal("%s", qPrintable(error));
    r.store->setFailureHandler([this, &r](const QString &m) {
        r.failures << m;
        // antibody-server stops when its store refuses a write of the engine it runs.
        if (r.engineStarted)
            exit(r, u"the store refused a write: "_s + m);
    });
    Engine::Settings settings;
    settings.identity = name;
    r.rig = std::make_unique<test::EngineRig>(settings, r.store.get());
    r.rig->clock.advanceTo(localTime(r));
    for (const QString &metric : { u"db_connection_pool_utilization"_s, u"db_pool_utilization"_s })
        r.rig->metrics.setFunction(metric, u"orders-db"_s, [this](TimePoint) { return utilization(); });
    r.rig->database.onExecute([this, &r](const ActionRequest &request) { return act(r, request); });
    r.lease = std::make_unique<LeaderLease>(r.store->session(), r.rig->clock, LeaderLease::Settings::forServers());
    r.lease->setDatabaseTimeShift([this] { return m_now - m_start; });
    QObject::connect(r.lease.get(), &LeaderLease::acquired, r.lease.get(), [this, &r](qint64 e) { lead(r, e); });
    QObject::connect(r.lease.get(), &LeaderLease::lost, r.lease.get(), [this, &r](const QString &why) {
        if (r.engineStarted)
            exit(r, why); // antibody-server ends; systemd starts it again as a standby
    });
    m_replicas.push_back(std::move(replica));
    syncFleets();
    r.lease->start();
    return r;
}

void TeamRig::lead(TeamReplica &r, qint64 epoch)
{
    r.ledAt = m_now;
    r.epoch = epoch;
    r.engineStarted = true;
    // Recovery runs here: what an earlier epoch left unfinished is read back as interrupted.
    r.rig->start({ m_runbook });
    // Its first poll of Alertmanager: what fires now.
    if (m_alert)
        r.heardAlert = r.rig->alerts.fire(m_alert->name, poolLabels, m_alert->startsAt);
}

void TeamRig::exit(TeamReplica &r, const QString &why)
{
    if (r.dead)
        return;
    r.failures << u"exited: "_s + why;
    r.dead = true;
    r.frozen = true;
}

void TeamRig::kill(TeamReplica &r)
{
    r.dead = true;
    r.frozen = true;
}

void TeamRig::pause(TeamReplica &r)
{
    r.frozen = true;
}

void TeamRig::resume(TeamReplica &r, bool clockJumped)
{
    if (r.dead)
        return;
    if (!clockJumped)
        r.lag = m_now - r.rig->clock.now();
    r.frozen = false;
}

void TeamRig::terminate(TeamReplica &r)
{
    if (r.dead)
        return;
    r.dead = true;
    r.engineStarted = false;
    r.rig->engine->stop();
    r.lease->stop();
    r.frozen = true;
}

QHash<QString, QStringList> TeamRig::reap()
{
    QHash<QString, QStringList> out;
    const TeamReplica *now = leader();
    if (!now)
        return out;
    for (auto it = m_replicas.begin(); it != m_replicas.end();) {
        TeamReplica &r = **it;
        if (!r.dead || r.epoch.value_or(0) >= now->epoch.value_or(0)) {
            ++it;
            continue;
        }
        end(r);
        out.insert(r.name, r.failures);
        it = m_replicas.erase(it);
    }
    return out;
}

void TeamRig::advanceTo(TimePoint until)
{
    for (;;) {
        // The earliest timer of any running replica, in the world's time.
        std::optional<TimePoint> next;
        for (const auto &r : m_replicas) {
            if (r->frozen)
                continue;
            if (const auto due = r->rig->clock.nextDue()) {
                const TimePoint world = *due + r->lag;
                next = next ? std::min(*next, world) : world;
            }
        }
        if (!next || *next > until)
            break;
        m_now = std::max(m_now, *next);
        for (const auto &r : m_replicas) {
            if (!r->frozen)
                r->rig->clock.advanceTo(localTime(*r));
        }
    }
    m_now = until;
    for (const auto &r : m_replicas) {
        if (!r->frozen)
            r->rig->clock.advanceTo(localTime(*r));
    }
}

bool TeamRig::runUntil(const std::function<bool()> &done, Duration limit, Duration step)
{
    const TimePoint end = m_now + limit;
    while (!done()) {
        if (m_now >= end)
            return false;
        advanceTo(std::min(end, m_now + step));
    }
    return true;
}

TeamReplica *TeamRig::leader()
{
    for (const auto &r : m_replicas) {
        if (r->engineStarted && !r->frozen)
            return r.get();
    }
    return nullptr;
}

QList<TeamReplica *> TeamRig::replicas()
{
    QList<TeamReplica *> out;
    for (const auto &r : m_replicas)
        out << r.get();
    return out;
}

void TeamRig::exhaustPool(int idle, int active)
{
    m_pool.clear();
    for (int i = 0; i < active; ++i)
        m_pool << test::connection(++m_nextPid, u"active"_s, 5);
    for (int i = 0; i < idle; ++i)
        m_pool << test::connection(++m_nextPid, u"idle"_s, 400 + 30 * i);
    syncFleets();
}

void TeamRig::firePoolAlert()
{
    Alert a;
    a.name = poolAlert;
    a.startsAt = m_now;
    m_alert = a;
    if (TeamReplica *r = leader())
        r->heardAlert = r->rig->alerts.fire(poolAlert, poolLabels, a.startsAt);
}

void TeamRig::resolvePoolAlert()
{
    m_alert.reset();
    for (const auto &r : m_replicas) {
        if (!r->dead && !r->heardAlert.isEmpty())
            r->rig->alerts.resolve(std::exchange(r->heardAlert, {}));
    }
}

void TeamRig::syncFleets()
{
    for (const auto &r : m_replicas)
        r->rig->database.setFleet(u"connections"_s, u"orders-db"_s, m_pool);
}

ActionResult TeamRig::act(TeamReplica &r, const ActionRequest &request)
{
    ActionResult out;
    if (r.dieBeforeActing && r.dieBeforeActing(request)) {
        kill(r);
        return out; // never answered: its clock has stopped
    }
    PoolCall call { r.name, request.executionId, request.step, request.pass, request.targets, {},
        static_cast<int>(m_pool.size()) };
    for (const QString &t : request.targets) {
        if (m_pool.removeIf([&](const Target &m) { return m.name == t; }) > 0)
            call.affected << t;
    }
    m_calls << call;
    syncFleets();
    out.ok = true;
    out.affected = call.affected;
    out.facts.insert(u"terminated"_s, double(call.affected.size()));
    out.detail = u"terminated %1"_s.arg(call.affected.join(u", "_s));
    return out;
}

} // namespace antibody::pgtest

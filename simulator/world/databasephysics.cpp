#include "simulator/world/databasephysics.h"

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {
namespace {

// Applications that keep sessions open, how many, and how soon they reconnect when cut off.
struct Keeper
{
    QString application;
    QString user;
    int sessions;
    Duration reconnect;
    double activeShare; // how often a session is running a query
};

const QList<Keeper> &keepers()
{
    static const QList<Keeper> list {
        { u"checkout-svc"_s, u"checkout"_s, 6, 1s, 0.45 },
        { u"orders-worker"_s, u"orders_worker"_s, 2, 5s, 0.7 },
        { u"metabase"_s, u"reporting"_s, 1, 5min, 0.0 },
        { u"postgres_exporter"_s, u"postgres_exporter"_s, 1, 10s, 0.0 },
    };
    return list;
}

int sessionsOf(const Database &db, const QString &application)
{
    return static_cast<int>(std::count_if(db.sessions.cbegin(), db.sessions.cend(),
        [&](const DbSession &s) { return s.application == application && !s.leaked; }));
}

void open(Database &db, const Keeper &k, TimePoint since)
{
    db.sessions << DbSession { db.nextPid++, k.application, k.user, db.name, u"idle"_s, since, false };
}

void setState(DbSession &s, const QString &state, TimePoint now)
{
    if (s.state != state) {
        s.state = state;
        s.stateSince = now;
    }
}

void churn(Database &db, Random &random, TimePoint now)
{
    const bool exporterScrapes = (toMillis(now) / 1000) % 15 == 0;
    for (DbSession &s : db.sessions) {
        if (s.leaked)
            continue;
        if (s.application == u"postgres_exporter"_s) {
            setState(s, exporterScrapes ? u"active"_s : u"idle"_s, now);
            continue;
        }
        for (const Keeper &k : keepers()) {
            if (k.application == s.application && k.activeShare > 0 && random.chance(0.25))
                setState(s, random.chance(k.activeShare) ? u"active"_s : u"idle"_s, now);
        }
    }
}

void reconnect(Database &db, TimePoint now)
{
    for (const Keeper &k : keepers()) {
        if (sessionsOf(db, k.application) >= k.sessions) {
            db.reconnectAt.remove(k.application);
            continue;
        }
        if (!db.reconnectAt.contains(k.application)) {
            db.reconnectAt.insert(k.application, now + k.reconnect);
            continue;
        }
        if (now < db.reconnectAt.value(k.application))
            continue;
        while (sessionsOf(db, k.application) < k.sessions && db.inUse() < db.maxConnections)
            open(db, k, now);
        db.reconnectAt.remove(k.application);
    }
}

void leak(Database &db, TimePoint now)
{
    if (!db.leak || now < db.leak->nextAt)
        return;
    db.leak->nextAt += db.leak->interval;
    if (db.inUse() >= db.maxConnections)
        return; // "too many connections": the leaking code gets an error instead of a session
    openLeakedSession(db, db.leak->application, now);
}

void replicate(Database &db, Random &random, double dt)
{
    const bool primaryUp = db.primary() != nullptr && !db.promotingUntil;
    for (DbInstance &i : db.instances) {
        if (i.role != u"replica"_s || !primaryUp)
            continue; // without a primary no WAL arrives: what a replica misses stays as it was
        const double target = i.lagTarget > 0 ? i.lagTarget : 0.5;
        i.lagSeconds += (target - i.lagSeconds) * std::min(1.0, 0.08 * dt) + random.normal(0, 0.04);
        i.lagSeconds = std::max(0.05, i.lagSeconds);
    }
}

} // namespace

DatabaseImpact databaseImpact(const Database &db)
{
    DatabaseImpact impact;
    if (!db.primary() || db.promotingUntil) {
        impact.errorRate = 0.9; // every write fails; a few reads still hit the replicas
        impact.addedLatency = 0.5;
        return impact;
    }
    if (db.inUse() >= db.maxConnections) {
        impact.errorRate = 0.2; // "sorry, too many clients already" whenever the pooler needs a session
        impact.addedLatency = 0.3;
    }
    if (db.corrupted)
        impact.errorRate += 0.03; // orders touching the damaged pages fail their integrity checks
    return impact;
}

void openBaselineSessions(Database &db, TimePoint now, Duration reportingIdle)
{
    for (const Keeper &k : keepers()) {
        for (int i = 0; i < k.sessions; ++i)
            open(db, k, k.application == u"metabase"_s ? now - reportingIdle : now - Duration { 700 * (i + 1) });
    }
}

void stepDatabase(Database &db, Random &random, TimePoint now, Duration dt)
{
    if (!db.primary()) {
        db.sessions.clear(); // the primary is gone, and every session with it
        replicate(db, random, toSeconds(dt));
        return;
    }
    churn(db, random, now);
    reconnect(db, now);
    leak(db, now);
    replicate(db, random, toSeconds(dt));
    if (db.corrupted && random.chance(toSeconds(dt) / 20.0))
        ++db.checksumFailures;
}

void openLeakedSession(Database &db, const QString &application, TimePoint since)
{
    QString user = application;
    for (const Keeper &k : keepers()) {
        if (k.application == application)
            user = k.user;
    }
    db.sessions << DbSession { db.nextPid++, application, user, db.name, u"idle"_s, since, true };
}

bool terminateSession(Database &db, int pid)
{
    const auto removed
        = std::remove_if(db.sessions.begin(), db.sessions.end(), [&](const DbSession &s) { return s.pid == pid; });
    const bool found = removed != db.sessions.end();
    db.sessions.erase(removed, db.sessions.end());
    return found;
}

bool exporterConnected(const Database &db)
{
    return db.primary() && std::any_of(db.sessions.cbegin(), db.sessions.cend(), [](const DbSession &s) {
        return s.application == u"postgres_exporter"_s;
    });
}

} // namespace antibody::sim

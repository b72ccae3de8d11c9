#include "simulator/ports/databaseexecutor.h"

#include "simulator/ports/percent.h"
#include "simulator/ports/targets.h"
#include "simulator/world/databasephysics.h"
#include "simulator/world/world.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {
namespace {

constexpr Duration promotionTime = 12s; // promote, repoint the pooler, let clients reconnect

} // namespace

DatabaseExecutor::DatabaseExecutor(World &world)
    : SimulatedExecutor(world, u"database"_s)
{
}

void DatabaseExecutor::run(const ActionRequest &request, Done done)
{
    if (request.service != world().fleet().database.service) {
        finishAfter(0s, std::move(done),
            failed(u"%1 is not a database in the simulated fleet (the database is %2)"_s.arg(
                request.service, world().fleet().database.service)));
        return;
    }
    if (request.action == u"terminate_connections"_s)
        terminate(request, std::move(done));
    else
        failover(request, std::move(done));
}

void DatabaseExecutor::terminate(const ActionRequest &request, Done done)
{
    Database &db = world().fleet().database;
    const QString state = request.params.value(u"state"_s, u"idle"_s).toString();
    const Duration olderThan = durationParam(request.params, u"older_than"_s, 300s);
    const QString database = request.params.value(u"database"_s).toString();
    QStringList excluded = listParam(request.params, u"exclude_applications"_s);
    excluded << u"antibody"_s; // never our own session
    QStringList killed;
    QStringList spared;
    for (const QString &target : request.targets) {
        const int pid = pidFromTarget(target);
        const auto it
            = std::find_if(db.sessions.cbegin(), db.sessions.cend(), [&](const DbSession &s) { return s.pid == pid; });
        if (it == db.sessions.cend()) {
            spared << u"%1 already gone"_s.arg(target);
            continue;
        }
        // The world may have moved since the plan: check again, as a WHERE clause on pg_stat_activity would.
        const Duration inState = now() - it->stateSince;
        if (excluded.contains(it->application))
            spared << u"%1 (%2) is excluded"_s.arg(target, it->application);
        else if (it->state != state)
            spared << u"%1 is %2 now, not %3"_s.arg(target, it->state, state);
        else if (inState <= olderThan)
            spared << u"%1 %2 for only %3"_s.arg(
                target, state, formatDuration(std::chrono::duration_cast<std::chrono::seconds>(inState)));
        else if (!database.isEmpty() && it->database != database)
            spared << u"%1 is on database %2"_s.arg(target, it->database);
        else {
            killed << u"%1 (%2, %3 %4)"_s.arg(target, it->application, state,
                formatDuration(std::chrono::duration_cast<std::chrono::minutes>(inState)));
            terminateSession(db, pid);
        }
    }
    ActionResult r;
    r.ok = !killed.isEmpty() || request.targets.isEmpty();
    r.facts = { { u"terminated"_s, killed.size() } };
    for (const QString &k : killed)
        r.affected << k.section(u" ("_s, 0, 0);
    r.detail = u"terminated %1 connection%2%3; pool now %4 of %5 (%6)"_s.arg(killed.size())
                   .arg(killed.size() == 1 ? QString() : u"s"_s)
                   .arg(killed.isEmpty() ? QString() : u": "_s + killed.join(u", "_s))
                   .arg(db.inUse())
                   .arg(db.maxConnections)
                   .arg(percent(db.utilization()));
    if (!spared.isEmpty())
        r.detail += u"; left alone: "_s + spared.join(u", "_s);
    if (!r.ok)
        r.error = u"no connection terminated: "_s + spared.join(u", "_s);
    finishAfter(Duration { 100 * std::max<qsizetype>(1, killed.size()) }, std::move(done), r);
}

void DatabaseExecutor::failover(const ActionRequest &request, Done done)
{
    Database &db = world().fleet().database;
    const Duration bound = durationParam(request.params, u"max_replication_lag"_s, 5s);
    QString wanted = request.params.value(u"promote"_s).toString();
    for (const QString &t : request.targets) {
        if (wanted.isEmpty() && t != u"orders-db-primary"_s)
            wanted = t;
    }
    const DbInstance *candidate = nullptr;
    for (const DbInstance &i : db.instances) {
        if (i.role != u"replica"_s)
            continue;
        if (wanted.isEmpty() ? (!candidate || i.lagSeconds < candidate->lagSeconds) : i.name == wanted)
            candidate = &i;
    }
    if (!candidate) {
        finishAfter(0s, std::move(done),
            failed(wanted.isEmpty() ? u"%1 has no replica to promote"_s.arg(db.service)
                                    : u"%1 is not a replica of %2"_s.arg(wanted, db.service)));
        return;
    }
    if (db.promotingUntil) {
        finishAfter(0s, std::move(done), refused(u"a failover of %1 is already in progress"_s.arg(db.service)));
        return;
    }
    if (candidate->lagSeconds > toSeconds(bound)) {
        finishAfter(0s, std::move(done),
            refused(
                u"%1 is %2 s behind the primary (the bound is %3): promoting it now would lose the writes it has not "
                u"replayed; wait for it to catch up, or promote it by hand accepting the loss"_s.arg(candidate->name)
                    .arg(candidate->lagSeconds, 0, 'f', 1)
                    .arg(formatDuration(bound))));
        return;
    }
    const QString promoted = candidate->name;
    const double lag = candidate->lagSeconds;
    db.promotingUntil = now() + promotionTime;
    ActionResult r;
    r.ok = true;
    r.affected = { promoted };
    r.facts = { { u"primary"_s, promoted } };
    QString old;
    for (DbInstance &i : db.instances) {
        if (i.role == u"primary"_s) {
            i.role = u"replica"_s; // a planned switchover: the old primary follows the new one
            old = u"; %1 now follows it as a replica"_s.arg(i.name);
        } else if (i.role == u"down"_s) {
            old = u"; %1 stays down, out of rotation"_s.arg(i.name);
        }
    }
    r.detail = u"promoted %1 (%2 s behind) to primary in %3%4"_s.arg(promoted)
                   .arg(lag, 0, 'f', 1)
                   .arg(formatDuration(promotionTime), old);
    // The promotion takes effect when it completes: until then writes keep failing.
    later(promotionTime, [&db, promoted] {
        db.promotingUntil.reset();
        for (DbInstance &i : db.instances) {
            if (i.name == promoted) {
                i.role = u"primary"_s;
                i.lagSeconds = 0;
                i.lagTarget = 0;
            }
        }
    });
    finishAfter(promotionTime + 1ms, std::move(done), r);
}

} // namespace antibody::sim

#include "simulator/ports/targets.h"

#include "simulator/world/podlifecycle.h"

using namespace Qt::StringLiterals;

namespace antibody::sim {
namespace {

const QStringList &dimensions()
{
    static const QStringList list { u"pods"_s, u"replicas"_s, u"connections"_s, u"certificates"_s, u"databases"_s,
        u"regions"_s, u"hosts"_s };
    return list;
}

QStringList serviceNames(const FleetState &fleet)
{
    QStringList names;
    for (const Service &s : fleet.services)
        names << s.name;
    return names;
}

void pods(const FleetState &fleet, const Service &svc, const TargetQuery &query, TimePoint now, Fleet &out)
{
    // A rollback's fleet is the pods still to roll back, as a rollout controller lists the
    // new ReplicaSet's pods: the planner then never picks one that is already back.
    const QString rollbackTo = query.action == u"rollback_deployment"_s
        ? svc.rollbackTarget(query.params.value(u"to_revision"_s).toString())
        : QString();
    for (const Pod *p : fleet.podsOf(svc.name)) {
        if (!rollbackTo.isEmpty() && p->version == rollbackTo && p->nextVersion.isEmpty())
            continue;
        Target t;
        t.name = p->name;
        t.labels = { { u"service"_s, p->service }, { u"zone"_s, p->zone }, { u"region"_s, p->region },
            { u"version"_s, p->version }, { u"host"_s, p->host }, { u"workload"_s, u"stateless"_s } };
        t.state = p->inCrashLoop() ? podPhaseText(PodPhase::CrashLoop) : podPhaseText(p->phase);
        t.metrics = { { u"cpu"_s, p->figures.observedCpu }, { u"restarts_recent"_s, restartsRecent(*p, now) },
            { u"pool_utilization"_s, p->figures.poolUtilization },
            { u"age_seconds"_s, toSeconds(now - p->startedAt) } };
        t.healthy = p->healthy();
        out.members << t;
    }
    // The service as the whole object scale and rollback change: what the plan fixes.
    WorkloadState w;
    w.name = svc.name;
    w.replicas = 0;
    for (const Pod *p : fleet.podsOf(svc.name))
        *w.replicas += p->vanishOnTermination ? 0 : 1; // scaled in: on its way out, no longer a replica
    w.revision.number = svc.rolloutTo.isEmpty() ? svc.currentVersion : svc.rolloutTo;
    if (query.action == u"rollback_deployment"_s) {
        if (svc.versions.contains(rollbackTo))
            w.rollbackTo.number = rollbackTo;
        else
            w.noRollback
                = u"%1 has no revision '%2' (it has %3)"_s.arg(svc.name, rollbackTo, svc.versions.keys().join(u", "_s));
    }
    out.workload = w;
}

void connections(const Database &db, TimePoint now, Fleet &out)
{
    for (const DbSession &s : db.sessions) {
        Target t;
        t.name = u"pid %1"_s.arg(s.pid);
        t.labels = { { u"application"_s, s.application }, { u"user"_s, s.user }, { u"database"_s, s.database } };
        t.state = s.state;
        t.metrics = { { u"state_seconds"_s, toSeconds(now - s.stateSince) } };
        out.members << t;
    }
}

void databases(const Database &db, Fleet &out)
{
    for (const DbInstance &i : db.instances) {
        Target t;
        t.name = i.name;
        t.labels
            = { { u"service"_s, db.service }, { u"role"_s, i.role }, { u"zone"_s, i.zone }, { u"region"_s, i.region } };
        t.state = i.role;
        t.metrics = { { u"lag_seconds"_s, i.role == u"replica"_s ? i.lagSeconds : 0.0 } };
        t.healthy = i.role != u"down"_s;
        out.members << t;
    }
}

void certificates(const FleetState &fleet, const QString &service, TimePoint now, Fleet &out)
{
    for (const Certificate &c : fleet.certificates) {
        if (!service.isEmpty() && c.service != service)
            continue;
        const double left = toSeconds(c.notAfter - now);
        Target t;
        t.name = c.name;
        t.labels = { { u"service"_s, c.service }, { u"issuer"_s, c.issuer } };
        t.state = left <= 0 ? u"expired"_s : left < 14 * 86400.0 ? u"expiring"_s : u"valid"_s;
        t.metrics = { { u"expires_in_seconds"_s, left } };
        t.healthy = left > 0;
        out.members << t;
    }
}

void regions(const FleetState &fleet, const Service *svc, Fleet &out)
{
    double total = 0;
    for (const Region &r : fleet.regions)
        total += r.weight;
    for (const Region &r : fleet.regions) {
        Target t;
        t.name = r.name;
        t.labels = { { u"service"_s, svc ? svc->name : QString() } };
        t.state = r.state;
        t.metrics = { { u"error_rate"_s, svc ? svc->observed.regionErrorRate.value(r.name) : 0.0 },
            { u"traffic_share"_s, total > 0 ? r.weight / total : 0.0 } };
        t.healthy = r.state != u"degraded"_s;
        out.members << t;
    }
}

void hosts(const FleetState &fleet, const QString &service, Fleet &out)
{
    for (const Host &h : fleet.hosts) {
        QStringList running;
        for (const Pod &p : fleet.pods) {
            if (p.host == h.name && !running.contains(p.service))
                running << p.service;
        }
        if (!service.isEmpty() && !running.contains(service))
            continue;
        Target t;
        t.name = h.name;
        t.labels = { { u"service"_s, service.isEmpty() ? running.join(u',') : service }, { u"zone"_s, h.zone },
            { u"region"_s, h.region } };
        t.state = h.state;
        t.healthy = h.state == u"running"_s;
        out.members << t;
    }
}

} // namespace

Fleet describeFleet(const FleetState &fleet, const TargetQuery &query, TimePoint now)
{
    Fleet out;
    out.dimension = query.dimension;
    out.scope = query.service;
    out.observedAt = now;
    const Service *svc = query.service.isEmpty() ? nullptr : fleet.service(query.service);
    if (!query.service.isEmpty() && !svc) {
        out.error = u"the simulated fleet has no service '%1' (it has %2)"_s.arg(
            query.service, serviceNames(fleet).join(u", "_s));
        return out;
    }
    if (!dimensions().contains(query.dimension)) {
        out.error = u"the simulated fleet has no target dimension '%1' (it has %2)"_s.arg(
            query.dimension, dimensions().join(u", "_s));
        return out;
    }
    const bool database = svc && svc->kind == Service::Kind::Database;
    const bool needsApp = query.dimension == u"pods"_s || query.dimension == u"replicas"_s;
    const bool needsDatabase = query.dimension == u"connections"_s || query.dimension == u"databases"_s;
    if ((needsApp || needsDatabase) && !svc) {
        out.error = u"%1 belong to a service: name one with `targets: { service: ... }`"_s.arg(query.dimension);
        return out;
    }
    if (needsApp && database) {
        out.error = u"%1 is a database: it has no %2 (its dimensions are connections and databases)"_s.arg(
            svc->name, query.dimension);
        return out;
    }
    if (needsDatabase && !database) {
        out.error = u"%1 has no %2 of its own: the database is %3 (name it with `targets: { service: %3 }`)"_s.arg(
            svc->name, query.dimension, fleet.database.service);
        return out;
    }
    if (needsApp)
        pods(fleet, *svc, query, now, out);
    else if (query.dimension == u"connections"_s)
        connections(fleet.database, now, out);
    else if (query.dimension == u"databases"_s)
        databases(fleet.database, out);
    else if (query.dimension == u"certificates"_s)
        certificates(fleet, query.service, now, out);
    else if (query.dimension == u"regions"_s)
        regions(fleet, svc, out);
    else
        hosts(fleet, query.service, out);
    out.ok = true;
    return out;
}

int pidFromTarget(const QString &name)
{
    if (!name.startsWith(u"pid "_s))
        return 0;
    bool ok = false;
    const int pid = name.mid(4).toInt(&ok);
    return ok ? pid : 0;
}

} // namespace antibody::sim

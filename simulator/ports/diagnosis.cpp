#include "simulator/ports/diagnosis.h"

#include "simulator/ports/percent.h"
#include "simulator/world/databasephysics.h"
#include "simulator/world/podlifecycle.h"
#include "simulator/world/servicephysics.h"

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {
namespace {

struct Evidence
{
    QStringList checks;
    QVariantMap facts;
    QStringList findings;
    QString cause;

    bool wants(const QString &check) const { return checks.isEmpty() || checks.contains(check); }
    // The first cause found wins: the checks run from the most to the least specific.
    void suspect(const QString &c)
    {
        if (cause.isEmpty())
            cause = c;
    }
};

void databasePool(const Database &db, TimePoint now, Evidence &e)
{
    int idle = 0;
    int longRunning = 0;
    QMap<QString, int> oldIdleByApp;
    for (const DbSession &s : db.sessions) {
        if (s.state != u"active"_s) {
            ++idle;
            if (now - s.stateSince > 300s)
                ++oldIdleByApp[s.application];
        } else if (now - s.stateSince > 30s) {
            ++longRunning;
        }
    }
    const int inUse = db.inUse();
    const double idleRatio = inUse > 0 ? double(idle) / inUse : 0.0;
    e.facts.insert(u"pool_utilization"_s, db.utilization());
    e.facts.insert(u"idle_connections"_s, idle);
    e.facts.insert(u"idle_ratio"_s, idleRatio);
    QString worstApp;
    for (auto it = oldIdleByApp.cbegin(); it != oldIdleByApp.cend(); ++it) {
        if (worstApp.isEmpty() || it.value() > oldIdleByApp.value(worstApp))
            worstApp = it.key();
    }
    QString finding = u"pool: %1 %2 of %3 connections in use (%4), %5 idle"_s.arg(db.service)
                          .arg(inUse)
                          .arg(db.maxConnections)
                          .arg(percent(db.utilization()))
                          .arg(idle);
    if (!worstApp.isEmpty())
        finding += u", %1 of them from %2 idle for over 5 minutes"_s.arg(oldIdleByApp.value(worstApp)).arg(worstApp);
    e.findings << finding;
    if (e.wants(u"slow_queries"_s)) {
        e.facts.insert(u"long_running_queries"_s, longRunning);
        e.findings << u"slow queries: %1 running longer than 30 s"_s.arg(longRunning);
        if (longRunning > 3)
            e.suspect(u"slow_queries"_s);
    }
    if (db.utilization() > 0.85 && idleRatio > 0.5 && oldIdleByApp.value(worstApp) >= 3)
        e.suspect(u"leak"_s);
}

void appPool(const FleetState &fleet, const Service &svc, Evidence &e)
{
    double worst = 0;
    int free = 0;
    int used = 0;
    QStringList saturated;
    for (const Pod *p : fleet.podsOf(svc.name)) {
        if (!p->ready())
            continue;
        worst = std::max(worst, p->figures.poolUtilization);
        const int inUse = static_cast<int>(std::lround(p->figures.poolUtilization * svc.poolSlots));
        used += inUse;
        free += svc.poolSlots - inUse;
        if (p->figures.poolUtilization >= 0.95)
            saturated << u"%1 %2"_s.arg(p->name, percent(p->figures.poolUtilization));
    }
    e.facts.insert(u"pool_utilization"_s, worst);
    e.facts.insert(u"idle_connections"_s, free);
    e.facts.insert(u"idle_ratio"_s, used > 0 ? double(free) / used : 0.0);
    e.findings << (saturated.isEmpty()
            ? u"pool: %1's connection pools have room (fullest %2)"_s.arg(svc.name, percent(worst))
            : u"pool: %1 of %2 %3 pods have saturated connection pools (%4)"_s.arg(saturated.size())
                  .arg(fleet.podsOf(svc.name).size())
                  .arg(svc.name, saturated.join(u", "_s)));
    if (!saturated.isEmpty())
        e.suspect(u"pool_saturation"_s);
}

void pods(const FleetState &fleet, const Service &svc, TimePoint now, Evidence &e)
{
    int unhealthy = 0;
    int restarts = 0;
    QStringList looping;
    for (const Pod *p : fleet.podsOf(svc.name)) {
        unhealthy += p->healthy() ? 0 : 1;
        restarts += restartsRecent(*p, now);
        if (p->inCrashLoop())
            looping
                << u"%1 (%2 restarts; last exit: %3)"_s.arg(p->name).arg(restartsRecent(*p, now)).arg(p->crashReason);
    }
    e.facts.insert(u"unhealthy_targets"_s, unhealthy);
    e.facts.insert(u"restarts_recent"_s, restarts);
    if (!looping.isEmpty()) {
        e.findings << u"pods: crash-looping: "_s + looping.join(u", "_s);
        e.suspect(u"crash_loop"_s);
    } else {
        e.findings << u"pods: %1 unhealthy, %2 restarts in 10 minutes"_s.arg(unhealthy).arg(restarts);
    }
}

void deploys(const Service &svc, TimePoint now, Evidence &e)
{
    const bool rolling = !svc.rolloutTo.isEmpty();
    const bool recent = rolling || (svc.lastDeployFinished && now - *svc.lastDeployFinished <= 30min);
    e.facts.insert(u"recent_deploy"_s, recent);
    if (!recent) {
        e.findings << u"deploys: none in the last 30 minutes (%1 serves %2)"_s.arg(svc.name, svc.currentVersion);
        return;
    }
    e.findings << (rolling
            ? u"deploys: %1 is rolling out %2 (was %3)"_s.arg(svc.name, svc.rolloutTo, svc.currentVersion)
            : u"deploys: %1 deployed %2 (was %3) %4 ago"_s.arg(svc.name, svc.currentVersion, svc.previousVersion,
                formatDuration(std::chrono::duration_cast<std::chrono::minutes>(now - *svc.lastDeployFinished))));
    if (svc.observed.errorRate > 0.02 || svc.observed.http5xxRate > 0.02)
        e.suspect(u"bad_deploy"_s);
}

void traffic(const Service &svc, TimePoint now, Evidence &e)
{
    const double usual = svc.peakRps * dailyShape(now);
    const double ratio = usual > 0 ? svc.observed.rps / usual : 1.0;
    e.facts.insert(u"traffic_ratio"_s, ratio);
    e.findings
        << u"traffic: %1 req/s, %2x the usual for this hour"_s.arg(svc.observed.rps, 0, 'f', 0).arg(ratio, 0, 'f', 2);
    if (ratio > 1.4)
        e.suspect(u"traffic_spike"_s);
}

void downstream(const FleetState &fleet, const Service &svc, Evidence &e)
{
    QStringList lines;
    for (const Dependency &d : svc.dependencies) {
        const Service *callee = fleet.service(d.service);
        if (!callee)
            continue;
        if (callee->kind == Service::Kind::Database) {
            const DatabaseImpact impact = databaseImpact(fleet.database);
            lines << u"%1 fails %2 of calls"_s.arg(d.service, percent(impact.errorRate));
        } else {
            lines << u"%1 p99 %2 s, %3 errors"_s.arg(d.service)
                         .arg(callee->observed.p99, 0, 'f', 2)
                         .arg(percent(callee->observed.errorRate));
        }
    }
    if (!lines.isEmpty())
        e.findings << u"downstream: "_s + lines.join(u", "_s);
}

void memory(const FleetState &fleet, const Service &svc, Evidence &e)
{
    double hottest = 0;
    for (const Pod *p : fleet.podsOf(svc.name))
        hottest = std::max(hottest, p->figures.observedCpu);
    e.findings << u"memory and CPU: average CPU %1, hottest pod %2, no GC pressure beyond what the load explains"_s.arg(
        percent(svc.observed.cpu), percent(hottest));
    if (svc.observed.cpu > 0.85)
        e.suspect(u"resource_pressure"_s);
}

} // namespace

QString Diagnosis::summary() const
{
    return u"cause %1: %2"_s.arg(facts.value(u"cause"_s).toString(), findings.join(u"; "_s));
}

Diagnosis diagnose(const FleetState &fleet, const QString &service, const QStringList &checks, TimePoint now)
{
    Evidence e;
    e.checks = checks;
    const Service *svc = fleet.service(service);
    const Database &db = fleet.database;
    double worstLag = 0;
    for (const DbInstance &i : db.instances) {
        if (i.role == u"replica"_s)
            worstLag = std::max(worstLag, i.lagSeconds);
    }
    e.facts.insert(u"replication_lag_seconds"_s, worstLag);
    if (svc && svc->kind == Service::Kind::App) {
        pods(fleet, *svc, now, e);
        if (e.wants(u"deploys"_s))
            deploys(*svc, now, e);
        if (e.wants(u"pool"_s))
            appPool(fleet, *svc, e);
        if (e.wants(u"traffic"_s))
            traffic(*svc, now, e);
        if (e.wants(u"downstream"_s))
            downstream(fleet, *svc, e);
        if (e.wants(u"memory"_s))
            memory(fleet, *svc, e);
    } else if (svc) {
        int down = 0;
        for (const DbInstance &i : db.instances)
            down += i.role == u"down"_s ? 1 : 0;
        e.facts.insert(u"unhealthy_targets"_s, down);
        e.findings << u"replication: worst replica %1 s behind; %2 of %3 instances down"_s.arg(worstLag, 0, 'f', 1)
                          .arg(down)
                          .arg(db.instances.size());
        if (e.wants(u"pool"_s) && exporterConnected(db))
            databasePool(db, now, e);
    }
    if (db.corrupted && svc && svc->name == db.service)
        e.findings << u"integrity: %1 page checksum failures (%2)"_s.arg(db.checksumFailures).arg(db.corruptionDetail);
    for (const Host &h : fleet.hosts) {
        if (h.compromised)
            e.findings << u"security: %1 intrusion signals on %2 (%3)"_s.arg(h.intrusionSignals)
                              .arg(h.name, h.intrusionDetail);
    }
    e.facts.insert(u"cause"_s, e.cause.isEmpty() ? u"unknown"_s : e.cause);
    return Diagnosis { e.facts, e.findings };
}

} // namespace antibody::sim

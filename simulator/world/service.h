#pragma once

#include "engine/core/time.h"
#include "simulator/world/latencymix.h"

#include <QList>
#include <QMap>
#include <QString>
#include <optional>

namespace antibody::sim {

// A release of a service: the bad deploy is a version with a worse profile.
struct Version
{
    QString name;
    double errorRate = 0; // server errors it adds (a fraction of requests)
    double addedLatency = 0; // seconds it adds to every request
    double orderFactor = 1.0; // checkouts that end in an order, relative to normal (wrong answers with 200)
};

struct Dependency
{
    QString service;
    double share = 1.0; // fraction of this service's requests that call it
};

struct ServiceFigures
{
    double rps = 0;
    double cpu = 0;
    double queue = 0;
    double p99 = 0;
    double errorRate = 0;
    double http5xxRate = 0;
    double ordersPerMinute = 0;
    int replicas = 0;
    int ready = 0;
    QMap<QString, double> regionErrorRate;
    LatencyMix latency; // what a caller waits for, dependencies included
};

// A service as its Deployment describes it (capacity, replicas, versions, what it
// calls), the faults acting on it, and its figures this tick (servicephysics).
struct Service
{
    enum class Kind { App, Database };

    QString name;
    Kind kind = Kind::App;
    double peakRps = 0; // offered load at the daily peak, before faults
    double podRps = 100; // what one warm pod serves at 100% CPU
    double serviceSeconds = 0.1;
    double timeoutSeconds = 4.0;
    int poolSlots = 8; // the pods' client connection pool (to their dependencies)
    double poolHoldSeconds = 0.05;
    int minReplicas = 2;
    int maxReplicas = 20;
    int pdbMinAvailable = 1; // PodDisruptionBudget: restarts never leave fewer ready pods
    double ordersPerRequest = 0; // checkout-svc: the business metric
    QList<Dependency> dependencies;
    QMap<QString, Version> versions;
    QString currentVersion;
    QString previousVersion;
    std::optional<TimePoint> lastDeployFinished;
    QString rolloutTo; // a rollout in progress replaces pods one at a time with this version
    int nextPodNumber = 1;

    // Faults.
    double trafficMultiplier = 1.0; // a spike: target
    double trafficLevel = 1.0; // a spike: where the ramp is now
    Duration trafficRamp { 60'000 };
    double extraErrorRate = 0; // an unknown cascade
    double extraLatency = 0;
    double trafficNoise = 0; // AR(1) state, a fraction of the load

    // The revision a rollback to `asked` returns to: "previous" is the stable version
    // while a rollout is in progress, the one before the current after it.
    QString rollbackTarget(const QString &asked) const;

    ServiceFigures figures; // this tick, as the requests experience it
    ServiceFigures observed; // as monitoring reports it: averaged over the last half minute
    bool observedYet = false;
};

} // namespace antibody::sim

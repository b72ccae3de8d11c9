#pragma once

#include "engine/core/time.h"
#include "simulator/world/latencymix.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

// The simulated fleet's state: plain data that the physics (servicephysics,
// podlifecycle, databasephysics), the faults and the actions read and change.
// Names and units follow docs/vocabulary.md.
namespace antibody::sim {

enum class PodPhase { Running, Starting, CrashLoop, Terminating };
QString podPhaseText(PodPhase phase); // running, starting, crashloop, terminating

// What one pod did during the last tick.
struct PodFigures
{
    double offered = 0; // requests/s routed to it
    double served = 0; // requests/s it answered (successfully or not)
    double timedOut = 0; // requests/s that waited past the timeout
    double cpu = 0; // fraction
    double observedCpu = 0; // as monitoring reports it: averaged over the last half minute
    double shift = 0; // latency every request pays: service time plus queueing, seconds
    double spread = 0; // mean of the exponential tail on top of `shift`, seconds
    double p99 = 0; // seconds
    double poolUtilization = 0;
};

struct Pod
{
    QString name; // checkout-svc-3
    QString service;
    QString zone;
    QString region;
    QString host;
    QString version;
    PodPhase phase = PodPhase::Running;
    TimePoint phaseSince;
    TimePoint phaseEnds; // Starting: cold start over; Terminating: gone; CrashLoop: next start
    TimePoint readySince; // warm-up runs from here
    TimePoint startedAt; // the process's start: a crash-looping pod dies `crashAfter` later
    int stuckSlots = 0; // client-pool slots held by hung requests (the pool-saturation fault)
    double queue = 0; // requests waiting
    QList<TimePoint> restarts; // starts after a crash or a restart, kept for 10 minutes
    std::optional<Duration> crashAfter; // the crash-loop fault: every start dies this long after it
    QString crashReason;
    Duration backoff { 0 }; // CrashLoopBackOff: 10 s, doubling to 5 min
    bool vanishOnTermination = false; // scale-in: the pod is removed instead of started again
    QString nextVersion; // the version a restart comes back with (rollout, rollback)
    std::optional<TimePoint> drainingUntil; // reset_connection_pool in progress
    PodFigures figures;

    bool startedAfterCrash = false; // this start is the kubelet's, after a crash: the loop goes on

    bool ready() const { return phase == PodPhase::Running; }
    // Crashed, backing off, or briefly up between crashes: what `kubectl get pods` shows as CrashLoopBackOff.
    bool inCrashLoop() const { return phase == PodPhase::CrashLoop || startedAfterCrash; }
    bool healthy() const { return !inCrashLoop(); }
};

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

struct DbSession
{
    int pid = 0;
    QString application;
    QString user;
    QString database;
    QString state; // active, idle, idle_in_transaction
    TimePoint stateSince;
    bool leaked = false;
};

struct DbInstance
{
    QString name; // orders-db-primary, orders-db-replica-1
    QString role; // primary, replica, down
    QString zone;
    QString region;
    double lagSeconds = 0;
    double lagTarget = 0; // the replication-lag fault drives lag towards this
};

struct ConnectionLeak
{
    QString application;
    Duration interval { 120'000 };
    TimePoint nextAt;
};

struct Database
{
    QString service; // orders-db
    QString name; // orders
    int maxConnections = 20;
    QList<DbSession> sessions;
    QList<DbInstance> instances;
    int nextPid = 4711;
    std::optional<ConnectionLeak> leak;
    bool corrupted = false; // the data-corruption fault: checksums keep failing
    int checksumFailures = 0;
    QString corruptionDetail;
    std::optional<TimePoint> promotingUntil; // a failover in progress
    QMap<QString, TimePoint> reconnectAt; // applications whose sessions were cut, and when they come back

    const DbInstance *primary() const;
    int inUse() const { return static_cast<int>(sessions.size()); }
    double utilization() const { return maxConnections > 0 ? double(inUse()) / maxConnections : 0.0; }
};

struct Certificate
{
    QString name; // api.example.com
    QString service;
    QString issuer;
    TimePoint notAfter;
    QString issuerFailure; // set: the issuer refuses orders with this answer
};

struct Region
{
    QString name;
    QString state = QStringLiteral("serving"); // serving, degraded, drained
    double weight = 1.0; // share of traffic routed here, before normalization (0: drained)
    double extraErrorRate = 0; // the region-degraded fault
    double extraLatency = 0;
};

struct Host
{
    QString name; // worker-3
    QString zone;
    QString region;
    QString state = QStringLiteral("running"); // running, isolated, stopped, terminated
    bool compromised = false; // the security signal: an intruder is on this host
    int intrusionSignals = 0;
    QString intrusionDetail;
};

struct Payments
{
    int inFlight = 0; // transactions sent to the provider, answer not yet received
    int duplicateCharges = 0; // what a replay of in-flight transactions costs
    bool providerHanging = false;
};

struct FleetState
{
    QList<Service> services;
    QList<Pod> pods;
    Database database;
    QList<Certificate> certificates;
    QList<Region> regions;
    QList<Host> hosts;
    Payments payments;
    // Forensic state that an action destroyed: the never-automate cases must leave this empty.
    QStringList evidenceLost;

    Service *service(QStringView name);
    const Service *service(QStringView name) const;
    Pod *pod(QStringView name);
    const Pod *pod(QStringView name) const;
    Region *region(QStringView name);
    const Region *region(QStringView name) const;
    Host *host(QStringView name);
    Certificate *certificate(QStringView name);
    QList<Pod *> podsOf(QStringView service);
    QList<const Pod *> podsOf(QStringView service) const;
};

} // namespace antibody::sim

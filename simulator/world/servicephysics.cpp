#include "simulator/world/servicephysics.h"

#include "simulator/world/databasephysics.h"

#include <algorithm>
#include <cmath>
#include <numbers>

using namespace Qt::StringLiterals;

namespace antibody::sim {
namespace {

constexpr double warmupSeconds = 60;
constexpr double clientErrorRate = 0.002; // 4xx: malformed requests, expired sessions
constexpr double serverErrorRate = 0.001; // the background of 5xx every service has

// What calling a dependency adds to a request.
struct Downstream
{
    double errorRate = 0;
    LatencyMix latency;
};

struct PodLoad
{
    Pod *pod = nullptr;
    double offered = 0;
};

// What a pod's requests suffer besides its own capacity.
struct Burden
{
    double addedLatency = 0;
    double downstreamSeconds = 0; // time spent waiting for dependencies, on average
    double serverErrors = 0; // fraction of served requests
    double orderFactor = 1;
};

Downstream downstreamOf(const FleetState &fleet, const Dependency &dependency)
{
    const Service *callee = fleet.service(dependency.service);
    if (!callee)
        return {};
    if (callee->kind == Service::Kind::Database) {
        const DatabaseImpact impact = databaseImpact(fleet.database);
        Downstream d;
        d.errorRate = impact.errorRate;
        d.latency.add(1, 0.004 + impact.addedLatency, 0.003);
        return d;
    }
    return { callee->figures.errorRate, callee->figures.latency };
}

// Offered load per pod: split across serving regions by their weight, then
// across the pods in rotation there by warm-up (slow start, as Envoy does).
QList<PodLoad> route(FleetState &fleet, const QList<Pod *> &pods, double rps, TimePoint now, double *unrouted)
{
    QMap<QString, double> regionWeight;
    QMap<QString, double> podWeightInRegion;
    for (const Region &r : fleet.regions) {
        if (r.weight > 0)
            regionWeight[r.name] = r.weight;
    }
    for (Pod *p : pods) {
        if (inRotation(fleet, *p))
            podWeightInRegion[p->region] += warmFactor(*p, now);
    }
    double servable = 0;
    for (auto it = regionWeight.cbegin(); it != regionWeight.cend(); ++it) {
        if (podWeightInRegion.value(it.key()) > 0)
            servable += it.value();
    }
    QList<PodLoad> loads;
    for (Pod *p : pods) {
        double offered = 0;
        const double inRegion = podWeightInRegion.value(p->region);
        if (servable > 0 && inRegion > 0 && inRotation(fleet, *p))
            offered = rps * regionWeight.value(p->region) / servable * warmFactor(*p, now) / inRegion;
        loads << PodLoad { p, offered };
    }
    *unrouted = servable > 0 ? 0.0 : rps;
    return loads;
}

void stepIdlePod(Pod &pod, Random &random)
{
    pod.queue = 0;
    pod.figures = PodFigures { .observedCpu = pod.figures.observedCpu };
    switch (pod.phase) {
    case PodPhase::Starting:
        pod.figures.cpu = std::clamp(random.normal(0.45, 0.05), 0.0, 1.0); // JIT and cache loading
        break;
    case PodPhase::Terminating:
        pod.figures.cpu = 0.08;
        break;
    case PodPhase::Running: // out of rotation: its host is isolated
        pod.figures.cpu = std::clamp(random.normal(0.03, 0.01), 0.0, 1.0);
        break;
    case PodPhase::CrashLoop:
        break;
    }
}

void stepPod(
    const Service &svc, Pod &pod, double offered, const Burden &burden, Random &random, TimePoint now, double dt)
{
    const double warm = warmFactor(pod, now);
    const bool draining = pod.drainingUntil.has_value();
    const double cpuCapacity = svc.podRps * warm * (draining ? 0.7 : 1.0);
    const double poolCapacity = std::max(0, svc.poolSlots - pod.stuckSlots) / svc.poolHoldSeconds;
    const double nominal = std::max(1e-6, std::min(cpuCapacity, poolCapacity));
    // GC pauses and noisy neighbours: a pod never serves at exactly the same rate twice.
    const double capacity = nominal * (1.0 + random.normal(0, 0.02));
    const double serviceTime = svc.serviceSeconds * (1.0 + 0.5 * (1.0 - warm)) + burden.addedLatency;

    // A queue fed by the offered load, drained at capacity. A request that has
    // waited so long that it cannot finish before the timeout is answered with
    // an error instead (the caller has given up).
    const double backlog = pod.queue + offered * dt;
    const double done = std::min(backlog, capacity * dt);
    pod.queue = backlog - done;
    const double waitBudget = std::max(0.1, svc.timeoutSeconds - serviceTime - burden.downstreamSeconds);
    const double limit = nominal * waitBudget;
    const double dropped = std::max(0.0, pod.queue - limit);
    pod.queue -= dropped;

    PodFigures &f = pod.figures;
    f.offered = offered;
    f.served = done / dt;
    f.timedOut = dropped / dt;

    const bool queued = pod.queue > 0.5;
    // Below saturation a pod is a many-threaded server: waiting stays small until
    // utilization nears 1 (rho^40 approximates Erlang C for a few dozen threads).
    const double rho = std::min(offered / capacity, 0.97);
    const double waiting = queued ? 0.0 : serviceTime * std::pow(rho, 40) / (1.0 - rho);
    f.shift = serviceTime + pod.queue / capacity;
    // Nobody is answered after the timeout: the tail stops there.
    const double ceiling = std::max(serviceTime, svc.timeoutSeconds - burden.downstreamSeconds);
    const double floorSpread = serviceTime * (queued ? 0.25 : 0.5);
    f.spread = std::max({ 1e-3, floorSpread, std::min(floorSpread + waiting, (ceiling - f.shift) / 4.6) });
    f.p99 = f.shift + 4.6 * f.spread;

    const double work = f.served / std::max(1e-6, svc.podRps * warm);
    const double contention
        = 0.23 * std::min(1.0, pod.queue / std::max(1.0, limit)); // threads spinning on a starved pool
    f.cpu = std::clamp(work + contention + random.normal(0, 0.012), 0.0, 1.0);
    const double inUse
        = pod.stuckSlots + std::min<double>(svc.poolSlots - pod.stuckSlots, f.served * svc.poolHoldSeconds);
    const bool poolBound = poolCapacity < cpuCapacity; // the queue waits for pool slots, not for CPU
    f.poolUtilization = queued && poolBound ? 1.0 : std::clamp(inUse / svc.poolSlots, 0.0, 1.0);
}

// Monitoring reads rates over a window (Prometheus's rate(...[1m])): what it
// reports is a moving average of what the pods do, not one second of it.
double smoothing(double dt)
{
    return 1.0 - std::exp(-dt / 20.0);
}

void observe(ServiceFigures &observed, const ServiceFigures &now, double a)
{
    auto follow = [a](double &value, double target) { value += (target - value) * a; };
    follow(observed.rps, now.rps);
    follow(observed.cpu, now.cpu);
    follow(observed.queue, now.queue);
    follow(observed.p99, now.p99);
    follow(observed.errorRate, now.errorRate);
    follow(observed.http5xxRate, now.http5xxRate);
    follow(observed.ordersPerMinute, now.ordersPerMinute);
    for (auto it = now.regionErrorRate.cbegin(); it != now.regionErrorRate.cend(); ++it)
        follow(observed.regionErrorRate[it.key()], it.value());
    observed.replicas = now.replicas; // counts are read from the API as they are
    observed.ready = now.ready;
}

// Services in an order where every dependency comes before its callers.
QList<Service *> callOrder(FleetState &fleet)
{
    QList<Service *> order;
    QList<Service *> left;
    for (Service &s : fleet.services)
        left << &s;
    while (!left.isEmpty()) {
        const qsizetype before = left.size();
        for (auto it = left.begin(); it != left.end();) {
            const bool ready
                = std::all_of((*it)->dependencies.cbegin(), (*it)->dependencies.cend(), [&](const Dependency &d) {
                      return std::any_of(order.cbegin(), order.cend(), [&](const Service *s) {
                          return s->name == d.service;
                      }) || !fleet.service(d.service);
                  });
            if (ready) {
                order << *it;
                it = left.erase(it);
            } else {
                ++it;
            }
        }
        if (left.size() == before) { // a dependency cycle: break it rather than loop forever
            order << left.takeFirst();
        }
    }
    return order;
}

void stepService(FleetState &fleet, Service &svc, Random &random, TimePoint now, double dt)
{
    // Load: the daily shape, a fault's spike (approached over its ramp), and slow noise.
    const double ramp = std::max(1.0, toSeconds(svc.trafficRamp));
    svc.trafficLevel += (svc.trafficMultiplier - svc.trafficLevel) * std::min(1.0, 3.0 * dt / ramp);
    svc.trafficNoise = 0.92 * svc.trafficNoise + random.normal(0, 0.006);
    const double rps = svc.peakRps * dailyShape(now) * svc.trafficLevel * (1.0 + svc.trafficNoise);

    Burden common;
    common.addedLatency = svc.extraLatency;
    common.serverErrors = serverErrorRate + svc.extraErrorRate;
    QList<Downstream> downstream;
    for (const Dependency &d : svc.dependencies) {
        downstream << downstreamOf(fleet, d);
        common.serverErrors += d.share * downstream.back().errorRate;
        common.downstreamSeconds += d.share * downstream.back().latency.mean();
    }

    double unrouted = 0;
    const QList<Pod *> pods = fleet.podsOf(svc.name);
    const QList<PodLoad> loads = route(fleet, pods, rps, now, &unrouted);
    ServiceFigures f;
    f.rps = rps;
    double errors = unrouted;
    double serverErrors = unrouted;
    double cpuSum = 0;
    double orders = 0;
    QMap<QString, double> regionOffered;
    QMap<QString, double> regionErrors;
    LatencyMix own;
    for (const PodLoad &load : loads) {
        Pod &pod = *load.pod;
        if (load.offered <= 0) {
            stepIdlePod(pod, random);
        } else {
            Burden burden = common;
            const Version version = svc.versions.value(pod.version);
            const Region *region = fleet.region(pod.region);
            burden.addedLatency += version.addedLatency + (region ? region->extraLatency : 0.0);
            burden.serverErrors += version.errorRate + (region ? region->extraErrorRate : 0.0);
            burden.orderFactor = version.orderFactor;
            stepPod(svc, pod, load.offered, burden, random, now, dt);
            const double failedServed = pod.figures.served * std::min(1.0, burden.serverErrors);
            const double podServerErrors = pod.figures.timedOut + failedServed;
            const double podErrors = podServerErrors + pod.figures.served * clientErrorRate;
            serverErrors += podServerErrors;
            errors += podErrors;
            regionOffered[pod.region] += load.offered;
            regionErrors[pod.region] += podErrors;
            orders += (pod.figures.served - failedServed) * svc.ordersPerRequest * burden.orderFactor * 60.0;
            own.add(pod.figures.served, pod.figures.shift, pod.figures.spread);
        }
        cpuSum += pod.figures.cpu;
        f.queue += pod.queue;
        f.ready += pod.ready() ? 1 : 0;
        f.replicas += pod.vanishOnTermination ? 0 : 1;
    }
    f.cpu = pods.isEmpty() ? 0.0 : cpuSum / static_cast<double>(pods.size());
    f.errorRate = rps > 0 ? std::min(1.0, errors / rps) : 0.0;
    f.http5xxRate = rps > 0 ? std::min(1.0, serverErrors / rps) : 0.0;
    f.ordersPerMinute = orders;
    for (auto it = regionOffered.cbegin(); it != regionOffered.cend(); ++it)
        f.regionErrorRate[it.key()] = it.value() > 0 ? std::min(1.0, regionErrors.value(it.key()) / it.value()) : 0.0;
    own.compact();
    for (qsizetype i = 0; i < svc.dependencies.size(); ++i)
        own = own.calling(downstream[i].latency, svc.dependencies[i].share);
    f.latency = own;
    f.p99 = own.isEmpty() ? svc.timeoutSeconds : own.quantile(0.99, svc.timeoutSeconds);
    svc.figures = f;
    // The first look has no history to average over.
    const double a = std::exchange(svc.observedYet, true) ? smoothing(dt) : 1.0;
    observe(svc.observed, f, a);
    for (Pod *p : pods)
        p->figures.observedCpu += (p->figures.cpu - p->figures.observedCpu) * a;
}

} // namespace

double dailyShape(TimePoint at)
{
    const qint64 msOfDay = ((toMillis(at) % 86'400'000) + 86'400'000) % 86'400'000;
    const double hour = static_cast<double>(msOfDay) / 3'600'000.0;
    return 0.675 + 0.325 * std::cos(2.0 * std::numbers::pi * (hour - 20.0) / 24.0);
}

double warmFactor(const Pod &pod, TimePoint now)
{
    if (!pod.ready())
        return 0;
    const double age = toSeconds(now - pod.readySince);
    return std::clamp(0.4 + 0.6 * age / warmupSeconds, 0.4, 1.0);
}

bool inRotation(const FleetState &fleet, const Pod &pod)
{
    if (!pod.ready())
        return false;
    for (const Host &h : fleet.hosts) {
        if (h.name == pod.host)
            return h.state == u"running"_s;
    }
    return true;
}

void stepServices(FleetState &fleet, Random &random, TimePoint now, Duration dt)
{
    const double seconds = std::max(1e-3, toSeconds(dt));
    for (Service *svc : callOrder(fleet)) {
        if (svc->kind == Service::Kind::App)
            stepService(fleet, *svc, random, now, seconds);
    }
}

} // namespace antibody::sim

#include "simulator/world/podlifecycle.h"

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {
namespace {

constexpr Duration restartWindow = 10min;
constexpr Duration stableAfter = 1min;

void start(Pod &pod, Random &random, TimePoint now)
{
    pod.phase = PodPhase::Starting;
    pod.phaseSince = now;
    pod.startedAt = now;
    pod.phaseEnds = now + Duration { random.between(18'000, 25'000) }; // image cached; JVM and caches load
    pod.queue = 0;
    pod.stuckSlots = 0; // a new process has a new pool
    pod.drainingUntil.reset();
    pod.restarts << now;
    ++pod.restartCount;
}

void crash(Pod &pod, TimePoint now)
{
    pod.phase = PodPhase::CrashLoop;
    pod.phaseSince = now;
    pod.backoff = pod.backoff.count() == 0 ? Duration { 10s } : std::min<Duration>(pod.backoff * 2, 5min);
    pod.phaseEnds = now + pod.backoff;
    pod.queue = 0;
}

void advanceRollout(FleetState &fleet, Service &svc, TimePoint now)
{
    if (svc.rolloutTo.isEmpty())
        return;
    QList<Pod *> pods = fleet.podsOf(svc.name);
    const bool busy = std::any_of(pods.cbegin(), pods.cend(),
        [](const Pod *p) { return p->phase == PodPhase::Starting || p->phase == PodPhase::Terminating; });
    if (busy)
        return; // maxUnavailable 1, maxSurge 0: one pod at a time
    for (Pod *p : pods) {
        if (p->version != svc.rolloutTo && p->phase != PodPhase::CrashLoop) {
            beginRestart(*p, now, 2s, svc.rolloutTo);
            return;
        }
    }
    svc.previousVersion = svc.currentVersion;
    svc.currentVersion = svc.rolloutTo;
    svc.rolloutTo.clear();
    svc.lastDeployFinished = now;
}

} // namespace

void stepPods(FleetState &fleet, Random &random, TimePoint now)
{
    for (qsizetype i = 0; i < fleet.pods.size();) {
        Pod &pod = fleet.pods[i];
        if (pod.phase == PodPhase::Terminating && now >= pod.phaseEnds) {
            if (pod.vanishOnTermination) {
                fleet.pods.removeAt(i);
                continue;
            }
            if (!pod.nextVersion.isEmpty())
                pod.version = std::exchange(pod.nextVersion, QString());
            start(pod, random, now);
        } else if (pod.phase == PodPhase::CrashLoop && now >= pod.phaseEnds) {
            start(pod, random, now);
            pod.startedAfterCrash = true;
        } else if ((pod.phase == PodPhase::Starting || pod.phase == PodPhase::Running) && pod.crashAfter
            && now >= pod.startedAt + *pod.crashAfter) {
            crash(pod, now);
        } else if (pod.phase == PodPhase::Starting && now >= pod.phaseEnds) {
            pod.phase = PodPhase::Running;
            pod.phaseSince = now;
            pod.readySince = now;
        }
        if (pod.startedAfterCrash && pod.phase == PodPhase::Running && now - pod.readySince >= stableAfter)
            pod.startedAfterCrash = false; // up long enough: the loop is over
        if (pod.drainingUntil && now >= *pod.drainingUntil) {
            pod.drainingUntil.reset();
            pod.stuckSlots = 0;
        }
        pod.restarts.removeIf([&](TimePoint t) { return now - t > restartWindow; });
        ++i;
    }
    for (Service &svc : fleet.services)
        advanceRollout(fleet, svc, now);
}

void beginRestart(Pod &pod, TimePoint now, Duration grace, const QString &version)
{
    // A ready pod finishes its in-flight requests in a couple of seconds; a crashed one has none.
    const Duration drain
        = pod.phase == PodPhase::Running ? std::min<Duration>(grace, 2s) : std::min<Duration>(grace, 500ms);
    pod.phase = PodPhase::Terminating;
    pod.phaseSince = now;
    pod.phaseEnds = now + drain;
    pod.backoff = Duration { 0 }; // the replacement starts with a clean back-off, as a new pod does
    pod.startedAfterCrash = false;
    pod.nextVersion = version;
    pod.queue = 0;
    if (pod.crashCauseInPod) { // the new pod's volume is empty: what broke it is gone
        pod.crashAfter.reset();
        pod.crashReason.clear();
        pod.crashCauseInPod = false;
    }
}

Pod &addPod(FleetState &fleet, Service &svc, Random &random, TimePoint now)
{
    QMap<QString, int> perZone;
    QStringList zones;
    for (const Host &h : fleet.hosts) {
        if (!zones.contains(h.zone))
            zones << h.zone;
    }
    for (const Pod *p : fleet.podsOf(svc.name))
        ++perZone[p->zone];
    QString zone = zones.value(0);
    for (const QString &z : zones) {
        if (perZone.value(z) < perZone.value(zone))
            zone = z;
    }
    Pod pod;
    pod.name = u"%1-%2"_s.arg(svc.name).arg(svc.nextPodNumber++);
    pod.service = svc.name;
    pod.zone = zone;
    pod.region = zone.left(zone.size() - 1);
    for (const Host &h : fleet.hosts) {
        if (h.zone == zone && h.state == u"running"_s) {
            pod.host = h.name;
            break;
        }
    }
    pod.version = svc.currentVersion;
    pod.createdAt = now;
    start(pod, random, now);
    pod.restarts.clear(); // a new pod, not a restart
    pod.restartCount = 0;
    fleet.pods << pod;
    return fleet.pods.back();
}

void beginRemoval(Pod &pod, TimePoint now, Duration grace)
{
    beginRestart(pod, now, grace);
    pod.vanishOnTermination = true;
}

QString replacePod(FleetState &fleet, const QString &name, Random &random, TimePoint now, Duration grace)
{
    Pod *old = fleet.pod(name);
    Service *svc = old ? fleet.service(old->service) : nullptr;
    if (!svc)
        return {};
    std::optional<Duration> crashAfter = old->crashCauseInPod ? std::nullopt : old->crashAfter;
    const QString crashReason = crashAfter ? old->crashReason : QString();
    beginRemoval(*old, now, grace);
    Pod &replacement = addPod(fleet, *svc, random, now); // `old` may have moved: not used after this
    replacement.crashAfter = crashAfter;
    replacement.crashReason = crashReason;
    return replacement.name;
}

int replicasOf(const FleetState &fleet, QStringView service)
{
    const QList<const Pod *> pods = fleet.podsOf(service);
    return static_cast<int>(
        std::count_if(pods.cbegin(), pods.cend(), [](const Pod *p) { return !p->vanishOnTermination; }));
}

Resized resize(FleetState &fleet, Service &service, Random &random, TimePoint now, int replicas, Duration grace)
{
    QList<Pod *> current;
    for (Pod *p : fleet.podsOf(service.name)) {
        if (!p->vanishOnTermination)
            current << p;
    }
    Resized out;
    for (qsizetype i = current.size() - 1; i >= replicas; --i) {
        beginRemoval(*current[i], now, grace);
        out.removed << current[i]->name;
    }
    for (qsizetype i = current.size(); i < replicas; ++i)
        out.added << addPod(fleet, service, random, now).name;
    return out;
}

int restartsRecent(const Pod &pod, TimePoint now)
{
    return static_cast<int>(std::count_if(
        pod.restarts.cbegin(), pod.restarts.cend(), [&](TimePoint t) { return now - t <= restartWindow; }));
}

} // namespace antibody::sim

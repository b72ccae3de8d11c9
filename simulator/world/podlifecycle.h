#pragma once

#include "simulator/world/fleet.h"
#include "simulator/world/random.h"

namespace antibody::sim {

// One tick of every pod's life: terminating pods go (and start again, or vanish
// after a scale-in), starting pods finish their cold start, crash-looping pods
// crash and back off (10 s doubling to 5 min), pool drains finish, a rollout
// replaces one pod at a time, and restarts older than 10 minutes are forgotten.
void stepPods(FleetState &fleet, Random &random, TimePoint now);

// Takes the pod out of rotation, lets in-flight requests finish (at most
// `grace`), then starts it again, cold, with `version` (its own when empty).
void beginRestart(Pod &pod, TimePoint now, Duration grace, const QString &version = {});

// A new replica of `service`, placed in the zone where the service has the
// fewest pods; it starts cold and warms up once ready.
Pod &addPod(FleetState &fleet, Service &service, Random &random, TimePoint now);

// Scale-in: out of rotation now, gone after `grace`.
void beginRemoval(Pod &pod, TimePoint now, Duration grace);

// An eviction, as on Kubernetes: the pod goes within `grace` and its ReplicaSet starts
// a new pod at once, cold, with a new name. A crash loop whose cause is outside the pod
// (its configuration) follows it to the new pod; one inside the pod does not. The
// replacement's name; empty when the pod belongs to no service.
QString replacePod(FleetState &fleet, const QString &pod, Random &random, TimePoint now, Duration grace);

// spec.replicas: the service's pods that are not on their way out after a scale-in.
int replicasOf(const FleetState &fleet, QStringView service);

// Scales `service` to `replicas` as its Deployment controller would: new pods start
// cold; the newest pods beyond the count drain within `grace` and are removed.
struct Resized
{
    QStringList added;
    QStringList removed;
};
Resized resize(FleetState &fleet, Service &service, Random &random, TimePoint now, int replicas, Duration grace);

// Restarts (after a crash or a restart) within the last 10 minutes.
int restartsRecent(const Pod &pod, TimePoint now);

} // namespace antibody::sim

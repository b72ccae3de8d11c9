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

// Restarts (after a crash or a restart) within the last 10 minutes.
int restartsRecent(const Pod &pod, TimePoint now);

} // namespace antibody::sim

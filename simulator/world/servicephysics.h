#pragma once

#include "simulator/world/fleet.h"
#include "simulator/world/random.h"

namespace antibody::sim {

// The physics of the application services: what a tick does to their traffic,
// queues, CPU, latency, errors and orders. Their state is in service.h.

// Traffic against its daily peak at this time of day (UTC): 0.35 at 08:00, 1.0 at 20:00.
double dailyShape(TimePoint at);

// How much of its full capacity a pod has: 0 when not ready, 0.4 right after it
// becomes ready (cold caches, JIT), 1.0 after its warm-up minute.
double warmFactor(const Pod &pod, TimePoint now);

// Whether the load balancer sends it traffic: ready, on a host that is not cut off.
bool inRotation(const FleetState &fleet, const Pod &pod);

// One tick of every application service: offered load, routing across regions
// and warm pods, queues, timeouts, CPU, latency, errors and orders.
void stepServices(FleetState &fleet, Random &random, TimePoint now, Duration dt);

} // namespace antibody::sim

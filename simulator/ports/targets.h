#pragma once

#include "engine/ports/actionexecutor.h"
#include "simulator/world/fleet.h"

namespace antibody::sim {

// The targets of one dimension as an executor's fleet() answers them, with the
// names, states, metrics and labels of docs/vocabulary.md: pods (and replicas),
// connections, certificates, databases, regions, hosts. An unknown service or
// dimension, or one the service does not have, is an error that says what exists.
Fleet describeFleet(const FleetState &fleet, const TargetQuery &query, TimePoint now);

// "pid 4711" -> 4711; 0 when the name is not a connection's.
int pidFromTarget(const QString &name);

} // namespace antibody::sim

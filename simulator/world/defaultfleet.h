#pragma once

#include "simulator/world/fleet.h"

namespace antibody::sim {

// The fleet of docs/vocabulary.md as it stands at `now` on an ordinary day:
// api-gateway, catalog-svc, search-svc, checkout-svc (5 pods) and payments-svc
// across eu-west-1 and us-east-1; orders-db with its pool of 20 connections, a
// primary and two replicas; certificates; hosts worker-1 ... worker-8.
FleetState defaultFleet(TimePoint now);

} // namespace antibody::sim

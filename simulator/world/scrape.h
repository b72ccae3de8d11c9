#pragma once

#include "engine/ports/metricsource.h"
#include "simulator/world/fleet.h"

namespace antibody::sim {

// Every series the fleet exports at one scrape, each sample stamped with `now`
// and labelled with `__name__`, as Prometheus would return it. The names are
// docs/vocabulary.md's, plus the few the simulator's alert rules read
// (pod_restarts_recent, db_primary_up, db_checksum_failures,
// host_intrusion_signals, payments_in_flight); docs/simulator.md lists them.
QList<Sample> scrape(const FleetState &fleet, TimePoint now);

// The metric names a scrape can contain, sorted.
const QStringList &metricNames();

} // namespace antibody::sim

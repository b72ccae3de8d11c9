#pragma once

#include "engine/ports/metricsource.h"
#include "simulator/world/fleet.h"

namespace antibody::sim {

// Every series the fleet exports at one scrape, each sample stamped with `now`
// and labelled with `__name__`, as Prometheus would return it: the standard
// exporters' names, and the series rules/antibody.rules.yml records from them
// (docs/vocabulary.md), plus the guard signals the simulator's alert rules read
// (db_checksum_failures, host_intrusion_signals, payments_in_flight). Every
// series carries `service`, as the rules' joins give it.
QList<Sample> scrape(const FleetState &fleet, TimePoint now);

// The metric names a scrape can contain, sorted.
const QStringList &metricNames();

} // namespace antibody::sim

#pragma once

#include "simulator/world/fleet.h"

#include <QVariantMap>

namespace antibody::sim {

// What collect_diagnostics finds on a service, from what a human could observe
// (never from the list of injected faults): the catalog's facts, the most likely
// cause, and one finding per check.
struct Diagnosis
{
    QVariantMap facts; // cause, pool_utilization, idle_connections, idle_ratio, ...
    QStringList findings; // "pool: orders-db 19 of 20 connections in use (95%), ..."
    QString summary() const;
};

// `checks`: pool, slow_queries, traffic, memory, downstream, deploys (empty: all).
Diagnosis diagnose(const FleetState &fleet, const QString &service, const QStringList &checks, TimePoint now);

} // namespace antibody::sim

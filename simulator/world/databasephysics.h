#pragma once

#include "simulator/world/fleet.h"
#include "simulator/world/random.h"

namespace antibody::sim {

// The physics of orders-db: its sessions, leaks, reconnects, replication lag and
// corruption, tick by tick, and what it does to its callers. Its state is in database.h.

// What the database does to the requests of a service that calls it.
struct DatabaseImpact
{
    double errorRate = 0;
    double addedLatency = 0;
};
DatabaseImpact databaseImpact(const Database &db);

// The sessions a healthy orders-db has: checkout-svc's pooler (6), orders-worker
// (2), a BI tool's long-idle session, and postgres_exporter (1). `reportingIdle`
// is how long the BI session has been idle.
void openBaselineSessions(Database &db, TimePoint now, Duration reportingIdle);

// One tick: sessions going active and idle, a leak adding forgotten sessions,
// applications reconnecting after their sessions were cut, replication lag,
// and the checksum failures of a corrupted table.
void stepDatabase(Database &db, Random &random, TimePoint now, Duration dt);

// A session the application opened and forgot: idle since `since`, forever.
void openLeakedSession(Database &db, const QString &application, TimePoint since);

// Ends a session as pg_terminate_backend does; the application reconnects if it
// is one that keeps sessions open.
bool terminateSession(Database &db, int pid);

// Whether the pool metrics can be scraped: the exporter is connected to a live primary.
bool exporterConnected(const Database &db);

} // namespace antibody::sim

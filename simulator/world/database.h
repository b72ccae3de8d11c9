#pragma once

#include "engine/core/time.h"

#include <QList>
#include <QMap>
#include <QString>
#include <optional>

namespace antibody::sim {

struct DbSession
{
    int pid = 0;
    QString application;
    QString user;
    QString database;
    QString state; // active, idle, idle_in_transaction
    TimePoint stateSince;
    bool leaked = false;
};

struct DbInstance
{
    QString name; // orders-db-primary, orders-db-replica-1
    QString role; // primary, replica, down
    QString zone;
    QString region;
    double lagSeconds = 0;
    double lagTarget = 0; // the replication-lag fault drives lag towards this
};

struct ConnectionLeak
{
    QString application;
    Duration interval { 120'000 };
    TimePoint nextAt;
};

// orders-db: its connection pool (the sessions in pg_stat_activity), its primary and
// replicas, and the faults acting on it; databasephysics moves it each tick.
struct Database
{
    QString service; // orders-db
    QString name; // orders
    int maxConnections = 20;
    QList<DbSession> sessions;
    QList<DbInstance> instances;
    int nextPid = 4711;
    std::optional<ConnectionLeak> leak;
    bool corrupted = false; // the data-corruption fault: checksums keep failing
    int checksumFailures = 0;
    QString corruptionDetail;
    std::optional<TimePoint> promotingUntil; // a failover in progress
    QMap<QString, TimePoint> reconnectAt; // applications whose sessions were cut, and when they come back

    const DbInstance *primary() const;
    int inUse() const { return static_cast<int>(sessions.size()); }
    double utilization() const { return maxConnections > 0 ? double(inUse()) / maxConnections : 0.0; }
};

} // namespace antibody::sim

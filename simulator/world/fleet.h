#pragma once

#include "simulator/world/database.h"
#include "simulator/world/infrastructure.h"
#include "simulator/world/payments.h"
#include "simulator/world/pod.h"
#include "simulator/world/service.h"

#include <QList>
#include <QStringList>

// The simulated fleet's state: plain data that the physics (servicephysics,
// podlifecycle, databasephysics), the faults and the actions read and change.
// Names and units follow docs/vocabulary.md. One header per part: pod.h,
// service.h, database.h, infrastructure.h (regions, hosts, certificates), payments.h.
namespace antibody::sim {

struct FleetState
{
    QList<Service> services;
    QList<Pod> pods;
    Database database;
    QList<Certificate> certificates;
    QList<Region> regions;
    QList<Host> hosts;
    Payments payments;
    // Forensic state that an action destroyed: the never-automate cases must leave this empty.
    QStringList evidenceLost;

    Service *service(QStringView name);
    const Service *service(QStringView name) const;
    Pod *pod(QStringView name);
    const Pod *pod(QStringView name) const;
    Region *region(QStringView name);
    const Region *region(QStringView name) const;
    Host *host(QStringView name);
    Certificate *certificate(QStringView name);
    QList<Pod *> podsOf(QStringView service);
    QList<const Pod *> podsOf(QStringView service) const;
};

} // namespace antibody::sim

#include "simulator/world/defaultfleet.h"

#include "simulator/world/databasephysics.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {
namespace {

struct Placement
{
    QString zone;
    QString host;
};

// Where each service's pods run, one entry per pod, spread over zones and regions.
const QMap<QString, QList<Placement>> &placements()
{
    static const QMap<QString, QList<Placement>> map {
        { u"api-gateway"_s,
            { { u"eu-west-1a"_s, u"worker-1"_s }, { u"eu-west-1b"_s, u"worker-3"_s },
                { u"us-east-1a"_s, u"worker-6"_s }, { u"us-east-1b"_s, u"worker-8"_s } } },
        { u"catalog-svc"_s,
            { { u"eu-west-1a"_s, u"worker-2"_s }, { u"eu-west-1c"_s, u"worker-5"_s },
                { u"us-east-1a"_s, u"worker-7"_s }, { u"us-east-1b"_s, u"worker-8"_s } } },
        { u"search-svc"_s,
            { { u"eu-west-1b"_s, u"worker-4"_s }, { u"eu-west-1c"_s, u"worker-5"_s },
                { u"us-east-1a"_s, u"worker-6"_s }, { u"us-east-1b"_s, u"worker-8"_s } } },
        { u"checkout-svc"_s,
            { { u"eu-west-1a"_s, u"worker-1"_s }, { u"eu-west-1b"_s, u"worker-3"_s },
                { u"eu-west-1c"_s, u"worker-5"_s }, { u"us-east-1a"_s, u"worker-7"_s },
                { u"us-east-1b"_s, u"worker-8"_s } } },
        { u"payments-svc"_s,
            { { u"eu-west-1a"_s, u"worker-2"_s }, { u"eu-west-1b"_s, u"worker-4"_s },
                { u"us-east-1a"_s, u"worker-6"_s } } },
    };
    return map;
}

QString regionOf(const QString &zone)
{
    return zone.left(zone.size() - 1);
}

// `poolSlots` / `holdSeconds` is what a pod's client pool can carry: sized at
// about twice the pod's share of the daily peak, as a team would size it.
Service app(QString name, double peakRps, double podRps, double serviceSeconds, int poolSlots, double holdSeconds,
    QString current, QString previous)
{
    Service s;
    s.name = std::move(name);
    s.peakRps = peakRps;
    s.podRps = podRps;
    s.serviceSeconds = serviceSeconds;
    s.poolSlots = poolSlots;
    s.poolHoldSeconds = holdSeconds;
    s.versions.insert(current, Version { current });
    s.versions.insert(previous, Version { previous });
    s.currentVersion = std::move(current);
    s.previousVersion = std::move(previous);
    return s;
}

QList<Service> services()
{
    // Sized so that at the daily peak most pods run near 55-60% CPU; checkout-svc
    // runs hot (about 86%), which is why it is the first to tip over.
    Service gateway = app(u"api-gateway"_s, 2000, 900, 0.02, 32, 0.02, u"v5.2.1"_s, u"v5.2.0"_s);
    gateway.timeoutSeconds = 10;
    gateway.dependencies = { { u"catalog-svc"_s, 0.45 }, { u"search-svc"_s, 0.35 }, { u"checkout-svc"_s, 0.15 } };
    gateway.pdbMinAvailable = 3;

    Service catalog = app(u"catalog-svc"_s, 900, 400, 0.08, 16, 0.02, u"v3.8.0"_s, u"v3.7.2"_s);
    catalog.pdbMinAvailable = 3;

    Service search = app(u"search-svc"_s, 700, 300, 0.15, 16, 0.03, u"v1.22.4"_s, u"v1.22.3"_s);
    search.minReplicas = 2;
    search.maxReplicas = 10;
    search.pdbMinAvailable = 2;

    Service checkout = app(u"checkout-svc"_s, 300, 70, 0.12, 8, 0.058, u"v2.14.0"_s, u"v2.13.2"_s);
    checkout.timeoutSeconds = 4.4; // the gateway gives checkout 4.4 s, then answers 504
    checkout.minReplicas = 3;
    checkout.maxReplicas = 12;
    checkout.pdbMinAvailable = 3;
    checkout.ordersPerRequest = 0.1;
    checkout.dependencies = { { u"payments-svc"_s, 0.3 }, { u"orders-db"_s, 1.0 } };

    Service payments = app(u"payments-svc"_s, 90, 60, 0.12, 8, 0.05, u"v4.1.3"_s, u"v4.1.2"_s);
    payments.timeoutSeconds = 8;
    payments.pdbMinAvailable = 2;

    Service orders;
    orders.name = u"orders-db"_s;
    orders.kind = Service::Kind::Database;
    return { gateway, catalog, search, checkout, payments, orders };
}

Database database(TimePoint now)
{
    Database db;
    db.service = u"orders-db"_s;
    db.name = u"orders"_s;
    db.maxConnections = 20;
    db.instances = {
        { u"orders-db-primary"_s, u"primary"_s, u"eu-west-1a"_s, u"eu-west-1"_s, 0, 0 },
        { u"orders-db-replica-1"_s, u"replica"_s, u"eu-west-1b"_s, u"eu-west-1"_s, 0.4, 0 },
        { u"orders-db-replica-2"_s, u"replica"_s, u"us-east-1a"_s, u"us-east-1"_s, 0.9, 0 },
    };
    openBaselineSessions(db, now, 25min);
    return db;
}

} // namespace

FleetState defaultFleet(TimePoint now)
{
    FleetState fleet;
    fleet.services = services();
    for (Service &s : fleet.services) {
        if (s.kind != Service::Kind::App)
            continue;
        s.lastDeployFinished = now - 3 * 24h;
        for (const Placement &p : placements().value(s.name)) {
            Pod pod;
            pod.name = u"%1-%2"_s.arg(s.name).arg(s.nextPodNumber++);
            pod.service = s.name;
            pod.zone = p.zone;
            pod.region = regionOf(p.zone);
            pod.host = p.host;
            pod.version = s.currentVersion;
            pod.phaseSince = now - 3 * 24h;
            pod.readySince = pod.phaseSince;
            pod.createdAt = pod.phaseSince;
            fleet.pods << pod;
        }
    }
    fleet.database = database(now);
    fleet.certificates = {
        { u"api.example.com"_s, u"api-gateway"_s, u"letsencrypt"_s, now + 61 * 24h, {} },
        { u"checkout.example.com"_s, u"checkout-svc"_s, u"letsencrypt"_s, now + 44 * 24h, {} },
        { u"payments.example.com"_s, u"payments-svc"_s, u"letsencrypt"_s, now + 73 * 24h, {} },
        { u"orders-db.internal"_s, u"orders-db"_s, u"internal-ca"_s, now + 180 * 24h, {} },
    };
    Region eu;
    eu.name = u"eu-west-1"_s;
    eu.weight = 0.6;
    Region us;
    us.name = u"us-east-1"_s;
    us.weight = 0.4;
    fleet.regions = { eu, us };
    for (int i = 1; i <= 8; ++i) {
        Host h;
        h.name = u"worker-%1"_s.arg(i);
        static const QStringList zones { u"eu-west-1a"_s, u"eu-west-1a"_s, u"eu-west-1b"_s, u"eu-west-1b"_s,
            u"eu-west-1c"_s, u"us-east-1a"_s, u"us-east-1a"_s, u"us-east-1b"_s };
        h.zone = zones[i - 1];
        h.region = regionOf(h.zone);
        fleet.hosts << h;
    }
    return fleet;
}

} // namespace antibody::sim

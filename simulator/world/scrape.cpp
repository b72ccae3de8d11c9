#include "simulator/world/scrape.h"

#include "simulator/world/databasephysics.h"
#include "simulator/world/podlifecycle.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody::sim {
namespace {

class Collector
{
public:
    explicit Collector(TimePoint at)
        : m_at(at)
    {
    }

    void add(const QString &name, Labels labels, double value)
    {
        labels.insert(u"__name__"_s, name);
        m_samples << Sample { std::move(labels), value, m_at };
    }

    QList<Sample> take() { return std::move(m_samples); }

private:
    TimePoint m_at;
    QList<Sample> m_samples;
};

void services(const FleetState &fleet, TimePoint now, Collector &out)
{
    for (const Service &s : fleet.services) {
        if (s.kind != Service::Kind::App)
            continue;
        const Labels svc { { u"service"_s, s.name } };
        const ServiceFigures &f = s.observed;
        out.add(u"cpu_utilization"_s, svc, f.cpu);
        out.add(u"queue_depth"_s, svc, f.queue);
        out.add(u"latency_p99_seconds"_s, svc, f.p99);
        out.add(u"error_rate"_s, svc, f.errorRate);
        out.add(u"http_5xx_rate"_s, svc, f.http5xxRate);
        out.add(u"requests_per_second"_s, svc, f.rps);
        out.add(u"replicas"_s, svc, f.replicas);
        out.add(u"pods_ready"_s, svc, f.ready);
        if (s.ordersPerRequest > 0)
            out.add(u"orders_per_minute"_s, svc, f.ordersPerMinute);
        for (auto it = f.regionErrorRate.cbegin(); it != f.regionErrorRate.cend(); ++it)
            out.add(u"error_rate"_s, { { u"service"_s, s.name }, { u"region"_s, it.key() } }, it.value());
        for (const Pod *p : fleet.podsOf(s.name)) {
            const Labels pod { { u"service"_s, s.name }, { u"pod"_s, p->name }, { u"zone"_s, p->zone },
                { u"region"_s, p->region } };
            out.add(u"cpu_utilization"_s, pod, p->figures.observedCpu);
            out.add(u"pod_restarts_recent"_s, pod, restartsRecent(*p, now));
        }
    }
}

void database(const Database &db, Collector &out)
{
    const Labels svc { { u"service"_s, db.service } };
    double worstLag = 0;
    for (const DbInstance &i : db.instances) {
        if (i.role == u"replica"_s)
            worstLag = std::max(worstLag, i.lagSeconds);
    }
    out.add(u"db_replication_lag_seconds"_s, svc, worstLag);
    out.add(u"db_primary_up"_s, svc, db.primary() && !db.promotingUntil ? 1.0 : 0.0);
    if (!exporterConnected(db))
        return; // the pool figures come from the exporter's session on the primary: none this scrape
    int active = 0;
    int idle = 0;
    for (const DbSession &s : db.sessions)
        (s.state == u"active"_s ? active : idle) += 1;
    out.add(u"db_connection_pool_utilization"_s, svc, db.utilization());
    out.add(u"db_pool_utilization"_s, svc, db.utilization());
    out.add(u"db_active_connections"_s, svc, active);
    out.add(u"db_idle_connections"_s, svc, idle);
    out.add(u"db_max_connections"_s, svc, db.maxConnections);
    out.add(u"db_checksum_failures"_s, svc, db.checksumFailures);
}

void others(const FleetState &fleet, TimePoint now, Collector &out)
{
    for (const Certificate &c : fleet.certificates) {
        out.add(u"certificate_expiry_seconds"_s, { { u"certificate"_s, c.name }, { u"service"_s, c.service } },
            toSeconds(c.notAfter - now));
    }
    for (const Host &h : fleet.hosts) {
        QStringList servicesOnHost;
        for (const Pod &p : fleet.pods) {
            if (p.host == h.name && !servicesOnHost.contains(p.service))
                servicesOnHost << p.service;
        }
        std::sort(servicesOnHost.begin(), servicesOnHost.end());
        for (const QString &s : servicesOnHost)
            out.add(u"host_intrusion_signals"_s, { { u"host"_s, h.name }, { u"service"_s, s } }, h.intrusionSignals);
    }
    out.add(u"payments_in_flight"_s, { { u"service"_s, u"payments-svc"_s } }, fleet.payments.inFlight);
}

} // namespace

QList<Sample> scrape(const FleetState &fleet, TimePoint now)
{
    Collector out(now);
    services(fleet, now, out);
    database(fleet.database, out);
    others(fleet, now, out);
    return out.take();
}

const QStringList &metricNames()
{
    static const QStringList names = [] {
        QStringList n { u"cpu_utilization"_s, u"queue_depth"_s, u"latency_p99_seconds"_s, u"error_rate"_s,
            u"http_5xx_rate"_s, u"requests_per_second"_s, u"orders_per_minute"_s, u"replicas"_s, u"pods_ready"_s,
            u"db_connection_pool_utilization"_s, u"db_pool_utilization"_s, u"db_active_connections"_s,
            u"db_idle_connections"_s, u"db_max_connections"_s, u"db_replication_lag_seconds"_s,
            u"certificate_expiry_seconds"_s, u"pod_restarts_recent"_s, u"db_primary_up"_s, u"db_checksum_failures"_s,
            u"host_intrusion_signals"_s, u"payments_in_flight"_s };
        std::sort(n.begin(), n.end());
        return n;
    }();
    return names;
}

} // namespace antibody::sim

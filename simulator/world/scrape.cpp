#include "simulator/world/scrape.h"

#include "simulator/world/databasephysics.h"

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

void services(const FleetState &fleet, Collector &out)
{
    for (const Service &s : fleet.services) {
        if (s.kind != Service::Kind::App)
            continue;
        const Labels svc { { u"service"_s, s.name } };
        const ServiceFigures &f = s.observed;
        out.add(u"service:container_cpu_usage:ratio"_s, svc, f.cpu);
        out.add(u"service:http_server_active_requests:sum"_s, svc, f.queue);
        out.add(u"service:http_server_request_duration_seconds:p99"_s, svc, f.p99);
        out.add(u"service:http_server_requests:error_ratio"_s, svc, f.errorRate);
        out.add(u"service:http_server_requests:status_5xx_ratio"_s, svc, f.http5xxRate);
        out.add(u"service:http_server_requests:rate1m"_s, svc, f.rps);
        const Labels deployment { { u"service"_s, s.name }, { u"deployment"_s, s.name } };
        out.add(u"kube_deployment_spec_replicas"_s, deployment, f.replicas);
        out.add(u"kube_deployment_status_replicas_available"_s, deployment, f.ready);
        if (s.ordersPerRequest > 0)
            out.add(u"service:orders_created:per_minute"_s, svc, f.ordersPerMinute);
        for (auto it = f.regionErrorRate.cbegin(); it != f.regionErrorRate.cend(); ++it) {
            out.add(u"service_region:http_server_requests:error_ratio"_s,
                { { u"service"_s, s.name }, { u"region"_s, it.key() } }, it.value());
        }
        for (const Pod *p : fleet.podsOf(s.name)) {
            const Labels pod { { u"service"_s, s.name }, { u"pod"_s, p->name }, { u"zone"_s, p->zone },
                { u"region"_s, p->region } };
            out.add(u"service_pod:container_cpu_usage:ratio"_s, pod, p->figures.observedCpu);
            out.add(u"kube_pod_container_status_restarts_total"_s, pod, p->restartCount);
        }
    }
}

void database(const Database &db, Collector &out)
{
    const Labels svc { { u"service"_s, db.service } };
    // postgres_exporter on each replica reports its own lag; on the primary, pg_up.
    for (const DbInstance &i : db.instances) {
        if (i.role == u"replica"_s)
            out.add(u"pg_replication_lag"_s, { { u"service"_s, db.service }, { u"instance"_s, i.name } }, i.lagSeconds);
    }
    out.add(u"pg_up"_s, svc, db.primary() && !db.promotingUntil ? 1.0 : 0.0);
    if (!exporterConnected(db))
        return; // the pool figures come from the exporter's session on the primary: none this scrape
    int active = 0;
    int idle = 0;
    for (const DbSession &s : db.sessions)
        (s.state == u"active"_s ? active : idle) += 1;
    out.add(u"service:pg_connection_utilization:ratio"_s, svc, db.utilization());
    out.add(u"pg_stat_activity_count"_s, { { u"service"_s, db.service }, { u"state"_s, u"active"_s } }, active);
    out.add(u"pg_stat_activity_count"_s, { { u"service"_s, db.service }, { u"state"_s, u"idle"_s } }, idle);
    out.add(u"pg_settings_max_connections"_s, svc, db.maxConnections);
    out.add(u"db_checksum_failures"_s, svc, db.checksumFailures);
}

void others(const FleetState &fleet, TimePoint now, Collector &out)
{
    for (const Certificate &c : fleet.certificates) {
        // blackbox_exporter's probe of the host (a timestamp), and the rules' seconds left.
        const Labels probe { { u"instance"_s, c.name }, { u"service"_s, c.service } };
        out.add(u"probe_ssl_earliest_cert_expiry"_s, probe, toSeconds(c.notAfter.time_since_epoch()));
        out.add(u"instance:probe_ssl_earliest_cert_expiry:remaining_seconds"_s, probe, toSeconds(c.notAfter - now));
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
    services(fleet, out);
    database(fleet.database, out);
    others(fleet, now, out);
    return out.take();
}

const QStringList &metricNames()
{
    static const QStringList names = [] {
        QStringList n { u"service:container_cpu_usage:ratio"_s, u"service_pod:container_cpu_usage:ratio"_s,
            u"service:http_server_active_requests:sum"_s, u"service:http_server_request_duration_seconds:p99"_s,
            u"service:http_server_requests:error_ratio"_s, u"service:http_server_requests:status_5xx_ratio"_s,
            u"service_region:http_server_requests:error_ratio"_s, u"service:http_server_requests:rate1m"_s,
            u"service:orders_created:per_minute"_s, u"kube_deployment_spec_replicas"_s,
            u"kube_deployment_status_replicas_available"_s, u"kube_pod_container_status_restarts_total"_s,
            u"service:pg_connection_utilization:ratio"_s, u"pg_stat_activity_count"_s, u"pg_settings_max_connections"_s,
            u"pg_replication_lag"_s, u"pg_up"_s, u"probe_ssl_earliest_cert_expiry"_s,
            u"instance:probe_ssl_earliest_cert_expiry:remaining_seconds"_s, u"db_checksum_failures"_s,
            u"host_intrusion_signals"_s, u"payments_in_flight"_s };
        std::sort(n.begin(), n.end());
        return n;
    }();
    return names;
}

} // namespace antibody::sim

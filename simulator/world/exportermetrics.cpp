#include "simulator/world/exportermetrics.h"

#include "simulator/world/scrape.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace antibody::sim {
namespace {

struct Family
{
    const char *type;
    const char *help;
};

// The raw series scrape() gives, as their exporters describe them. Recorded series
// (with a colon) are left out: the scraping Prometheus computes them.
const QHash<QString, Family> &rawFamilies()
{
    static const QHash<QString, Family> families {
        { u"pg_up"_s,
            { "gauge", "Whether the last scrape of metrics from PostgreSQL was able to connect to the server." } },
        { u"pg_stat_activity_count"_s, { "gauge", "number of connections in this state" } },
        { u"pg_settings_max_connections"_s,
            { "gauge", "Sets the maximum number of concurrent connections. (postgres_exporter, pg_settings)" } },
        { u"pg_replication_lag"_s, { "gauge", "Replication lag behind master in seconds" } },
        { u"kube_pod_container_status_restarts_total"_s,
            { "counter", "The number of container restarts per container." } },
        { u"kube_deployment_spec_replicas"_s, { "gauge", "Number of desired pods for a deployment." } },
        { u"kube_deployment_status_replicas_available"_s,
            { "gauge", "The number of available replicas per deployment." } },
        { u"probe_ssl_earliest_cert_expiry"_s, { "gauge", "Returns last SSL chain expiry in unixtime" } },
        { u"db_checksum_failures"_s,
            { "gauge", "Page checksum failures seen (a guard signal; no standard exporter)." } },
        { u"host_intrusion_signals"_s,
            { "gauge", "Intrusion detector hits on the host (a guard signal; no standard exporter)." } },
        { u"payments_in_flight"_s,
            { "gauge", "Payments sent to the provider, answer not yet back (a guard signal; no standard exporter)." } },
    };
    return families;
}

// The series kube-state-metrics labels with the pod's or Deployment's namespace.
bool fromKubeStateMetrics(const QString &name)
{
    return name.startsWith(u"kube_"_s);
}

Labels podLabels(const Pod &p)
{
    return { { u"namespace"_s, QString::fromLatin1(ExporterMetrics::kubeNamespace) }, { u"pod"_s, p.name },
        { u"container"_s, p.service } };
}

MetricFamily family(const QString &name, const char *type, const char *help)
{
    return MetricFamily { name, QString::fromLatin1(type), QString::fromUtf8(help), {} };
}

} // namespace

const QList<double> &ExporterMetrics::bucketBounds()
{
    static const QList<double> bounds { 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10 };
    return bounds;
}

QString ExporterMetrics::replicaSetName(const QString &service, const QString &version)
{
    const QByteArray hash
        = QCryptographicHash::hash((service + u'/' + version).toUtf8(), QCryptographicHash::Sha1).toHex().left(10);
    return service + u'-' + QString::fromLatin1(hash);
}

void ExporterMetrics::advance(const FleetState &fleet, TimePoint now)
{
    const double dt = m_last ? std::max(0.0, toSeconds(now - *m_last)) : 0.0;
    m_last = now;
    if (dt <= 0)
        return;
    for (const Pod &p : fleet.pods)
        m_cpuSeconds[p.name] += p.figures.cpu * cpuLimitCores * dt;
    for (const Service &s : fleet.services) {
        if (s.kind != Service::Kind::App)
            continue;
        const ServiceFigures &f = s.figures;
        if (s.ordersPerRequest > 0)
            m_orders[s.name] += f.ordersPerMinute / 60.0 * dt;
        QMap<QString, double> regionRequests;
        for (const Pod *p : fleet.podsOf(s.name))
            regionRequests[p->region] += p->figures.offered * dt;
        // Of the failed requests, the 5xx share is the service's; the rest were the clients' (4xx).
        const double serverShare = f.errorRate > 0 ? std::min(1.0, f.http5xxRate / f.errorRate) : 1.0;
        for (auto r = regionRequests.cbegin(); r != regionRequests.cend(); ++r) {
            const double failed = r.value() * f.regionErrorRate.value(r.key());
            const struct
            {
                const char *status;
                bool error;
                double count;
            } outcomes[] = { { "200", false, r.value() - failed }, { "500", true, failed * serverShare },
                { "400", true, failed * (1.0 - serverShare) } };
            for (const auto &o : outcomes) {
                Labels labels { { u"namespace"_s, QString::fromLatin1(kubeNamespace) }, { u"service"_s, s.name },
                    { u"region"_s, r.key() }, { u"http_request_method"_s, u"GET"_s },
                    { u"http_response_status_code"_s, QString::fromLatin1(o.status) } };
                if (o.error)
                    labels.insert(u"error_type"_s, QString::fromLatin1(o.status));
                const QString key = QStringList(labels.values()).join(u'\x1f');
                Requests &req = m_requests[key];
                if (req.buckets.isEmpty()) {
                    req.labels = labels;
                    req.buckets.resize(bucketBounds().size());
                }
                for (qsizetype i = 0; i < bucketBounds().size(); ++i)
                    req.buckets[i] += o.count * f.latency.answeredWithin(bucketBounds()[i], s.timeoutSeconds);
                req.count += o.count;
                req.sum += o.count * f.latency.mean();
            }
        }
    }
}

QList<MetricFamily> ExporterMetrics::families(const FleetState &fleet, TimePoint now, Duration wallOffset) const
{
    QList<MetricFamily> out;
    const QString ns = QString::fromLatin1(kubeNamespace);
    for (Sample s : scrape(fleet, now)) {
        const QString name = s.labels.take(u"__name__"_s);
        const auto known = rawFamilies().constFind(name);
        if (known == rawFamilies().cend())
            continue; // recorded by the rules, not exported
        if (fromKubeStateMetrics(name))
            s.labels.insert(u"namespace"_s, ns);
        if (name == u"probe_ssl_earliest_cert_expiry"_s)
            s.value += toSeconds(wallOffset);
        MetricFamily f = family(name, known->type, known->help);
        f.add(s.labels, s.value);
        out << f; // Exposition::render merges the families of one name
    }

    // kube-state-metrics: the owner chain pod -> ReplicaSet -> Deployment, CPU limits, crash-loop waits.
    MetricFamily podOwner = family(u"kube_pod_owner"_s, "gauge", "Information about the Pod's owner.");
    MetricFamily rsOwner = family(u"kube_replicaset_owner"_s, "gauge", "Information about the ReplicaSet's owner.");
    MetricFamily limits = family(
        u"kube_pod_container_resource_limits"_s, "gauge", "The number of requested limit resource by a container.");
    MetricFamily waiting = family(u"kube_pod_container_status_waiting_reason"_s, "gauge",
        "Describes the reason the container is currently in waiting state.");
    MetricFamily cpu = family(u"container_cpu_usage_seconds_total"_s, "counter",
        "Cumulative cpu time consumed by the container in core-seconds");
    MetricFamily active = family(
        u"http_server_active_requests"_s, "gauge", "Number of active HTTP server requests (queued or being served).");
    QStringList replicaSets;
    for (const Pod &p : fleet.pods) {
        active.add({ { u"namespace"_s, ns }, { u"service"_s, p.service }, { u"pod"_s, p.name } }, p.queue);
        const QString rs = ExporterMetrics::replicaSetName(p.service, p.version);
        podOwner.add({ { u"namespace"_s, ns }, { u"pod"_s, p.name }, { u"owner_kind"_s, u"ReplicaSet"_s },
                         { u"owner_name"_s, rs }, { u"owner_is_controller"_s, u"true"_s } },
            1);
        if (!replicaSets.contains(rs)) {
            replicaSets << rs;
            rsOwner.add({ { u"namespace"_s, ns }, { u"replicaset"_s, rs }, { u"owner_kind"_s, u"Deployment"_s },
                            { u"owner_name"_s, p.service }, { u"owner_is_controller"_s, u"true"_s } },
                1);
        }
        Labels container = podLabels(p);
        cpu.add(container, m_cpuSeconds.value(p.name));
        container.insert(u"node"_s, p.host);
        container.insert(u"resource"_s, u"cpu"_s);
        container.insert(u"unit"_s, u"core"_s);
        limits.add(container, cpuLimitCores);
        if (p.phase == PodPhase::CrashLoop) {
            Labels reason = podLabels(p);
            reason.insert(u"reason"_s, u"CrashLoopBackOff"_s);
            waiting.add(reason, 1);
        }
    }
    out << podOwner << rsOwner << limits << waiting << cpu << active;

    MetricFamily orders
        = family(u"orders_created_total"_s, "counter", "Orders created (checkout-svc's business counter).");
    for (auto it = m_orders.cbegin(); it != m_orders.cend(); ++it)
        orders.add({ { u"namespace"_s, ns }, { u"service"_s, it.key() } }, it.value());
    out << orders;

    MetricFamily requests
        = family(u"http_server_request_duration_seconds"_s, "histogram", "Duration of HTTP server requests.");
    for (const Requests &r : m_requests) {
        for (qsizetype i = 0; i < bucketBounds().size(); ++i) {
            Labels bucket = r.labels;
            bucket.insert(u"le"_s, Exposition::number(bucketBounds()[i]));
            requests.samples << MetricFamily::Sample { u"_bucket"_s, bucket, r.buckets[i] };
        }
        Labels inf = r.labels;
        inf.insert(u"le"_s, u"+Inf"_s);
        requests.samples << MetricFamily::Sample { u"_bucket"_s, inf, r.count }
                         << MetricFamily::Sample { u"_sum"_s, r.labels, r.sum }
                         << MetricFamily::Sample { u"_count"_s, r.labels, r.count };
    }
    out << requests;
    return out;
}

} // namespace antibody::sim

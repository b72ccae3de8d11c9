#pragma once

#include "engine/core/exposition.h"
#include "engine/core/time.h"
#include "simulator/world/fleet.h"

#include <QHash>
#include <QMap>
#include <optional>

namespace antibody::sim {

// The simulated fleet as the standard exporters would show it to a real Prometheus
// (docs/simulator.md, "Serving the fleet's metrics"): postgres_exporter's pg_*,
// kube-state-metrics' kube_* (the pod -> ReplicaSet -> Deployment owner chain the
// shipped rules join on, restarts, CPU limits, replicas), cAdvisor's CPU counter,
// the services' OpenTelemetry request histogram and checkout-svc's orders counter,
// blackbox_exporter's certificate expiry, and the three guard signals. Only raw
// series: the recorded ones (`service:...:ratio`) are for the scraping Prometheus
// to compute with rules/antibody.rules.yml.
//
// The counters are integrated here, from each `advance` to the next, out of the
// fleet's figures; the world itself keeps rates.
class ExporterMetrics
{
public:
    // Where the simulated Deployments live, as kube-state-metrics labels them.
    static constexpr char kubeNamespace[] = "default";
    // Each pod's CPU limit in cores: a pod at 100% uses one core.
    static constexpr double cpuLimitCores = 1.0;
    // The request histogram's bucket bounds: OpenTelemetry's defaults for HTTP server durations.
    static const QList<double> &bucketBounds();
    // A ReplicaSet's name as a Deployment controller gives it: the Deployment and a hash
    // of its pod template (here: of the version), as the pod-template-hash label.
    static QString replicaSetName(const QString &service, const QString &version);

    // Adds what the fleet did since the last call (its current figures over the time since) to the counters.
    void advance(const FleetState &fleet, TimePoint now);
    // The families at `now`. `wallOffset` is added to the fleet's Unix timestamps
    // (certificate expiry), so that the scraper's time() sees the days left the fleet sees.
    QList<MetricFamily> families(const FleetState &fleet, TimePoint now, Duration wallOffset) const;

private:
    struct Requests
    {
        Labels labels;
        QList<double> buckets; // cumulative, one per bound
        double count = 0;
        double sum = 0;
    };

    std::optional<TimePoint> m_last;
    QHash<QString, double> m_cpuSeconds; // pod -> container_cpu_usage_seconds_total
    QHash<QString, double> m_orders; // service -> orders_created_total
    QMap<QString, Requests> m_requests; // http_server_request_duration_seconds, by its labels' text
};

} // namespace antibody::sim

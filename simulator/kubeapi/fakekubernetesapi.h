#pragma once

#include "engine/core/clock.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

namespace antibody::sim {

class World;
struct Service;

// One request to the fake API, as the HTTP server hands it over.
struct KubeRequest
{
    QByteArray method; // GET, PATCH, POST, ...
    QString path; // decoded, without the query
    QString labelSelector; // the query's labelSelector
    QByteArray contentType;
    QByteArray authorization; // the Authorization header as sent
    QByteArray body;
};

struct KubeReply
{
    int status = 200;
    QByteArray body; // JSON: the object, or a meta/v1 Status
};

// A FAKE Kubernetes API server over the simulated fleet: no real cluster can run on
// these machines, and the real KubernetesExecutor (connectors/kubernetes) needs one to
// act on. It answers, in the API's documented JSON, the requests that executor makes,
// from the world as it is now, in namespace "default" (where kube-state-metrics' series
// put the fleet), one Deployment per service:
//   GET   /apis/apps/v1/namespaces/default/deployments/{service}           apps/v1 Deployment
//   GET   /apis/apps/v1/namespaces/default/deployments/{service}/scale     autoscaling/v1 Scale
//   PATCH /apis/apps/v1/namespaces/default/deployments/{service}/scale     merge patch of spec.replicas, or a
//                                                                           JSON patch (test, replace) of
//                                                                           /spec/replicas
//   GET   /apis/apps/v1/namespaces/default/replicasets?labelSelector=app={service}
//   GET   /apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers  (none: the fleet has no autoscaler)
//   GET   /api/v1/namespaces/default/pods?labelSelector=app={service}      the service's pods, with their
//                                                                           crash-loop, ready and terminating state
//   POST  /api/v1/namespaces/default/pods/{pod}/eviction                   policy/v1 Eviction
// and it acts on the world: an eviction replaces the pod (it drains and goes; its
// ReplicaSet starts a new pod, cold, so a crash loop caused inside the pod heals and one
// caused by its configuration follows), within the service's PodDisruptionBudget (429
// otherwise); a scale patch changes the service's replicas, and CPU and latency follow as
// the world models them. Every request needs the bearer token; every error is a meta/v1
// Status with the API's code and reason. It does not change pod templates (no rollback),
// watch, or list across namespaces.
class FakeKubernetesApi : public QObject
{
    Q_OBJECT
public:
    // `wall` converts the world's times into the timestamps a client compares with its own clock.
    FakeKubernetesApi(World &world, QByteArray token, const Clock &wall, QObject *parent = nullptr);

    static constexpr char kubeNamespace[] = "default";
    // A body larger than this is refused with 413 before it is parsed.
    static constexpr qsizetype maxBodyBytes = 1024 * 1024;
    // The most replicas a scale may ask of one simulated Deployment.
    static constexpr int maxReplicas = 100;

    KubeReply handle(const KubeRequest &request);

    struct Change
    {
        TimePoint at; // the world's time
        QString kind; // eviction | scale
        QString object; // the pod evicted, or the deployment scaled
        QString detail; // one line a human reads
    };
    const QList<Change> &changes() const { return m_changes; }
    int requests() const { return m_requests; }
    int refused() const { return m_refused; } // answered with an error Status

Q_SIGNALS:
    void changed(const antibody::sim::FakeKubernetesApi::Change &change);

private:
    KubeReply route(const KubeRequest &r);
    KubeReply deploymentRoutes(const KubeRequest &r, Service &svc, const QString &rest);
    KubeReply evict(const KubeRequest &r, const QString &pod);
    KubeReply patchScale(const KubeRequest &r, Service &svc);
    QJsonObject deploymentJson(const Service &svc) const;
    QJsonObject scaleJson(const Service &svc) const;
    QJsonObject podsJson(const QString &selector) const;
    QJsonObject replicaSetsJson(const QString &selector) const;
    Service *serviceOfSelector(const QString &selector) const;
    QDateTime wallTime(TimePoint t) const;
    void record(const QString &kind, const QString &object, const QString &detail);

    World &m_world;
    QByteArray m_token;
    const Clock &m_wall;
    QList<Change> m_changes;
    int m_requests = 0;
    int m_refused = 0;
};

} // namespace antibody::sim

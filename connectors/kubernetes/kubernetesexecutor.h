#pragma once

#include "connectors/config/configuration.h"
#include "connectors/http/httpclient.h"
#include "connectors/kubernetes/kubeaccess.h"
#include "engine/ports/actionexecutor.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <optional>

namespace antibody {

// The `workload` family on Kubernetes, over the REST API. A service is the
// Deployment `workloads` maps it to (or, with `unmapped_services: allow`, the one of
// its name); any other service is refused before a request is sent. Its pods are the fleet.
//   restart_pods         evicts each pod through the Eviction API, so
//                        PodDisruptionBudgets hold. A refusal (HTTP 429) stops
//                        the pass as `blocked`; the executor never falls back to
//                        deleting the pod.
//   scale                changes spec.replicas through the scale subresource from the
//                        count the plan read, by no more than its cap, with a JSON-patch
//                        test of that count; refused when the count moved since the plan,
//                        or when a HorizontalPodAutoscaler owns it (unless allow_hpa).
//   rollback_deployment  puts the pod template of the revision the plan fixed back (what
//                        `kubectl rollout undo` does), in one change: refused when the
//                        deployment is no longer on the revision the plan saw, or when
//                        its rollout could take more pods out of service at once than
//                        the cap; guarded by the resourceVersion it read, so a
//                        concurrent change is not overwritten.
class KubernetesExecutor : public QObject, public ActionExecutor
{
    Q_OBJECT
public:
    KubernetesExecutor(KubernetesConfig config, KubeAccess access, QObject *parent = nullptr);

    QString family() const override;
    QStringList actions() const override;
    void fleet(const TargetQuery &query, std::function<void(const Fleet &)> done) override;
    void execute(const ActionRequest &request, std::function<void(const ActionResult &)> done) override;

    QString insecureWarning() const;
    QString describe() const { return m_access.describe; }

private:
    struct Call
    {
        int status = 0;
        QByteArray body;
        QString error; // set unless 2xx: names the request, says what the server said
        bool ok() const { return error.isEmpty(); }
    };
    struct Workload
    {
        QString ns;
        QString deployment;
        QString error;
    };
    Call call(HttpRequest::Method method, const QString &path, const Cancellation &c, const QByteArray &body = {},
        const QByteArray &contentType = {}) const;
    Workload workloadOf(const QString &service) const;
    // The deployment and its pods, read now.
    struct Pods
    {
        QJsonObject deployment;
        QList<QJsonObject> pods;
        QString error;
    };
    Pods readPods(const Workload &w, const Cancellation &c) const;
    // The ReplicaSets of the deployment's selector (its revision history).
    std::optional<QJsonArray> readReplicaSets(
        const Workload &w, const QJsonObject &deployment, const Cancellation &c, QString *error) const;
    // spec.replicas of the deployment's scale subresource.
    std::optional<int> readReplicas(const Workload &w, const Cancellation &c, QString *error) const;
    // The HorizontalPodAutoscaler whose scaleTargetRef is the deployment; empty when none
    // (and when it cannot tell: then `error` says so, and what to do).
    QString readAutoscaler(const Workload &w, const Cancellation &c, QString *error) const;

    Fleet readFleet(const TargetQuery &query, const Cancellation &c) const;
    ActionResult restart(const ActionRequest &request, const Cancellation &c) const;
    ActionResult scale(const ActionRequest &request, const Cancellation &c) const;
    ActionResult rollback(const ActionRequest &request, const Cancellation &c) const;

    KubernetesConfig m_config;
    KubeAccess m_access;
    KubeToken m_token;
    HttpClient m_http; // last: destroyed first, so no worker outlives the members above
};

} // namespace antibody

#pragma once

#include "testhttpserver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>

namespace antibody::test {

// A FAKE Kubernetes API server: no real one can run on these machines. It is
// built from the API's documented requests and answers for what the workload
// executor uses, and nothing more:
//   GET   /apis/apps/v1/namespaces/{ns}/deployments/{name}           apps/v1 Deployment
//   PATCH /apis/apps/v1/namespaces/{ns}/deployments/{name}           JSON patch (test, replace)
//   GET   /apis/apps/v1/namespaces/{ns}/deployments/{name}/scale     autoscaling/v1 Scale
//   PATCH /apis/apps/v1/namespaces/{ns}/deployments/{name}/scale     merge patch of spec.replicas, or a JSON
//                                                                     patch (test, replace) of /spec/replicas
//   GET   /apis/apps/v1/namespaces/{ns}/replicasets?labelSelector=   ReplicaSetList
//   GET   /apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers  HorizontalPodAutoscalerList
//   GET   /api/v1/namespaces/{ns}/pods?labelSelector=                PodList
//   POST  /api/v1/namespaces/{ns}/pods/{name}/eviction               policy/v1 Eviction: 201, or
//                                                                     429 when the PodDisruptionBudget would break
// One deployment, a bearer token, and a budget; errors are meta/v1 Status objects. Its JSON
// comes from simulator/kubeapi/kubeobjects.h, which the simulated fleet's fake API
// (`antibodyctl simulate --serve-kubernetes`) answers with too.
// As on a real cluster, an evicted pod stays listed with a deletionTimestamp (and not
// Ready) until its grace period ends (finishTerminations()), and its replacement is
// listed at once, new and not ready yet.
class FakeKubernetes : public QObject
{
    Q_OBJECT
public:
    struct Pod
    {
        QString name;
        QString hash; // pod-template-hash of the ReplicaSet that made it
        bool ready = true;
        bool crashLooping = false;
        int restarts = 0;
        bool terminating = false; // metadata.deletionTimestamp is set
        QDateTime created = QDateTime::currentDateTimeUtc();
    };

    FakeKubernetes(QString ns, QString deployment, int replicas, QObject *parent = nullptr);

    bool listen() { return m_server.listen(); }
    QUrl url() const { return m_server.url(); }
    QString token() const { return m_token; }
    TestHttpServer &server() { return m_server; }

    // A PodDisruptionBudget with minAvailable; -1: none.
    void setMinAvailable(int n) { m_minAvailable = n; }
    // Deploys a new image: a new ReplicaSet, a new revision, new pods.
    void deploy(const QString &image);
    QList<Pod> &pods() { return m_pods; }
    // Terminating pods are gone: their grace period ended.
    void finishTerminations();
    // A HorizontalPodAutoscaler of this name whose scaleTargetRef is the deployment; empty: none.
    void setAutoscaler(const QString &name) { m_autoscaler = name; }
    // The service account may not list autoscalers (RBAC): 403.
    void forbidAutoscalers() { m_autoscalersForbidden = true; }
    // spec.strategy of the deployment ({} : none given, the API's default RollingUpdate 25%/25%).
    void setStrategy(const QJsonObject &strategy) { m_strategy = strategy; }
    // spec.replicas changes without the pods following yet (someone else scaled).
    void setReplicas(int n)
    {
        m_replicas = n;
        ++m_resourceVersion;
    }
    // The next read of the deployment is followed at once by someone else's change.
    void changeAfterNextRead() { m_changeAfterRead = true; }
    int replicas() const { return m_replicas; }
    qint64 revision() const { return m_revision; }
    QString image() const;
    QStringList requestLines() const; // "POST /api/v1/namespaces/shop/pods/x/eviction", in order

private:
    struct ReplicaSet
    {
        QString hash;
        qint64 revision = 0;
        QJsonObject podTemplate; // without the hash label
    };
    TestReply handle(const TestRequest &request);
    TestReply status(int code, const QString &reason, const QString &message, const QJsonArray &causes = {}) const;
    QJsonObject deploymentJson() const;
    QJsonObject scaleJson() const;
    QJsonObject podJson(const Pod &pod) const;
    QJsonObject autoscalerListJson() const;
    TestReply patchScale(const TestRequest &r);
    void makePods(const QString &hash, int count);
    void resize(int replicas);
    QString selector() const;
    QString newName();

    TestHttpServer m_server;
    QString m_ns;
    QString m_name;
    QString m_uid = QStringLiteral("5c0ffee0-0000-4000-8000-000000000001");
    QString m_token = QStringLiteral("fake-service-account-token");
    int m_replicas = 0;
    int m_minAvailable = -1;
    qint64 m_revision = 0;
    qint64 m_resourceVersion = 1000;
    int m_counter = 0;
    bool m_changeAfterRead = false;
    bool m_autoscalersForbidden = false;
    QString m_autoscaler;
    QJsonObject m_strategy;
    QJsonObject m_annotations;
    QList<ReplicaSet> m_sets;
    QList<Pod> m_pods;
};

} // namespace antibody::test

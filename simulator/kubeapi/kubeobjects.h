#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <optional>

// The Kubernetes API's objects as the fakes answer them (the API's documented JSON, only
// the fields KubernetesExecutor reads): the simulated fleet's fake API server
// (FakeKubernetesApi) and the connector tests' fake (tests/connectors/support/fakekubernetes)
// both build their answers here, so the two fakes cannot drift apart.
namespace antibody::sim::kubeobjects {

// A meta/v1 Status: what the API server answers on every error (and on an eviction).
QJsonObject status(int code, const QString &reason, const QString &message, const QJsonArray &causes = {});

struct PodView
{
    QString name;
    QString ns;
    QJsonObject labels; // app, pod-template-hash
    QString node;
    bool ready = true;
    bool crashLooping = false; // containerStatuses[].state.waiting.reason CrashLoopBackOff
    int restarts = 0;
    QDateTime created;
    std::optional<QDateTime> deletion; // metadata.deletionTimestamp: terminating
};
QJsonObject pod(const PodView &p);

struct DeploymentView
{
    QString name;
    QString ns;
    QString uid;
    QString resourceVersion;
    int replicas = 0;
    QJsonObject matchLabels;
    QJsonObject podTemplate;
    QJsonObject strategy; // empty: none given
    QJsonObject annotations; // deployment.kubernetes.io/revision, ...
};
QJsonObject deployment(const DeploymentView &d);

// The autoscaling/v1 Scale subresource of a deployment.
QJsonObject scale(const QString &name, const QString &ns, const QString &resourceVersion, int specReplicas,
    int statusReplicas, const QString &selector);

// A ReplicaSet owned by the deployment whose uid is `owner`: its template carries the hash label.
QJsonObject replicaSet(const QString &deployment, const QString &ns, const QString &hash, qint64 revision,
    const QString &owner, const QJsonObject &podTemplate);

// A pod template with one container running `image`, labelled with `matchLabels`.
QJsonObject podTemplate(const QJsonObject &matchLabels, const QString &image);
// The container image of a pod template (its first container's).
QString imageOf(const QJsonObject &podTemplate);

// {"kind": KIND, "apiVersion": ..., "items": [...]}
QJsonObject list(const QString &kind, const QString &apiVersion, const QJsonArray &items);

QByteArray compact(const QJsonObject &o);

// A PATCH of the scale subresource as the API server reads it: a merge patch of
// spec.replicas, or a JSON patch whose `test` ops must hold against `current` and whose
// `replace` sets /spec/replicas. Either the new count or the Status to answer.
struct ScalePatch
{
    std::optional<int> replicas;
    QJsonObject error; // a Status when replicas is empty
};
ScalePatch readScalePatch(const QByteArray &contentType, const QByteArray &body, int current);

} // namespace antibody::sim::kubeobjects

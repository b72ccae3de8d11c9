#pragma once

#include "engine/ports/actionexecutor.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace antibody::kubernetesjson {

// Readers of the Kubernetes objects the workload executor uses (core/v1 Pod,
// apps/v1 Deployment and ReplicaSet, autoscaling/v1 Scale, meta/v1 Status).

// A pod as a fleet member: running, starting, crashloop or terminating (a
// deletionTimestamp: evicted, still listed while it shuts down); healthy when Ready;
// version from app.kubernetes.io/version (else the template hash); age_seconds since
// its creation at `now`, so a replacement still starting is not taken for a failing pod.
Target podTarget(const QJsonObject &pod, const QString &service, const QDateTime &now);

// A deployment's spec.selector.matchLabels as a label selector ("app=checkout,tier=web");
// empty with `error` set when it has none or uses matchExpressions.
QString labelSelector(const QJsonObject &deployment, QString *error);

// metadata.annotations["deployment.kubernetes.io/revision"], or 0.
qint64 revisionOf(const QJsonObject &object);

// Whether `object` is owned (metadata.ownerReferences) by the object with this uid.
bool ownedBy(const QJsonObject &object, const QString &uid);

// The name of the HorizontalPodAutoscaler (of a list's items) whose scaleTargetRef is this
// Deployment; empty when none.
QString autoscalerOf(const QJsonArray &autoscalers, const QString &deployment);

// What a Status answer says, for a human: "Cannot evict pod as it would violate the
// pod's disruption budget. (The disruption budget checkout-pdb needs 2 healthy pods
// and has 2 currently)". Empty when the body is not a Status.
QString statusMessage(const QByteArray &body);

// The body as a JSON object, or nullopt when it is not one.
std::optional<QJsonObject> object(const QByteArray &body);

} // namespace antibody::kubernetesjson

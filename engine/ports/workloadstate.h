#pragma once

#include <QString>
#include <optional>

namespace antibody {

// One revision of a workload, as the platform records it (a Kubernetes ReplicaSet).
struct WorkloadRevision
{
    QString number; // "2" (deployment.kubernetes.io/revision); the simulator's are version names
    QString templateHash; // which pod template (pod-template-hash); empty where the platform has none
    QString replicaSet; // the ReplicaSet's uid; empty where the platform has none

    bool isKnown() const { return !number.isEmpty(); }
    // "revision 2 (template 5d8f9c0a1b)"
    QString text() const;
};

// The one object a whole-object action changes (a deployment), read with its fleet:
// `scale` and `rollback_deployment` plan from it, never from the pods listed, which
// during a rollout include surge pods and pods on their way out.
struct WorkloadState
{
    QString name; // "shop/checkout"
    std::optional<int> replicas; // spec.replicas (the scale subresource): what `scale` changes
    QString autoscaler; // a HorizontalPodAutoscaler whose scaleTargetRef names it; empty: none
    WorkloadRevision revision; // the revision its pod template is now
    WorkloadRevision rollbackTo; // where `rollback_deployment` (the query's `to_revision`) would return
    QString noRollback; // why there is no such revision
};

// What a plan fixes about a whole object, in the step's parameters (and so in the plan's
// fingerprint, which an approval binds to). The executor acts only while the object is
// still where the plan found it, and refuses ("blocked") otherwise.
namespace pinned {
inline const QString rollbackFrom = QStringLiteral("rollback_from"); // revision number
inline const QString rollbackFromTemplate = QStringLiteral("rollback_from_template"); // its template hash
inline const QString rollbackTo = QStringLiteral("rollback_to"); // revision number
inline const QString rollbackToTemplate = QStringLiteral("rollback_to_template"); // its template hash
inline const QString rollbackToReplicaSet = QStringLiteral("rollback_to_replicaset"); // its ReplicaSet's uid
inline const QString scaleFrom = QStringLiteral("scale_from"); // spec.replicas planned from
inline const QString scaleTo = QStringLiteral("scale_to"); // spec.replicas after the step
inline const QString capPerCycle
    = QStringLiteral("cap_per_cycle"); // the blast radius's cap: replicas changed, or pods out of service at once
} // namespace pinned

} // namespace antibody

#pragma once

#include "engine/ports/workloadstate.h"

#include <QJsonArray>
#include <QJsonObject>
#include <optional>

namespace antibody {

// A deployment's revisions, read from the ReplicaSets it owns (what `kubectl rollout
// history` shows): the one it runs now, and the one a rollback would return to.
class RolloutHistory
{
public:
    RolloutHistory(const QJsonObject &deployment, const QJsonArray &replicaSets);

    // The revision of the deployment's pod template now.
    WorkloadRevision current() const { return m_current; }
    // `wanted` is "previous" (the newest before the current one) or a revision number.
    // Unknown, with `why` set, when there is none.
    WorkloadRevision find(const QString &wanted, QString *why) const;
    // The ReplicaSet with this uid, or an empty object.
    QJsonObject replicaSet(const QString &uid) const;

    // How many pods the deployment's rollout may take out of service at once (its
    // strategy's maxUnavailable, resolved as the controller does); nullopt when it
    // replaces them all at once (Recreate).
    static std::optional<int> maxUnavailable(const QJsonObject &deployment);

private:
    WorkloadRevision revisionOf(const QJsonObject &replicaSet) const;

    QString m_name;
    QList<QJsonObject> m_owned; // the deployment's ReplicaSets
    WorkloadRevision m_current;
};

} // namespace antibody

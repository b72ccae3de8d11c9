#include "connectors/kubernetes/rollouthistory.h"

#include "connectors/kubernetes/kubernetesjson.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// An IntOrString of a rolling update: 2, or "25%" of the replicas.
std::optional<int> resolve(const QJsonValue &v, const QString &fallback, int replicas, bool roundUp)
{
    if (v.isDouble())
        return v.toInt();
    QString text = v.isString() ? v.toString() : fallback;
    if (!text.endsWith(u'%'))
        return std::nullopt;
    text.chop(1);
    bool ok = false;
    const double percent = text.toDouble(&ok);
    if (!ok)
        return std::nullopt;
    const double share = percent * replicas / 100.0;
    return static_cast<int>(roundUp ? std::ceil(share) : std::floor(share));
}

} // namespace

RolloutHistory::RolloutHistory(const QJsonObject &deployment, const QJsonArray &replicaSets)
{
    const QJsonObject meta = deployment.value(u"metadata"_s).toObject();
    m_name = u"%1/%2"_s.arg(meta.value(u"namespace"_s).toString(), meta.value(u"name"_s).toString());
    const QString uid = meta.value(u"uid"_s).toString();
    const qint64 now = kubernetesjson::revisionOf(deployment);
    for (const QJsonValue &v : replicaSets) {
        const QJsonObject rs = v.toObject();
        if (!kubernetesjson::ownedBy(rs, uid))
            continue;
        m_owned << rs;
        if (kubernetesjson::revisionOf(rs) == now)
            m_current = revisionOf(rs);
    }
    if (!m_current.isKnown() && now > 0)
        m_current.number = QString::number(now); // its ReplicaSet is not listed (yet)
}

WorkloadRevision RolloutHistory::revisionOf(const QJsonObject &rs) const
{
    const QJsonObject meta = rs.value(u"metadata"_s).toObject();
    WorkloadRevision r;
    r.number = QString::number(kubernetesjson::revisionOf(rs));
    r.replicaSet = meta.value(u"uid"_s).toString();
    r.templateHash = meta.value(u"labels"_s).toObject().value(u"pod-template-hash"_s).toString();
    if (r.templateHash.isEmpty())
        r.templateHash = rs.value(u"spec"_s)
                             .toObject()
                             .value(u"template"_s)
                             .toObject()
                             .value(u"metadata"_s)
                             .toObject()
                             .value(u"labels"_s)
                             .toObject()
                             .value(u"pod-template-hash"_s)
                             .toString();
    return r;
}

WorkloadRevision RolloutHistory::find(const QString &wanted, QString *why) const
{
    const qint64 now = m_current.number.toLongLong();
    const bool previous = wanted.isEmpty() || wanted == u"previous"_s;
    const QJsonObject *best = nullptr;
    qint64 bestRevision = 0;
    for (const QJsonObject &rs : m_owned) {
        const qint64 revision = kubernetesjson::revisionOf(rs);
        if (revision == now)
            continue;
        const bool matches = previous ? revision < now && revision > bestRevision : QString::number(revision) == wanted;
        if (matches) {
            best = &rs;
            bestRevision = revision;
        }
    }
    if (best)
        return revisionOf(*best);
    *why = previous ? u"%1 has no earlier revision than %2 to return to"_s.arg(m_name, m_current.number)
                    : u"%1 has no revision %2 (it is on %3)"_s.arg(m_name, wanted, m_current.number);
    return {};
}

QJsonObject RolloutHistory::replicaSet(const QString &uid) const
{
    for (const QJsonObject &rs : m_owned) {
        if (!uid.isEmpty() && rs.value(u"metadata"_s).toObject().value(u"uid"_s).toString() == uid)
            return rs;
    }
    return {};
}

std::optional<int> RolloutHistory::maxUnavailable(const QJsonObject &deployment)
{
    const QJsonObject spec = deployment.value(u"spec"_s).toObject();
    const QJsonObject strategy = spec.value(u"strategy"_s).toObject();
    if (strategy.value(u"type"_s).toString() == u"Recreate"_s)
        return std::nullopt;
    const int replicas = spec.contains(u"replicas"_s) ? spec.value(u"replicas"_s).toInt() : 1;
    const QJsonObject rolling = strategy.value(u"rollingUpdate"_s).toObject();
    // The API's defaults are 25% each; surge rounds up, unavailable down, and both at
    // zero would never progress, so the controller then allows one unavailable.
    const auto surge = resolve(rolling.value(u"maxSurge"_s), u"25%"_s, replicas, true);
    const auto unavailable = resolve(rolling.value(u"maxUnavailable"_s), u"25%"_s, replicas, false);
    if (!surge || !unavailable)
        return std::nullopt; // unreadable: assume the worst
    return *surge == 0 && *unavailable == 0 ? 1 : *unavailable;
}

} // namespace antibody

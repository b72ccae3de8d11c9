#include "connectors/kubernetes/kubernetesjson.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody::kubernetesjson {

std::optional<QJsonObject> object(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

Target podTarget(const QJsonObject &pod, const QString &service, const QDateTime &now)
{
    const QJsonObject meta = pod.value(u"metadata"_s).toObject();
    const QJsonObject spec = pod.value(u"spec"_s).toObject();
    const QJsonObject status = pod.value(u"status"_s).toObject();
    const QJsonObject labels = meta.value(u"labels"_s).toObject();
    Target t;
    t.name = meta.value(u"name"_s).toString();
    t.labels.insert(u"service"_s, service);
    const QString version = labels.value(u"app.kubernetes.io/version"_s).toString();
    t.labels.insert(u"version"_s, version.isEmpty() ? labels.value(u"pod-template-hash"_s).toString() : version);
    if (const QString node = spec.value(u"nodeName"_s).toString(); !node.isEmpty())
        t.labels.insert(u"node"_s, node);

    bool ready = false;
    for (const QJsonValue &c : status.value(u"conditions"_s).toArray()) {
        const QJsonObject condition = c.toObject();
        if (condition.value(u"type"_s).toString() == u"Ready"_s)
            ready = condition.value(u"status"_s).toString() == u"True"_s;
    }
    double restarts = 0;
    bool crashLooping = false;
    for (const QJsonValue &c : status.value(u"containerStatuses"_s).toArray()) {
        const QJsonObject container = c.toObject();
        restarts += container.value(u"restartCount"_s).toDouble();
        if (container.value(u"state"_s).toObject().value(u"waiting"_s).toObject().value(u"reason"_s).toString()
            == u"CrashLoopBackOff"_s)
            crashLooping = true;
    }
    t.metrics.insert(u"restarts_recent"_s, restarts);
    const QDateTime created = QDateTime::fromString(meta.value(u"creationTimestamp"_s).toString(), Qt::ISODate);
    if (created.isValid())
        t.metrics.insert(u"age_seconds"_s, std::max<qint64>(0, created.secsTo(now)));
    if (meta.contains(u"deletionTimestamp"_s))
        t.state = u"terminating"_s;
    else if (crashLooping)
        t.state = u"crashloop"_s;
    else if (status.value(u"phase"_s).toString() == u"Running"_s && ready)
        t.state = u"running"_s;
    else
        t.state = u"starting"_s;
    t.healthy = ready && !crashLooping && t.state != u"terminating"_s;
    return t;
}

QString labelSelector(const QJsonObject &deployment, QString *error)
{
    const QJsonObject selector = deployment.value(u"spec"_s).toObject().value(u"selector"_s).toObject();
    if (selector.contains(u"matchExpressions"_s) && !selector.value(u"matchExpressions"_s).toArray().isEmpty()) {
        *error = u"its selector uses matchExpressions, which the executor does not read; use matchLabels"_s;
        return {};
    }
    const QJsonObject labels = selector.value(u"matchLabels"_s).toObject();
    QStringList parts;
    for (auto it = labels.begin(); it != labels.end(); ++it)
        parts << it.key() + u'=' + it.value().toString();
    if (parts.isEmpty())
        *error = u"it has no spec.selector.matchLabels"_s;
    return parts.join(u',');
}

qint64 revisionOf(const QJsonObject &o)
{
    return o.value(u"metadata"_s)
        .toObject()
        .value(u"annotations"_s)
        .toObject()
        .value(u"deployment.kubernetes.io/revision"_s)
        .toString()
        .toLongLong();
}

bool ownedBy(const QJsonObject &o, const QString &uid)
{
    for (const QJsonValue &ref : o.value(u"metadata"_s).toObject().value(u"ownerReferences"_s).toArray()) {
        if (ref.toObject().value(u"uid"_s).toString() == uid)
            return true;
    }
    return false;
}

QString autoscalerOf(const QJsonArray &autoscalers, const QString &deployment)
{
    for (const QJsonValue &v : autoscalers) {
        const QJsonObject hpa = v.toObject();
        const QJsonObject ref = hpa.value(u"spec"_s).toObject().value(u"scaleTargetRef"_s).toObject();
        if (ref.value(u"kind"_s).toString() == u"Deployment"_s && ref.value(u"name"_s).toString() == deployment)
            return hpa.value(u"metadata"_s).toObject().value(u"name"_s).toString();
    }
    return {};
}

QString statusMessage(const QByteArray &body)
{
    const auto o = object(body);
    if (!o || o->value(u"kind"_s).toString() != u"Status"_s)
        return {};
    QString message = o->value(u"message"_s).toString().left(300);
    QStringList causes;
    for (const QJsonValue &c : o->value(u"details"_s).toObject().value(u"causes"_s).toArray()) {
        const QString m = c.toObject().value(u"message"_s).toString().left(200);
        if (!m.isEmpty())
            causes << m;
    }
    if (!causes.isEmpty())
        message += u" ("_s + causes.join(u"; "_s) + u')';
    return message;
}

} // namespace antibody::kubernetesjson

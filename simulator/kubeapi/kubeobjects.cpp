#include "simulator/kubeapi/kubeobjects.h"

#include <QJsonDocument>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace antibody::sim::kubeobjects {
namespace {

QString stamp(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

// A JSON number that is a whole count of replicas.
std::optional<int> count(const QJsonValue &v)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (d < 0 || d > std::numeric_limits<int>::max() || std::floor(d) != d)
        return std::nullopt;
    return static_cast<int>(d);
}

QJsonObject invalid(const QString &message)
{
    return status(422, u"Invalid"_s, message);
}

} // namespace

QJsonObject status(int code, const QString &reason, const QString &message, const QJsonArray &causes)
{
    QJsonObject s { { u"kind"_s, u"Status"_s }, { u"apiVersion"_s, u"v1"_s }, { u"metadata"_s, QJsonObject {} },
        { u"status"_s, code < 300 ? u"Success"_s : u"Failure"_s }, { u"message"_s, message }, { u"reason"_s, reason },
        { u"code"_s, code } };
    if (!causes.isEmpty())
        s.insert(u"details"_s, QJsonObject { { u"causes"_s, causes } });
    return s;
}

QJsonObject pod(const PodView &p)
{
    QJsonObject containerStatus { { u"name"_s, u"app"_s }, { u"ready"_s, p.ready }, { u"restartCount"_s, p.restarts } };
    if (p.crashLooping)
        containerStatus.insert(
            u"state"_s, QJsonObject { { u"waiting"_s, QJsonObject { { u"reason"_s, u"CrashLoopBackOff"_s } } } });
    QJsonObject meta { { u"name"_s, p.name }, { u"namespace"_s, p.ns }, { u"creationTimestamp"_s, stamp(p.created) },
        { u"labels"_s, p.labels } };
    if (p.deletion)
        meta.insert(u"deletionTimestamp"_s, stamp(*p.deletion));
    return { { u"apiVersion"_s, u"v1"_s }, { u"kind"_s, u"Pod"_s }, { u"metadata"_s, meta },
        { u"spec"_s, QJsonObject { { u"nodeName"_s, p.node } } },
        { u"status"_s,
            QJsonObject { { u"phase"_s, p.ready || p.crashLooping ? u"Running"_s : u"Pending"_s },
                { u"conditions"_s,
                    QJsonArray { QJsonObject {
                        { u"type"_s, u"Ready"_s }, { u"status"_s, p.ready ? u"True"_s : u"False"_s } } } },
                { u"containerStatuses"_s, QJsonArray { containerStatus } } } } };
}

QJsonObject deployment(const DeploymentView &d)
{
    QJsonObject spec { { u"replicas"_s, d.replicas },
        { u"selector"_s, QJsonObject { { u"matchLabels"_s, d.matchLabels } } }, { u"template"_s, d.podTemplate } };
    if (!d.strategy.isEmpty())
        spec.insert(u"strategy"_s, d.strategy);
    return { { u"apiVersion"_s, u"apps/v1"_s }, { u"kind"_s, u"Deployment"_s },
        { u"metadata"_s,
            QJsonObject { { u"name"_s, d.name }, { u"namespace"_s, d.ns }, { u"uid"_s, d.uid },
                { u"resourceVersion"_s, d.resourceVersion }, { u"annotations"_s, d.annotations } } },
        { u"spec"_s, spec } };
}

QJsonObject scale(const QString &name, const QString &ns, const QString &resourceVersion, int specReplicas,
    int statusReplicas, const QString &selector)
{
    return { { u"kind"_s, u"Scale"_s }, { u"apiVersion"_s, u"autoscaling/v1"_s },
        { u"metadata"_s,
            QJsonObject { { u"name"_s, name }, { u"namespace"_s, ns }, { u"resourceVersion"_s, resourceVersion } } },
        { u"spec"_s, QJsonObject { { u"replicas"_s, specReplicas } } },
        { u"status"_s, QJsonObject { { u"replicas"_s, statusReplicas }, { u"selector"_s, selector } } } };
}

QJsonObject replicaSet(const QString &deployment, const QString &ns, const QString &hash, qint64 revision,
    const QString &owner, const QJsonObject &podTemplate)
{
    QJsonObject withHash = podTemplate;
    QJsonObject meta = withHash.value(u"metadata"_s).toObject();
    QJsonObject labels = meta.value(u"labels"_s).toObject();
    labels.insert(u"pod-template-hash"_s, hash);
    meta.insert(u"labels"_s, labels);
    withHash.insert(u"metadata"_s, meta);
    // A stable uid per ReplicaSet, shaped like the API server's.
    const QString uid = u"7e5e7000-0000-4000-8000-%1"_s.arg(hash.left(12).leftJustified(12, u'0'));
    return { { u"apiVersion"_s, u"apps/v1"_s }, { u"kind"_s, u"ReplicaSet"_s },
        { u"metadata"_s,
            QJsonObject { { u"name"_s, deployment + u'-' + hash }, { u"namespace"_s, ns }, { u"uid"_s, uid },
                { u"labels"_s, labels },
                { u"annotations"_s,
                    QJsonObject { { u"deployment.kubernetes.io/revision"_s, QString::number(revision) } } },
                { u"ownerReferences"_s,
                    QJsonArray { QJsonObject { { u"kind"_s, u"Deployment"_s }, { u"name"_s, deployment },
                        { u"uid"_s, owner }, { u"controller"_s, true } } } } } },
        { u"spec"_s, QJsonObject { { u"template"_s, withHash } } } };
}

QJsonObject podTemplate(const QJsonObject &matchLabels, const QString &image)
{
    return { { u"metadata"_s, QJsonObject { { u"labels"_s, matchLabels } } },
        { u"spec"_s,
            QJsonObject { { u"containers"_s,
                QJsonArray { QJsonObject { { u"name"_s, u"app"_s }, { u"image"_s, image } } } } } } };
}

QString imageOf(const QJsonObject &podTemplate)
{
    return podTemplate.value(u"spec"_s)
        .toObject()
        .value(u"containers"_s)
        .toArray()
        .first()
        .toObject()
        .value(u"image"_s)
        .toString();
}

QJsonObject list(const QString &kind, const QString &apiVersion, const QJsonArray &items)
{
    return { { u"kind"_s, kind }, { u"apiVersion"_s, apiVersion }, { u"metadata"_s, QJsonObject {} },
        { u"items"_s, items } };
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

ScalePatch readScalePatch(const QByteArray &contentType, const QByteArray &body, int current)
{
    ScalePatch out;
    // A media type may carry parameters: application/json-patch+json; charset=utf-8.
    const QByteArray type = contentType.split(';').first().trimmed().toLower();
    QJsonParseError parse {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parse);
    if (type != "application/merge-patch+json" && type != "application/json-patch+json") {
        out.error = status(415, u"UnsupportedMediaType"_s,
            u"the body of the request was in an unknown format - accepted media types include: "
            u"application/json-patch+json, application/merge-patch+json"_s);
        return out;
    }
    if (parse.error != QJsonParseError::NoError) {
        out.error = status(400, u"BadRequest"_s,
            u"error decoding patch: %1 at offset %2"_s.arg(parse.errorString()).arg(parse.offset));
        return out;
    }
    if (type == "application/merge-patch+json") {
        if (!doc.isObject()) {
            out.error = status(400, u"BadRequest"_s, u"error decoding patch: a merge patch is a JSON object"_s);
            return out;
        }
        const QJsonValue spec = doc.object().value(u"spec"_s);
        const auto replicas = count(spec.toObject().value(u"replicas"_s));
        if (!spec.isObject() || !replicas) {
            out.error = invalid(u"spec.replicas: Invalid value: must be a whole number of 0 or more"_s);
            return out;
        }
        out.replicas = replicas;
        return out;
    }
    if (!doc.isArray()) {
        out.error = status(400, u"BadRequest"_s, u"error decoding patch: a JSON patch is an array of operations"_s);
        return out;
    }
    std::optional<int> replicas;
    for (const QJsonValue &v : doc.array()) {
        const QJsonObject op = v.toObject();
        const QString what = op.value(u"op"_s).toString();
        if (op.value(u"path"_s).toString() != u"/spec/replicas"_s || (what != u"test"_s && what != u"replace"_s)) {
            out.error
                = invalid(u"the fake Kubernetes API patches only /spec/replicas of a scale, with test and replace"_s);
            return out;
        }
        const auto value = count(op.value(u"value"_s));
        if (!value) {
            out.error = invalid(u"spec.replicas: Invalid value: must be a whole number of 0 or more"_s);
            return out;
        }
        if (what == u"test"_s && *value != current) {
            out.error = invalid(u"the server rejected our request due to an error in our request: test of "
                                u"/spec/replicas failed: it is %1, not %2"_s.arg(current)
                                    .arg(*value));
            return out;
        }
        if (what == u"replace"_s)
            replicas = value;
    }
    if (!replicas) {
        out.error = invalid(u"the patch sets no /spec/replicas"_s);
        return out;
    }
    out.replicas = replicas;
    return out;
}

} // namespace antibody::sim::kubeobjects

#include "fakekubernetes.h"

#include "simulator/kubeapi/kubeobjects.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace antibody::test {
namespace kubeobjects = sim::kubeobjects;
namespace {

QByteArray json(const QJsonObject &o)
{
    return kubeobjects::compact(o);
}

QString hashOf(const QJsonObject &podTemplate)
{
    return QString::fromLatin1(QCryptographicHash::hash(json(podTemplate), QCryptographicHash::Sha1).toHex().left(10));
}

} // namespace

FakeKubernetes::FakeKubernetes(QString ns, QString deployment, int replicas, QObject *parent)
    : QObject(parent)
    , m_ns(std::move(ns))
    , m_name(std::move(deployment))
    , m_replicas(replicas)
{
    m_server.setHandler([this](const TestRequest &r) { return handle(r); });
    deploy(u"registry.example/checkout:1.0"_s);
    for (Pod &p : m_pods)
        p.created = p.created.addSecs(-3600); // serving for an hour when a test begins
}

void FakeKubernetes::finishTerminations()
{
    m_pods.removeIf([](const Pod &p) { return p.terminating; });
}

QString FakeKubernetes::newName()
{
    return u"%1-%2"_s.arg(m_name).arg(++m_counter);
}

QString FakeKubernetes::selector() const
{
    return u"app="_s + m_name;
}

QString FakeKubernetes::image() const
{
    for (const ReplicaSet &rs : m_sets) {
        if (rs.revision == m_revision)
            return kubeobjects::imageOf(rs.podTemplate);
    }
    return {};
}

QStringList FakeKubernetes::requestLines() const
{
    QStringList out;
    for (const TestRequest &r : m_server.requests())
        out << QString::fromUtf8(r.method + ' ' + r.path);
    return out;
}

void FakeKubernetes::makePods(const QString &hash, int count)
{
    for (int i = 0; i < count; ++i)
        m_pods.append(Pod { newName(), hash, true, false, 0 });
}

void FakeKubernetes::resize(int replicas)
{
    // The ReplicaSet controller: pods beyond the count start terminating, missing ones are created.
    int serving = 0;
    for (Pod &p : m_pods) {
        if (p.terminating)
            continue;
        if (serving < replicas)
            ++serving;
        else
            p.terminating = true;
    }
    const QString hash = m_sets.isEmpty() ? QString() : [this] {
        for (const ReplicaSet &rs : std::as_const(m_sets))
            if (rs.revision == m_revision)
                return rs.hash;
        return QString();
    }();
    makePods(hash, replicas - serving);
    m_replicas = replicas;
    ++m_resourceVersion;
}

void FakeKubernetes::deploy(const QString &image)
{
    const QJsonObject podTemplate = kubeobjects::podTemplate(QJsonObject { { u"app"_s, m_name } }, image);
    const QString hash = hashOf(podTemplate);
    m_revision = 0;
    for (const ReplicaSet &rs : std::as_const(m_sets))
        m_revision = std::max(m_revision, rs.revision);
    ++m_revision;
    bool known = false;
    for (ReplicaSet &rs : m_sets) {
        if (rs.hash == hash) {
            rs.revision = m_revision; // an old template comes back as the newest revision
            known = true;
        }
    }
    if (!known)
        m_sets.append(ReplicaSet { hash, m_revision, podTemplate });
    m_pods.clear();
    makePods(hash, m_replicas);
    m_annotations.insert(u"deployment.kubernetes.io/revision"_s, QString::number(m_revision));
    ++m_resourceVersion;
}

TestReply FakeKubernetes::status(
    int code, const QString &reason, const QString &message, const QJsonArray &causes) const
{
    return TestReply(code, json(kubeobjects::status(code, reason, message, causes)));
}

QJsonObject FakeKubernetes::podJson(const Pod &pod) const
{
    kubeobjects::PodView v;
    v.name = pod.name;
    v.ns = m_ns;
    v.labels = QJsonObject { { u"app"_s, m_name }, { u"pod-template-hash"_s, pod.hash } };
    v.node = u"node-1"_s;
    v.ready = pod.ready;
    v.crashLooping = pod.crashLooping;
    v.restarts = pod.restarts;
    v.created = pod.created;
    if (pod.terminating)
        v.deletion = QDateTime::currentDateTimeUtc().addSecs(30);
    return kubeobjects::pod(v);
}

QJsonObject FakeKubernetes::deploymentJson() const
{
    kubeobjects::DeploymentView d;
    for (const ReplicaSet &rs : m_sets) {
        if (rs.revision == m_revision)
            d.podTemplate = rs.podTemplate;
    }
    d.name = m_name;
    d.ns = m_ns;
    d.uid = m_uid;
    d.resourceVersion = QString::number(m_resourceVersion);
    d.replicas = m_replicas;
    d.matchLabels = QJsonObject { { u"app"_s, m_name } };
    d.strategy = m_strategy;
    d.annotations = m_annotations;
    return kubeobjects::deployment(d);
}

QJsonObject FakeKubernetes::autoscalerListJson() const
{
    QJsonArray items;
    if (!m_autoscaler.isEmpty()) {
        items.append(
            QJsonObject { { u"metadata"_s, QJsonObject { { u"name"_s, m_autoscaler }, { u"namespace"_s, m_ns } } },
                { u"spec"_s,
                    QJsonObject { { u"scaleTargetRef"_s,
                                      QJsonObject { { u"apiVersion"_s, u"apps/v1"_s }, { u"kind"_s, u"Deployment"_s },
                                          { u"name"_s, m_name } } },
                        { u"minReplicas"_s, 2 }, { u"maxReplicas"_s, 10 } } } });
    }
    return { { u"kind"_s, u"HorizontalPodAutoscalerList"_s }, { u"apiVersion"_s, u"autoscaling/v2"_s },
        { u"items"_s, items } };
}

TestReply FakeKubernetes::patchScale(const TestRequest &r)
{
    const kubeobjects::ScalePatch patch = kubeobjects::readScalePatch(r.header("content-type"), r.body, m_replicas);
    if (!patch.replicas)
        return TestReply(patch.error.value(u"code"_s).toInt(), json(patch.error));
    resize(*patch.replicas);
    return TestReply(200, json(scaleJson()));
}

QJsonObject FakeKubernetes::scaleJson() const
{
    return kubeobjects::scale(
        m_name, m_ns, QString::number(m_resourceVersion), m_replicas, static_cast<int>(m_pods.size()), selector());
}

TestReply FakeKubernetes::handle(const TestRequest &r)
{
    if (r.header("authorization") != "Bearer " + m_token.toUtf8())
        return status(401, u"Unauthorized"_s, u"Unauthorized"_s);
    const QString path = QString::fromUtf8(r.path);
    const QString deployments = u"/apis/apps/v1/namespaces/%1/deployments/%2"_s.arg(m_ns, m_name);
    const QString podsPath = u"/api/v1/namespaces/%1/pods"_s.arg(m_ns);

    if (path == deployments && r.method == "GET") {
        const TestReply reply(200, json(deploymentJson()));
        if (m_changeAfterRead) {
            m_changeAfterRead = false;
            ++m_resourceVersion;
        }
        return reply;
    }
    if (path == deployments + u"/scale"_s && r.method == "GET")
        return TestReply(200, json(scaleJson()));
    if (path == deployments + u"/scale"_s && r.method == "PATCH")
        return patchScale(r);
    if (path == u"/apis/autoscaling/v2/namespaces/%1/horizontalpodautoscalers"_s.arg(m_ns) && r.method == "GET") {
        if (m_autoscalersForbidden)
            return status(403, u"Forbidden"_s,
                u"horizontalpodautoscalers.autoscaling is forbidden: User \"system:serviceaccount:shop:antibody\" cannot list resource"_s);
        return TestReply(200, json(autoscalerListJson()));
    }
    if (path == deployments && r.method == "PATCH") {
        if (r.header("content-type") != "application/json-patch+json")
            return status(415, u"UnsupportedMediaType"_s, u"the body of the request was in an unknown format"_s);
        for (const QJsonValue &v : QJsonDocument::fromJson(r.body).array()) {
            const QJsonObject op = v.toObject();
            const QString what = op.value(u"op"_s).toString();
            const QString at = op.value(u"path"_s).toString();
            if (what == u"test"_s && at == u"/metadata/resourceVersion"_s
                && op.value(u"value"_s).toString() != QString::number(m_resourceVersion))
                return status(422, u"Invalid"_s, u"the server rejected our request due to an error in our request"_s);
            if (what == u"replace"_s && at == u"/metadata/annotations"_s) {
                const QString revision = m_annotations.value(u"deployment.kubernetes.io/revision"_s).toString();
                m_annotations = op.value(u"value"_s).toObject();
                m_annotations.insert(u"deployment.kubernetes.io/revision"_s, revision);
            }
        }
        for (const QJsonValue &v : QJsonDocument::fromJson(r.body).array()) {
            const QJsonObject op = v.toObject();
            if (op.value(u"op"_s).toString() == u"replace"_s && op.value(u"path"_s).toString() == u"/spec/template"_s) {
                const QJsonObject podTemplate = op.value(u"value"_s).toObject();
                deploy(kubeobjects::imageOf(podTemplate));
            }
        }
        return TestReply(200, json(deploymentJson()));
    }
    if (path == u"/apis/apps/v1/namespaces/%1/replicasets"_s.arg(m_ns) && r.method == "GET") {
        if (r.queryItem(u"labelSelector"_s) != selector())
            return TestReply(200, json({ { u"kind"_s, u"ReplicaSetList"_s }, { u"items"_s, QJsonArray {} } }));
        QJsonArray items;
        for (const ReplicaSet &rs : std::as_const(m_sets))
            items.append(kubeobjects::replicaSet(m_name, m_ns, rs.hash, rs.revision, m_uid, rs.podTemplate));
        return TestReply(200, json({ { u"kind"_s, u"ReplicaSetList"_s }, { u"items"_s, items } }));
    }
    if (path == podsPath && r.method == "GET") {
        QJsonArray items;
        if (r.queryItem(u"labelSelector"_s) == selector()) {
            for (const Pod &p : std::as_const(m_pods))
                items.append(podJson(p));
        }
        return TestReply(200, json({ { u"kind"_s, u"PodList"_s }, { u"items"_s, items } }));
    }
    if (path.startsWith(podsPath + u'/') && path.endsWith(u"/eviction"_s) && r.method == "POST") {
        const QString name = path.mid(podsPath.size() + 1).chopped(9);
        const QJsonObject eviction = QJsonDocument::fromJson(r.body).object();
        if (eviction.value(u"kind"_s).toString() != u"Eviction"_s
            || eviction.value(u"metadata"_s).toObject().value(u"name"_s).toString() != name)
            return status(400, u"BadRequest"_s, u"name in URL does not match name in Eviction object"_s);
        const auto it = std::find_if(m_pods.begin(), m_pods.end(), [&](const Pod &p) { return p.name == name; });
        if (it == m_pods.end())
            return status(404, u"NotFound"_s, u"pods \"%1\" not found"_s.arg(name));
        int healthy = 0;
        for (const Pod &p : std::as_const(m_pods))
            healthy += p.ready ? 1 : 0;
        const int afterwards = healthy - (it->ready ? 1 : 0);
        if (m_minAvailable >= 0 && afterwards < m_minAvailable) {
            return status(429, u"TooManyRequests"_s,
                u"Cannot evict pod as it would violate the pod's disruption budget."_s,
                QJsonArray { QJsonObject { { u"reason"_s, u"DisruptionBudget"_s },
                    { u"message"_s,
                        u"The disruption budget %1-pdb needs %2 healthy pods and has %3 currently"_s.arg(m_name)
                            .arg(m_minAvailable)
                            .arg(healthy) } } });
        }
        if (it->terminating)
            return status(201, u""_s, u""_s); // already on its way out: nothing more happens
        // The pod shuts down within its grace period, and the ReplicaSet replaces it at
        // once with a new pod that is not ready yet.
        it->terminating = true;
        it->ready = false;
        const QString hash = it->hash;
        m_pods.append(Pod { newName(), hash, false, false, 0 });
        return status(201, u""_s, u""_s);
    }
    return status(404, u"NotFound"_s, u"the server could not find the requested resource"_s);
}

} // namespace antibody::test

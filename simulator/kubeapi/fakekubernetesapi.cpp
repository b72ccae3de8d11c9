#include "simulator/kubeapi/fakekubernetesapi.h"

#include "simulator/kubeapi/kubeobjects.h"
#include "simulator/world/exportermetrics.h"
#include "simulator/world/podlifecycle.h"
#include "simulator/world/world.h"

#include <QCryptographicHash>
#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {
namespace {

KubeReply reply(int code, const QJsonObject &body)
{
    return KubeReply { code, kubeobjects::compact(body) };
}

KubeReply failure(int code, const QString &reason, const QString &message, const QJsonArray &causes = {})
{
    return reply(code, kubeobjects::status(code, reason, message, causes));
}

KubeReply notFound()
{
    return failure(404, u"NotFound"_s, u"the server could not find the requested resource"_s);
}

KubeReply methodNotAllowed(const QByteArray &method)
{
    return failure(405, u"MethodNotAllowed"_s,
        u"the server does not allow this method on the requested resource (%1); the fake Kubernetes API answers "
        u"what the workload executor asks, and rolls nothing back"_s.arg(QString::fromLatin1(method.left(16))));
}

// Compares the whole token whatever the first difference: its length is no secret, its bytes are.
bool sameToken(const QByteArray &given, const QByteArray &expected)
{
    if (given.size() != expected.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < given.size(); ++i)
        diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
    return diff == 0;
}

QString hashOf(const QString &service, const QString &version)
{
    return ExporterMetrics::replicaSetName(service, version).mid(service.size() + 1);
}

// The Deployment's revisions: the version before, the current one, one rolling out.
qint64 revisionOf(const Service &svc, const QString &version)
{
    if (version == svc.rolloutTo)
        return 3;
    return version == svc.currentVersion ? 2 : 1;
}

QString templateVersion(const Service &svc)
{
    return svc.rolloutTo.isEmpty() ? svc.currentVersion : svc.rolloutTo;
}

QJsonObject matchLabels(const Service &svc)
{
    return { { u"app"_s, svc.name } };
}

QString uidOf(const QString &name)
{
    const QString h
        = QString::fromLatin1(QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha1).toHex().left(12));
    return u"5c0ffee0-0000-4000-8000-%1"_s.arg(h);
}

} // namespace

FakeKubernetesApi::FakeKubernetesApi(World &world, QByteArray token, const Clock &wall, QObject *parent)
    : QObject(parent)
    , m_world(world)
    , m_token(std::move(token))
    , m_wall(wall)
{
}

KubeReply FakeKubernetesApi::handle(const KubeRequest &request)
{
    ++m_requests;
    KubeReply r;
    if (!sameToken(request.authorization, "Bearer " + m_token))
        r = failure(401, u"Unauthorized"_s, u"Unauthorized"_s);
    else if (request.body.size() > maxBodyBytes)
        r = failure(413, u"RequestEntityTooLarge"_s,
            u"Request entity too large: limit is %1 bytes, the body has %2"_s.arg(maxBodyBytes)
                .arg(request.body.size()));
    else
        r = route(request);
    if (r.status >= 300)
        ++m_refused;
    return r;
}

KubeReply FakeKubernetesApi::route(const KubeRequest &r)
{
    const QString ns = QString::fromLatin1(kubeNamespace);
    const QString deployments = u"/apis/apps/v1/namespaces/%1/deployments/"_s.arg(ns);
    const QString pods = u"/api/v1/namespaces/%1/pods"_s.arg(ns);
    const QString &path = r.path;
    if (path.startsWith(deployments)) {
        const QString rest = path.mid(deployments.size());
        const QString name = rest.section(u'/', 0, 0);
        Service *svc = m_world.fleet().service(name);
        if (!svc || svc->kind != Service::Kind::App)
            return failure(404, u"NotFound"_s, u"deployments.apps \"%1\" not found"_s.arg(name.left(253)));
        return deploymentRoutes(r, *svc, rest.mid(name.size()));
    }
    if (path == u"/apis/apps/v1/namespaces/%1/replicasets"_s.arg(ns))
        return r.method == "GET" ? reply(200, replicaSetsJson(r.labelSelector)) : methodNotAllowed(r.method);
    if (path == u"/apis/autoscaling/v2/namespaces/%1/horizontalpodautoscalers"_s.arg(ns))
        return r.method == "GET"
            ? reply(200, kubeobjects::list(u"HorizontalPodAutoscalerList"_s, u"autoscaling/v2"_s, {}))
            : methodNotAllowed(r.method);
    if (path == pods)
        return r.method == "GET" ? reply(200, podsJson(r.labelSelector)) : methodNotAllowed(r.method);
    if (path.startsWith(pods + u'/') && path.endsWith(u"/eviction"_s)) {
        const QString name = path.mid(pods.size() + 1).chopped(int(sizeof("/eviction") - 1));
        if (name.contains(u'/') || name.isEmpty())
            return notFound();
        return r.method == "POST" ? evict(r, name) : methodNotAllowed(r.method);
    }
    return notFound();
}

KubeReply FakeKubernetesApi::deploymentRoutes(const KubeRequest &r, Service &svc, const QString &rest)
{
    if (rest.isEmpty())
        return r.method == "GET" ? reply(200, deploymentJson(svc)) : methodNotAllowed(r.method);
    if (rest != u"/scale"_s)
        return notFound();
    if (r.method == "GET")
        return reply(200, scaleJson(svc));
    if (r.method == "PATCH")
        return patchScale(r, svc);
    return methodNotAllowed(r.method);
}

KubeReply FakeKubernetesApi::patchScale(const KubeRequest &r, Service &svc)
{
    FleetState &fleet = m_world.fleet();
    const int from = replicasOf(fleet, svc.name);
    const kubeobjects::ScalePatch patch = kubeobjects::readScalePatch(r.contentType, r.body, from);
    if (!patch.replicas)
        return reply(patch.error.value(u"code"_s).toInt(), patch.error);
    const int to = *patch.replicas;
    if (to > maxReplicas)
        return failure(422, u"Invalid"_s,
            u"spec.replicas: Invalid value: %1: the simulated fleet runs at most %2 pods per deployment"_s.arg(to).arg(
                maxReplicas));
    if (to != from) {
        const Resized resized = resize(fleet, svc, m_world.random(), m_world.now(), to, 30s);
        const QStringList &pods = to > from ? resized.added : resized.removed;
        record(u"scale"_s, svc.name,
            u"scaled %1/%2 from %3 to %4 replicas (%5 %6)"_s.arg(QString::fromLatin1(kubeNamespace), svc.name)
                .arg(from)
                .arg(to)
                .arg(to > from ? u"started"_s : u"draining"_s, pods.join(u", "_s)));
    }
    return reply(200, scaleJson(svc));
}

KubeReply FakeKubernetesApi::evict(const KubeRequest &r, const QString &name)
{
    QJsonParseError parse {};
    const QJsonDocument doc = QJsonDocument::fromJson(r.body, &parse);
    const QJsonObject eviction = doc.object();
    if (parse.error != QJsonParseError::NoError || !doc.isObject())
        return failure(400, u"BadRequest"_s, u"the body is not a policy/v1 Eviction: not a JSON object"_s);
    if (eviction.value(u"kind"_s).toString() != u"Eviction"_s
        || eviction.value(u"metadata"_s).toObject().value(u"name"_s).toString() != name)
        return failure(400, u"BadRequest"_s, u"name in URL does not match name in Eviction object"_s);
    FleetState &fleet = m_world.fleet();
    const Pod *pod = fleet.pod(name);
    if (!pod)
        return failure(404, u"NotFound"_s, u"pods \"%1\" not found"_s.arg(name.left(253)));
    if (pod->phase == PodPhase::Terminating)
        return reply(201, kubeobjects::status(201, {}, {})); // on its way out already: nothing more happens
    const Service *svc = fleet.service(pod->service);
    int ready = 0;
    for (const Pod *p : fleet.podsOf(pod->service))
        ready += p->ready() ? 1 : 0;
    if (svc && pod->ready() && ready - 1 < svc->pdbMinAvailable)
        return failure(429, u"TooManyRequests"_s,
            u"Cannot evict pod as it would violate the pod's disruption budget."_s,
            QJsonArray { QJsonObject { { u"reason"_s, u"DisruptionBudget"_s },
                { u"message"_s,
                    u"The disruption budget %1-pdb needs %2 healthy pods and has %3 currently"_s.arg(pod->service)
                        .arg(svc->pdbMinAvailable)
                        .arg(ready) } } });
    const qint64 graceSeconds = std::clamp<qint64>(
        eviction.value(u"deleteOptions"_s).toObject().value(u"gracePeriodSeconds"_s).toInteger(30), 0, 3600);
    const QString replacement
        = replacePod(fleet, name, m_world.random(), m_world.now(), Duration { graceSeconds * 1000 });
    record(u"eviction"_s, name,
        u"evicted %1 (grace %2 s); its ReplicaSet started %3"_s.arg(name).arg(graceSeconds).arg(replacement));
    return reply(201, kubeobjects::status(201, {}, {}));
}

QJsonObject FakeKubernetesApi::deploymentJson(const Service &svc) const
{
    const QString version = templateVersion(svc);
    kubeobjects::DeploymentView d;
    d.name = svc.name;
    d.ns = QString::fromLatin1(kubeNamespace);
    d.uid = uidOf(svc.name);
    d.replicas = replicasOf(m_world.fleet(), svc.name);
    // Changes whenever the spec does: the replica count or the template.
    d.resourceVersion
        = QString::number(qHash(u"%1/%2/%3"_s.arg(svc.name, version).arg(d.replicas)) % 1'000'000'000 + 1000);
    d.matchLabels = matchLabels(svc);
    d.podTemplate = kubeobjects::podTemplate(d.matchLabels, u"registry.example/%1:%2"_s.arg(svc.name, version));
    // What the simulated rollouts do: one pod at a time, none surging.
    d.strategy = QJsonObject { { u"type"_s, u"RollingUpdate"_s },
        { u"rollingUpdate"_s, QJsonObject { { u"maxUnavailable"_s, 1 }, { u"maxSurge"_s, 0 } } } };
    d.annotations
        = QJsonObject { { u"deployment.kubernetes.io/revision"_s, QString::number(revisionOf(svc, version)) } };
    return kubeobjects::deployment(d);
}

QJsonObject FakeKubernetesApi::scaleJson(const Service &svc) const
{
    const QJsonObject d = deploymentJson(svc);
    return kubeobjects::scale(svc.name, QString::fromLatin1(kubeNamespace),
        d.value(u"metadata"_s).toObject().value(u"resourceVersion"_s).toString(), replicasOf(m_world.fleet(), svc.name),
        static_cast<int>(m_world.fleet().podsOf(svc.name).size()), u"app="_s + svc.name);
}

Service *FakeKubernetesApi::serviceOfSelector(const QString &selector) const
{
    if (!selector.startsWith(u"app="_s))
        return nullptr;
    Service *svc = m_world.fleet().service(selector.mid(4));
    return svc && svc->kind == Service::Kind::App ? svc : nullptr;
}

QJsonObject FakeKubernetesApi::podsJson(const QString &selector) const
{
    QJsonArray items;
    if (const Service *svc = serviceOfSelector(selector)) {
        for (const Pod *p : m_world.fleet().podsOf(svc->name)) {
            kubeobjects::PodView v;
            v.name = p->name;
            v.ns = QString::fromLatin1(kubeNamespace);
            v.labels = matchLabels(*svc);
            v.labels.insert(u"pod-template-hash"_s, hashOf(svc->name, p->version));
            v.node = p->host;
            v.ready = p->ready();
            v.crashLooping = p->inCrashLoop();
            v.restarts = p->restartCount;
            v.created = wallTime(p->createdAt);
            if (p->phase == PodPhase::Terminating)
                v.deletion = wallTime(p->phaseEnds);
            items.append(kubeobjects::pod(v));
        }
    }
    return kubeobjects::list(u"PodList"_s, u"v1"_s, items);
}

QJsonObject FakeKubernetesApi::replicaSetsJson(const QString &selector) const
{
    QJsonArray items;
    if (const Service *svc = serviceOfSelector(selector)) {
        for (const QString &version : { svc->previousVersion, svc->currentVersion, svc->rolloutTo }) {
            if (version.isEmpty())
                continue;
            items.append(kubeobjects::replicaSet(svc->name, QString::fromLatin1(kubeNamespace),
                hashOf(svc->name, version), revisionOf(*svc, version), uidOf(svc->name),
                kubeobjects::podTemplate(matchLabels(*svc), u"registry.example/%1:%2"_s.arg(svc->name, version))));
        }
    }
    return kubeobjects::list(u"ReplicaSetList"_s, u"apps/v1"_s, items);
}

QDateTime FakeKubernetesApi::wallTime(TimePoint t) const
{
    return QDateTime::fromMSecsSinceEpoch(toMillis(m_wall.now() - (m_world.now() - t)), Qt::UTC);
}

void FakeKubernetesApi::record(const QString &kind, const QString &object, const QString &detail)
{
    m_changes.append(Change { m_world.now(), kind, object, detail });
    Q_EMIT changed(m_changes.back());
}

} // namespace antibody::sim

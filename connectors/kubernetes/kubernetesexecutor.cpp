#include "connectors/kubernetes/kubernetesexecutor.h"

#include "connectors/http/redaction.h"
#include "connectors/kubernetes/kubernetesjson.h"
#include "connectors/kubernetes/rollouthistory.h"
#include "connectors/work/actionresults.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

using actionresults::failed;
using actionresults::refused;

// Kubernetes object names (DNS-1123 subdomains). Anything else never reaches a URL path.
// Anchored at the very end: `$` alone also matches before a final newline.
bool isObjectName(const QString &name)
{
    static const QRegularExpression valid(
        QRegularExpression::anchoredPattern(u"[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?"_s));
    return valid.match(name).hasMatch();
}

HttpOptions optionsFor(const KubernetesConfig &config, const KubeAccess &access)
{
    HttpOptions o = config.http;
    o.tls = access.tls;
    if (access.tokenFile.isEmpty())
        o.auth = access.auth;
    if (o.configKey.isEmpty())
        o.configKey = u"executors.kubernetes"_s;
    return o;
}

QString autoscaled(const QString &ns, const QString &deployment, const QString &autoscaler)
{
    return u"%1/%2 is scaled by the HorizontalPodAutoscaler %3, which would undo a manual change at its next sync: "
           u"scale it through the autoscaler, or set allow_hpa: true on the step to scale it anyway"_s.arg(
               ns, deployment, autoscaler);
}

} // namespace

KubernetesExecutor::KubernetesExecutor(KubernetesConfig config, KubeAccess access, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_access(std::move(access))
    , m_token(m_access)
    , m_http(this, optionsFor(m_config, m_access), u"kubernetes"_s, 2)
{
    if (m_config.serverOverride.isValid() && !m_config.serverOverride.isEmpty())
        m_access.server = m_config.serverOverride;
}

QString KubernetesExecutor::family() const
{
    return u"workload"_s;
}

QStringList KubernetesExecutor::actions() const
{
    return { u"restart_pods"_s, u"scale"_s, u"rollback_deployment"_s };
}

QString KubernetesExecutor::insecureWarning() const
{
    return m_http.insecureWarning(redactedUrl(m_access.server));
}

KubernetesExecutor::Workload KubernetesExecutor::workloadOf(const QString &service) const
{
    Workload w;
    const auto it = m_config.workloads.constFind(service);
    const bool mapped = it != m_config.workloads.constEnd();
    w.deployment = mapped ? it->deployment : service;
    w.ns = mapped && !it->ns.isEmpty() ? it->ns : !m_config.ns.isEmpty() ? m_config.ns : m_access.ns;
    if (w.ns.isEmpty())
        w.ns = u"default"_s;
    // The service is an alert label: whoever can post an alert chooses it. Only the
    // configuration says which deployment it is, unless the configuration says the names agree.
    if (!mapped && !m_config.unmappedServicesAllowed) {
        if (service.isEmpty()) {
            w.error = u"the incident names no service (its alert has no `service` label); executors.kubernetes acts "
                      u"only on the services mapped in executors.kubernetes.workloads"_s;
            return w;
        }
        w.error = u"service '%1' is not in executors.kubernetes.workloads; map it there (workloads: { %1: { "
                  u"deployment: NAME, namespace: NS } }) or set executors.kubernetes.unmapped_services: allow to take "
                  u"it as the deployment '%1' in namespace '%2'"_s.arg(service, w.ns);
        return w;
    }
    if (!isObjectName(w.deployment) || !isObjectName(w.ns))
        w.error
            = u"'%1' in namespace '%2' is not a Kubernetes name; map the service in executors.kubernetes.workloads"_s
                  .arg(w.deployment, w.ns);
    return w;
}

KubernetesExecutor::Call KubernetesExecutor::call(HttpRequest::Method method, const QString &path,
    const Cancellation &c, const QByteArray &body, const QByteArray &contentType) const
{
    Call out;
    const qsizetype q = path.indexOf(u'?');
    QUrl url = apiUrl(m_access.server, q < 0 ? path : path.left(q));
    if (q >= 0)
        url.setQuery(path.mid(q + 1), QUrl::StrictMode);
    HttpRequest request;
    request.method = method;
    request.url = url;
    request.body = body;
    request.headers.append(qMakePair(QByteArray("Accept"), QByteArray("application/json")));
    if (!contentType.isEmpty())
        request.headers.append(qMakePair(QByteArray("Content-Type"), contentType));
    QString tokenError;
    if (const QByteArray token = m_token.current(&tokenError); !token.isEmpty())
        request.headers.append(qMakePair(QByteArray("Authorization"), QByteArray("Bearer " + token)));
    else if (!tokenError.isEmpty()) {
        out.error = u"executors.kubernetes: %1"_s.arg(tokenError);
        return out;
    }
    const HttpResponse response = m_http.perform(request, c);
    out.status = response.status;
    out.body = response.body;
    if (response.failure != HttpResponse::Failure::None) {
        out.error = response.error;
    } else if (!response.ok()) {
        const QString said = kubernetesjson::statusMessage(response.body);
        out.error = u"%1 %2: HTTP %3: %4"_s.arg(HttpRequest::methodText(method), redactedUrl(url))
                        .arg(response.status)
                        .arg(said.isEmpty() ? HttpClient::statusProblem(response, m_http.options().configKey) : said);
        if (response.status == 401 || response.status == 403)
            out.error += u"; check the credentials and RBAC of %1"_s.arg(m_access.describe);
    }
    return out;
}

KubernetesExecutor::Pods KubernetesExecutor::readPods(const Workload &w, const Cancellation &c) const
{
    Pods out;
    const Call d
        = call(HttpRequest::Method::Get, u"/apis/apps/v1/namespaces/%1/deployments/%2"_s.arg(w.ns, w.deployment), c);
    if (!d.ok()) {
        out.error = d.error;
        return out;
    }
    const auto deployment = kubernetesjson::object(d.body);
    if (!deployment) {
        out.error = u"deployment %1/%2: the answer is not a JSON object"_s.arg(w.ns, w.deployment);
        return out;
    }
    out.deployment = *deployment;
    QString why;
    const QString selector = kubernetesjson::labelSelector(out.deployment, &why);
    if (selector.isEmpty()) {
        out.error = u"deployment %1/%2: %3"_s.arg(w.ns, w.deployment, why);
        return out;
    }
    const Call p = call(HttpRequest::Method::Get,
        u"/api/v1/namespaces/%1/pods?labelSelector=%2"_s.arg(
            w.ns, QString::fromLatin1(QUrl::toPercentEncoding(selector))),
        c);
    const auto list = p.ok() ? kubernetesjson::object(p.body) : std::nullopt;
    if (!list) {
        out.error = p.ok() ? u"pods of %1/%2: the answer is not a JSON object"_s.arg(w.ns, w.deployment) : p.error;
        return out;
    }
    for (const QJsonValue &item : list->value(u"items"_s).toArray())
        out.pods << item.toObject();
    return out;
}

void KubernetesExecutor::fleet(const TargetQuery &query, std::function<void(const Fleet &)> done)
{
    m_http.run<Fleet>([this, query](const Cancellation &c) { return readFleet(query, c); }, std::move(done));
}

Fleet KubernetesExecutor::readFleet(const TargetQuery &query, const Cancellation &c) const
{
    Fleet f;
    f.dimension = query.dimension.isEmpty() ? u"pods"_s : query.dimension;
    f.scope = query.service;
    const Workload w = workloadOf(query.service);
    if (!w.error.isEmpty()) {
        f.error = w.error;
        return f;
    }
    const Pods pods = readPods(w, c);
    if (!pods.error.isEmpty()) {
        f.error = pods.error;
        return f;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QJsonObject &pod : pods.pods)
        f.members << kubernetesjson::podTarget(pod, query.service, now);
    if (query.action == u"scale"_s) {
        // What scale changes is spec.replicas, never the pods listed (a rollout's surge and
        // terminating pods are among them).
        WorkloadState state;
        state.name = u"%1/%2"_s.arg(w.ns, w.deployment);
        QString error;
        state.replicas = readReplicas(w, c, &error);
        if (state.replicas && !query.params.value(u"allow_hpa"_s).toBool())
            state.autoscaler = readAutoscaler(w, c, &error);
        if (!error.isEmpty()) {
            f.error = error;
            return f;
        }
        f.workload = state;
    }
    if (query.action == u"rollback_deployment"_s) {
        // The plan fixes both revisions now; the rollback refuses when the deployment has left the first.
        QString error;
        const auto sets = readReplicaSets(w, pods.deployment, c, &error);
        if (!sets) {
            f.error = error;
            return f;
        }
        const RolloutHistory history(pods.deployment, *sets);
        WorkloadState state;
        state.name = u"%1/%2"_s.arg(w.ns, w.deployment);
        state.revision = history.current();
        state.rollbackTo
            = history.find(query.params.value(u"to_revision"_s, u"previous"_s).toString(), &state.noRollback);
        f.workload = state;
    }
    f.observedAt = fromMillis(now.toMSecsSinceEpoch());
    f.ok = true;
    return f;
}

std::optional<QJsonArray> KubernetesExecutor::readReplicaSets(
    const Workload &w, const QJsonObject &deployment, const Cancellation &c, QString *error) const
{
    QString why;
    const QString selector = kubernetesjson::labelSelector(deployment, &why);
    const Call list = call(HttpRequest::Method::Get,
        u"/apis/apps/v1/namespaces/%1/replicasets?labelSelector=%2"_s.arg(
            w.ns, QString::fromLatin1(QUrl::toPercentEncoding(selector))),
        c);
    const auto sets = list.ok() ? kubernetesjson::object(list.body) : std::nullopt;
    if (!sets) {
        *error = list.ok() ? u"the replica sets of %1/%2 are not a JSON object"_s.arg(w.ns, w.deployment) : list.error;
        return std::nullopt;
    }
    return sets->value(u"items"_s).toArray();
}

void KubernetesExecutor::execute(const ActionRequest &request, std::function<void(const ActionResult &)> done)
{
    m_http.run<ActionResult>(
        [this, request](const Cancellation &c) {
            if (request.action == u"restart_pods"_s)
                return restart(request, c);
            if (request.action == u"scale"_s)
                return scale(request, c);
            if (request.action == u"rollback_deployment"_s)
                return rollback(request, c);
            return failed(u"Kubernetes runs restart_pods, scale and rollback_deployment, not %1"_s.arg(request.action));
        },
        std::move(done));
}

ActionResult KubernetesExecutor::restart(const ActionRequest &request, const Cancellation &c) const
{
    const Workload w = workloadOf(request.service);
    if (!w.error.isEmpty())
        return refused(w.error);
    // Only pods that belong to the workload right now.
    const Pods current = readPods(w, c);
    if (!current.error.isEmpty())
        return failed(current.error);
    QStringList names;
    QStringList terminating; // evicted already: a second eviction would count it twice
    for (const QJsonObject &pod : current.pods) {
        const QJsonObject meta = pod.value(u"metadata"_s).toObject();
        (meta.contains(u"deletionTimestamp"_s) ? terminating : names) << meta.value(u"name"_s).toString();
    }

    const qint64 graceSeconds
        = std::max<qint64>(0, request.params.value(u"grace_period"_s, 30'000).toLongLong() / 1000);
    ActionResult r;
    QStringList skipped;
    for (const QString &pod : request.targets) {
        if (terminating.contains(pod)) {
            skipped << u"%1 (already terminating)"_s.arg(pod);
            continue;
        }
        if (!isObjectName(pod) || !names.contains(pod)) {
            skipped << u"%1 (not a pod of %2/%3 any more)"_s.arg(pod, w.ns, w.deployment);
            continue;
        }
        const QJsonObject eviction { { u"apiVersion"_s, u"policy/v1"_s }, { u"kind"_s, u"Eviction"_s },
            { u"metadata"_s, QJsonObject { { u"name"_s, pod }, { u"namespace"_s, w.ns } } },
            { u"deleteOptions"_s, QJsonObject { { u"gracePeriodSeconds"_s, graceSeconds } } } };
        const Call e = call(HttpRequest::Method::Post, u"/api/v1/namespaces/%1/pods/%2/eviction"_s.arg(w.ns, pod), c,
            QJsonDocument(eviction).toJson(QJsonDocument::Compact), "application/json");
        if (e.status == 429) {
            // The cluster said no (a PodDisruptionBudget): not a failure of the fix, and never
            // a reason to delete the pod instead.
            r.blocked = true;
            const QString said = kubernetesjson::statusMessage(e.body);
            r.error = u"eviction of %1 refused: %2"_s.arg(pod, said.isEmpty() ? u"HTTP 429"_s : said);
            break;
        }
        if (e.status == 404) {
            skipped << u"%1 (already gone)"_s.arg(pod);
            continue;
        }
        if (!e.ok()) {
            r.error = e.error;
            break;
        }
        r.affected << pod;
    }
    r.ok = r.error.isEmpty();
    r.facts.insert(u"restarted"_s, static_cast<double>(r.affected.size()));
    r.detail = r.affected.isEmpty()
        ? u"evicted no pod"_s
        : u"evicted %1 (grace %2 s); the deployment replaces them"_s.arg(r.affected.join(u", "_s)).arg(graceSeconds);
    if (!skipped.isEmpty())
        r.detail += u"; left alone: %1"_s.arg(skipped.join(u", "_s));
    if (!r.ok && !r.affected.isEmpty())
        r.error += u" (after evicting %1)"_s.arg(r.affected.join(u", "_s));
    return r;
}

ActionResult KubernetesExecutor::scale(const ActionRequest &request, const Cancellation &c) const
{
    const Workload w = workloadOf(request.service);
    if (!w.error.isEmpty())
        return refused(w.error);
    if (!request.params.contains(pinned::scaleFrom) || !request.params.contains(pinned::scaleTo))
        return refused(
            u"the plan fixed no replica count for %1/%2: scale runs only from a plan that read spec.replicas"_s.arg(
                w.ns, w.deployment));
    if (!request.params.value(u"allow_hpa"_s).toBool()) {
        QString error;
        const QString autoscaler = readAutoscaler(w, c, &error);
        if (!error.isEmpty())
            return refused(error);
        if (!autoscaler.isEmpty())
            return refused(autoscaled(w.ns, w.deployment, autoscaler));
    }
    QString error;
    const auto replicas = readReplicas(w, c, &error);
    if (!replicas)
        return failed(error);
    const qint64 from = *replicas;
    const QString path = u"/apis/apps/v1/namespaces/%1/deployments/%2/scale"_s.arg(w.ns, w.deployment);
    const qint64 planned = request.params.value(pinned::scaleFrom).toLongLong();
    const qint64 low = request.params.value(u"min"_s, 1).toLongLong();
    const qint64 high = std::max(low, request.params.value(u"max"_s, 20).toLongLong());
    const qint64 to = std::clamp(request.params.value(pinned::scaleTo).toLongLong(), low, high);
    // Only from the count the plan (and its approval) started from: an autoscaler, a
    // person or a rollout that changed it since makes "+1" mean something else.
    if (from != planned)
        return refused(
            u"%1/%2 runs %3 replicas now, not the %4 the plan started from: not scaling to %5; a new plan decides"_s
                .arg(w.ns, w.deployment)
                .arg(from)
                .arg(planned)
                .arg(to));
    const qint64 cap = request.params.value(pinned::capPerCycle, 1).toLongLong();
    if (std::abs(to - from) > cap)
        return refused(
            u"%1/%2: the step changes %3 replicas (%4 -> %5), over the cap of %6 per cycle"_s.arg(w.ns, w.deployment)
                .arg(std::abs(to - from))
                .arg(from)
                .arg(to)
                .arg(cap));
    ActionResult r;
    r.facts.insert(u"replicas"_s, static_cast<double>(to));
    if (to == from) {
        r.ok = true;
        r.detail
            = u"%1/%2 already runs %3 replicas (min %4, max %5)"_s.arg(w.ns, w.deployment).arg(from).arg(low).arg(high);
        return r;
    }
    // The server applies the change only while spec.replicas is still `from`.
    const QJsonArray patch { QJsonObject {
                                 { u"op"_s, u"test"_s }, { u"path"_s, u"/spec/replicas"_s }, { u"value"_s, from } },
        QJsonObject { { u"op"_s, u"replace"_s }, { u"path"_s, u"/spec/replicas"_s }, { u"value"_s, to } } };
    const Call set = call(HttpRequest::Method::Patch, path, c, QJsonDocument(patch).toJson(QJsonDocument::Compact),
        "application/json-patch+json");
    if (!set.ok()) {
        if (set.status == 409 || set.status == 422)
            return failed(u"%1/%2 was scaled by someone else while scaling from %3: %4"_s.arg(w.ns, w.deployment)
                              .arg(from)
                              .arg(set.error));
        return failed(set.error);
    }
    r.ok = true;
    r.affected << u"%1/%2"_s.arg(w.ns, w.deployment);
    r.detail = u"scaled %1/%2 from %3 to %4 replicas"_s.arg(w.ns, w.deployment).arg(from).arg(to);
    return r;
}

std::optional<int> KubernetesExecutor::readReplicas(const Workload &w, const Cancellation &c, QString *error) const
{
    const Call get = call(
        HttpRequest::Method::Get, u"/apis/apps/v1/namespaces/%1/deployments/%2/scale"_s.arg(w.ns, w.deployment), c);
    const auto scale = get.ok() ? kubernetesjson::object(get.body) : std::nullopt;
    if (!scale) {
        *error = get.ok() ? u"the scale of %1/%2 is not a JSON object"_s.arg(w.ns, w.deployment) : get.error;
        return std::nullopt;
    }
    return scale->value(u"spec"_s).toObject().value(u"replicas"_s).toInt();
}

QString KubernetesExecutor::readAutoscaler(const Workload &w, const Cancellation &c, QString *error) const
{
    const Call list
        = call(HttpRequest::Method::Get, u"/apis/autoscaling/v2/namespaces/%1/horizontalpodautoscalers"_s.arg(w.ns), c);
    const auto hpas = list.ok() ? kubernetesjson::object(list.body) : std::nullopt;
    if (!hpas) {
        *error
            = u"cannot tell whether an autoscaler owns %1/%2: %3; grant list on horizontalpodautoscalers, or set allow_hpa: true"_s
                  .arg(w.ns, w.deployment,
                      list.ok() ? u"the autoscalers of namespace %1 are not a JSON object"_s.arg(w.ns) : list.error);
        return {};
    }
    return kubernetesjson::autoscalerOf(hpas->value(u"items"_s).toArray(), w.deployment);
}

ActionResult KubernetesExecutor::rollback(const ActionRequest &request, const Cancellation &c) const
{
    const Workload w = workloadOf(request.service);
    if (!w.error.isEmpty())
        return refused(w.error);
    const QString fromPin = request.params.value(pinned::rollbackFrom).toString();
    const QString toPin = request.params.value(pinned::rollbackTo).toString();
    if (fromPin.isEmpty() || toPin.isEmpty())
        return refused(u"the plan fixed no revisions for %1/%2: a rollback runs only from a plan that names both"_s.arg(
            w.ns, w.deployment));
    const Call d
        = call(HttpRequest::Method::Get, u"/apis/apps/v1/namespaces/%1/deployments/%2"_s.arg(w.ns, w.deployment), c);
    const auto read = d.ok() ? kubernetesjson::object(d.body) : std::nullopt;
    if (!read)
        return failed(
            d.ok() ? u"deployment %1/%2: the answer is not a JSON object"_s.arg(w.ns, w.deployment) : d.error);
    const QJsonObject &deployment = *read;
    const QJsonObject meta = deployment.value(u"metadata"_s).toObject();
    if (deployment.value(u"spec"_s).toObject().value(u"paused"_s).toBool())
        return failed(u"deployment %1/%2 is paused; resume it before rolling back"_s.arg(w.ns, w.deployment));
    QString error;
    const auto sets = readReplicaSets(w, deployment, c, &error);
    if (!sets)
        return failed(error);
    const RolloutHistory history(deployment, *sets);

    // Only from where the plan (and its approval) found the deployment: a deploy or a
    // rollback since then means "the revision before" is no longer what was approved.
    const WorkloadRevision from { fromPin, request.params.value(pinned::rollbackFromTemplate).toString(), {} };
    const WorkloadRevision to { toPin, request.params.value(pinned::rollbackToTemplate).toString(),
        request.params.value(pinned::rollbackToReplicaSet).toString() };
    const WorkloadRevision now = history.current();
    if (now.number != from.number || now.templateHash != from.templateHash)
        return refused(
            u"%1/%2 is on %3 now, not on %4 where the plan found it: not rolling back to %5; a new plan decides"_s.arg(
                w.ns, w.deployment, now.text(), from.text(), to.text()));
    const QJsonObject target = history.replicaSet(to.replicaSet);
    const QString targetHash
        = target.value(u"metadata"_s).toObject().value(u"labels"_s).toObject().value(u"pod-template-hash"_s).toString();
    if (target.isEmpty() || targetHash != to.templateHash)
        return refused(
            u"%1/%2: %3, which the plan returns to, is no longer in its history"_s.arg(w.ns, w.deployment, to.text()));
    const int cap = request.params.value(pinned::capPerCycle, 1).toInt();
    const auto unavailable = RolloutHistory::maxUnavailable(deployment);
    if (!unavailable || *unavailable > cap)
        return refused(u"%1/%2's rollout would take %3 out of service at once, over the cap of %4 per cycle: set its "
                       u"strategy's maxUnavailable to %4 or less, or raise max_pods"_s
                           .arg(w.ns, w.deployment,
                               unavailable ? u"%1 pods"_s.arg(*unavailable) : u"every pod (strategy Recreate)"_s)
                           .arg(cap));

    // The old template, without the hash label the ReplicaSet controller added to it.
    QJsonObject podTemplate = target.value(u"spec"_s).toObject().value(u"template"_s).toObject();
    QJsonObject templateMeta = podTemplate.value(u"metadata"_s).toObject();
    QJsonObject templateLabels = templateMeta.value(u"labels"_s).toObject();
    templateLabels.remove(u"pod-template-hash"_s);
    templateMeta.insert(u"labels"_s, templateLabels);
    podTemplate.insert(u"metadata"_s, templateMeta);
    QJsonObject annotations = meta.value(u"annotations"_s).toObject();
    const QString cause = target.value(u"metadata"_s)
                              .toObject()
                              .value(u"annotations"_s)
                              .toObject()
                              .value(u"kubernetes.io/change-cause"_s)
                              .toString();
    if (cause.isEmpty())
        annotations.remove(u"kubernetes.io/change-cause"_s);
    else
        annotations.insert(u"kubernetes.io/change-cause"_s, cause);
    const QJsonArray patch {
        QJsonObject { { u"op"_s, u"test"_s }, { u"path"_s, u"/metadata/resourceVersion"_s },
            { u"value"_s, meta.value(u"resourceVersion"_s) } },
        QJsonObject { { u"op"_s, u"replace"_s }, { u"path"_s, u"/spec/template"_s }, { u"value"_s, podTemplate } },
        QJsonObject {
            { u"op"_s, u"replace"_s }, { u"path"_s, u"/metadata/annotations"_s }, { u"value"_s, annotations } },
    };
    const Call set
        = call(HttpRequest::Method::Patch, u"/apis/apps/v1/namespaces/%1/deployments/%2"_s.arg(w.ns, w.deployment), c,
            QJsonDocument(patch).toJson(QJsonDocument::Compact), "application/json-patch+json");
    if (!set.ok()) {
        if (set.status == 409 || set.status == 422)
            return failed(
                u"%1/%2 changed while rolling back (someone else deployed?): %3"_s.arg(w.ns, w.deployment, set.error));
        return failed(set.error);
    }
    ActionResult r;
    r.ok = true;
    r.affected << u"%1/%2"_s.arg(w.ns, w.deployment);
    r.facts.insert(u"revision"_s, to.number);
    r.detail
        = u"rolled %1/%2 back from %3 to the template of %4; its rolling update replaces the pods, at most %5 out of "
          u"service at once"_s.arg(w.ns, w.deployment, now.text(), to.text())
              .arg(*unavailable);
    return r;
}

} // namespace antibody

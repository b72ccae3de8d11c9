#include "connectors/doctor/doctor.h"

#include "connectors/doctor/alertmanagerprobe.h"
#include "connectors/doctor/postgresprobe.h"
#include "connectors/doctor/probeoptions.h"
#include "connectors/doctor/prometheusprobe.h"
#include "connectors/doctor/runbookneeds.h"
#include "connectors/doctor/runbookverdict.h"
#include "connectors/environment/environment.h"
#include "connectors/http/curlsession.h"
#include "connectors/http/httpclient.h"
#include "connectors/http/redaction.h"
#include "connectors/kubernetes/kubeaccess.h"
#include "connectors/prometheus/promqlselectors.h"
#include "connectors/work/cancellation.h"
#include "engine/core/systemclock.h"

#include <QElapsedTimer>
#include <QHash>
#include <future>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

using Status = DoctorCheck::Status;

constexpr int maxCounts = 300; // series counts asked of Prometheus in all

PrometheusFacts askPrometheus(const PrometheusConfig &config, const QList<RunbookNeeds> &needs, const Cancellation &c)
{
    const PrometheusProbe probe(config, c);
    PrometheusFacts facts;
    facts.server = probe.server();
    if (!facts.server.reachable)
        return facts;
    auto count = [&](const QString &selector) {
        if (!facts.counts.contains(selector) && facts.counts.size() < maxCounts && !c.isCancelled())
            facts.counts.insert(selector, probe.seriesCount(selector));
        return facts.counts.value(selector);
    };
    for (const RunbookNeeds &n : needs) {
        for (const RunbookNeeds::Metric &m : n.metrics) {
            if (count(m.selector).series > 0)
                continue;
            // Nothing: is the name there under other labels, and what is it recorded from?
            count(m.name);
            QStringList pending { m.name };
            for (int depth = 0; depth < doctorRuleDepth && !pending.isEmpty(); ++depth) {
                QStringList next;
                for (const QString &name : std::as_const(pending)) {
                    for (const QString &input : vectorSelectors(facts.server.recording.value(name))) {
                        const QString inputName = selectorName(input);
                        if (!inputName.isEmpty() && count(inputName).series == 0)
                            next << inputName;
                    }
                }
                pending = next;
            }
        }
    }
    return facts;
}

KubernetesFacts askKubernetes(const KubernetesConfig &config, const Cancellation &c)
{
    const KubeAccess::Loaded loaded
        = config.inCluster ? KubeAccess::inCluster() : KubeAccess::fromKubeconfig(config.kubeconfig, config.context);
    if (!loaded.access)
        return { false, loaded.error };
    HttpOptions options = config.http;
    options.tls = loaded.access->tls;
    options.auth = loaded.access->auth;
    const CurlSession session(probeOptions(options));
    const QUrl server = config.serverOverride.isEmpty() ? loaded.access->server : config.serverOverride;
    const HttpResponse response = session.perform(HttpRequest::get(apiUrl(server, u"/version"_s)), c);
    if (!response.ok()) {
        return { false,
            response.failure != HttpResponse::Failure::None
                ? probeError(response, apiUrl(server, u"/version"_s))
                : u"GET %1: %2"_s.arg(redactedUrl(apiUrl(server, u"/version"_s)),
                    HttpClient::statusProblem(response, u"executors.kubernetes"_s)) };
    }
    return { true,
        u"%1 (%2) answers (%3 ms); the service account's rights are not checked: see docs/configuration.md"_s
            .arg(redactedUrl(server), loaded.access->describe)
            .arg(response.elapsed.count()) };
}

// Which configured executor runs each action (the environment's own answer), and the
// configuration key it comes from.
QHash<QString, QString> actionExecutors(const Configuration &config, QString *error)
{
    Configuration withoutKubernetes = config;
    QHash<QString, QString> out;
    SystemClock clock;
    Environment::Built built = Environment::fromConfiguration(config, clock);
    if (!built.environment) {
        *error = built.error;
        withoutKubernetes.kubernetes.reset();
        built = Environment::fromConfiguration(withoutKubernetes, clock);
        if (!built.environment)
            return out;
    }
    for (ActionExecutor *e : built.environment->ports(&clock, nullptr).executors) {
        const QString key = e->family() == u"workload"_s ? u"executors.kubernetes"_s
            : e->family() == u"certificates"_s           ? u"executors.certificates"_s
                                                         : u"executors.postgres"_s;
        for (const QString &action : e->actions())
            out.insert(action, key);
    }
    return out;
}

} // namespace

DoctorReport examineConfiguration(const Configuration &config, const QList<Runbook> &runbooks, Duration budget)
{
    QElapsedTimer timer;
    timer.start();
    DoctorReport report;
    report.configFile = config.file;
    QList<RunbookNeeds> needs;
    for (const Runbook &r : runbooks)
        needs << RunbookNeeds::of(r);

    // Every server at once; whatever is still waiting at the budget is cancelled.
    Cancellation cancellation;
    Cancellation finished;
    std::thread watchdog([&] {
        if (finished.sleepFor(budget))
            cancellation.cancel();
    });
    std::future<PrometheusFacts> prometheus;
    if (config.prometheus)
        prometheus
            = std::async(std::launch::async, [&] { return askPrometheus(*config.prometheus, needs, cancellation); });
    std::future<AlertmanagerFacts> alertmanager;
    if (config.alertmanager)
        alertmanager
            = std::async(std::launch::async, [&] { return probeAlertmanager(*config.alertmanager, cancellation); });
    std::vector<std::future<PostgresFacts>> postgres;
    for (const PostgresConfig &pg : config.postgres)
        postgres.push_back(
            std::async(std::launch::async, [&pg, &cancellation] { return probePostgres(pg, cancellation); }));
    std::future<KubernetesFacts> kubernetes;
    if (config.kubernetes)
        kubernetes = std::async(std::launch::async, [&] { return askKubernetes(*config.kubernetes, cancellation); });
    const QList<CertificateFacts> certificates
        = config.certificates ? probeCertificates(*config.certificates) : QList<CertificateFacts>();
    QString environmentError;
    const QHash<QString, QString> executors = actionExecutors(config, &environmentError);

    std::optional<PrometheusFacts> promFacts;
    std::optional<AlertmanagerFacts> amFacts;
    QList<std::pair<PostgresConfig, PostgresFacts>> databases;
    std::optional<KubernetesFacts> kubeFacts;
    if (prometheus.valid())
        promFacts = prometheus.get();
    if (alertmanager.valid())
        amFacts = alertmanager.get();
    for (size_t i = 0; i < postgres.size(); ++i)
        databases.append({ config.postgres.at(static_cast<qsizetype>(i)), postgres[i].get() });
    if (kubernetes.valid())
        kubeFacts = kubernetes.get();
    report.timedOut = cancellation.isCancelled();
    finished.cancel();
    watchdog.join();

    if (!config.prometheus && !config.alertmanager)
        report.checks << DoctorCheck { Status::Failed, u"sources"_s,
            u"no source configured: add sources.prometheus and sources.alertmanager (docs/configuration.md)"_s };
    if (promFacts) {
        const PrometheusProbe::Server &s = promFacts->server;
        const QString url = redactedUrl(config.prometheus->url);
        if (!s.reachable)
            report.checks << DoctorCheck { Status::Failed, u"sources.prometheus"_s, s.error };
        else if (!s.rulesRead)
            report.checks << DoctorCheck { Status::Failed, u"sources.prometheus"_s,
                u"%1: Prometheus %2 answers, but its rules cannot be read: %3"_s.arg(url, s.version, s.rulesError) };
        else
            report.checks << DoctorCheck { Status::Ok, u"sources.prometheus"_s,
                u"%1: Prometheus %2, %3 alerting and %4 recording rules (%5 ms)"_s.arg(url, s.version)
                    .arg(s.alerting.size())
                    .arg(s.recording.size())
                    .arg(s.latency.count()) };
    }
    if (amFacts) {
        const QString url = redactedUrl(config.alertmanager->url);
        report.checks << (amFacts->reachable
                ? DoctorCheck { Status::Ok, u"sources.alertmanager"_s,
                    u"%1: Alertmanager %2, %3 alert name%4 held now (%5 ms)"_s.arg(url, amFacts->version)
                        .arg(amFacts->alertNames.size())
                        .arg(amFacts->alertNames.size() == 1 ? QString() : u"s"_s)
                        .arg(amFacts->latency.count()) }
                : DoctorCheck { Status::Failed, u"sources.alertmanager"_s, amFacts->error });
    }
    for (const auto &[pg, facts] : databases) {
        const QString key = u"executors.postgres %1"_s.arg(pg.name);
        if (!facts.connected) {
            report.checks << DoctorCheck { Status::Failed, key,
                u"%1; is the server running, and are executors.postgres.dsn and its password right?"_s.arg(
                    facts.error) };
            continue;
        }
        QStringList lacks;
        if (!facts.mayTerminate)
            lacks << u"role %1 cannot terminate connections: GRANT pg_signal_backend TO %1"_s.arg(facts.role);
        if (!facts.maySeeSessions)
            lacks << u"role %1 cannot see other roles' connections: GRANT pg_read_all_stats TO %1"_s.arg(facts.role);
        report.checks << DoctorCheck { lacks.isEmpty() ? Status::Ok : Status::Failed, key,
            u"%1: PostgreSQL %2 as %3%4"_s.arg(facts.location, facts.serverVersion, facts.role,
                lacks.isEmpty() ? (facts.superuser ? u" (superuser)"_s : u" (pg_signal_backend, pg_read_all_stats)"_s)
                                : u"; "_s + lacks.join(u"; "_s)) };
    }
    if (kubeFacts)
        report.checks << DoctorCheck { kubeFacts->reachable ? Status::Ok : Status::Failed, u"executors.kubernetes"_s,
            kubeFacts->detail };
    else if (!environmentError.isEmpty())
        report.checks << DoctorCheck { Status::Failed, u"executors"_s, environmentError };
    for (const CertificateFacts &c : certificates)
        report.checks << DoctorCheck { c.ready ? Status::Ok : Status::Failed,
            u"executors.certificates %1"_s.arg(c.name), c.detail };
    report.checks << DoctorCheck { runbooks.isEmpty() ? Status::Warning : Status::Ok, u"runbooks"_s,
        runbooks.isEmpty() ? u"none configured: incidents are shown, nothing is proposed"_s
                           : u"%1 loaded from %2"_s.arg(runbooks.size()).arg(config.runbooks.join(u", "_s)) };

    const WorldFacts world { promFacts, amFacts, databases, kubeFacts, certificates, executors };
    for (qsizetype i = 0; i < runbooks.size(); ++i)
        report.runbooks << runbookVerdict(config, world, runbooks.at(i), needs.at(i));
    report.elapsed = Duration { timer.elapsed() };
    return report;
}

} // namespace antibody

#include "connectors/doctor/doctor.h"

#include "connectors/doctor/alertmanagerprobe.h"
#include "connectors/doctor/postgresprobe.h"
#include "connectors/doctor/probeoptions.h"
#include "connectors/doctor/prometheusprobe.h"
#include "connectors/doctor/runbookneeds.h"
#include "connectors/environment/environment.h"
#include "connectors/http/curlsession.h"
#include "connectors/http/httpclient.h"
#include "connectors/http/redaction.h"
#include "connectors/kubernetes/kubeaccess.h"
#include "connectors/prometheus/promqlselectors.h"
#include "connectors/work/cancellation.h"
#include "engine/core/suggestion.h"
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

constexpr int maxDoctorRuleDepth = 3;
constexpr int maxCounts = 300; // series counts asked of Prometheus in all

// What Prometheus said: the server, and the series count of every selector asked.
struct PrometheusFacts
{
    PrometheusProbe::Server server;
    QHash<QString, PrometheusProbe::Count> counts;
};

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
            for (int depth = 0; depth < maxDoctorRuleDepth && !pending.isEmpty(); ++depth) {
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

struct KubernetesFacts
{
    bool reachable = false;
    QString detail;
};

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
        const QString key = e->family() == u"workload"_s ? u"executors.kubernetes"_s : u"executors.postgres"_s;
        for (const QString &action : e->actions())
            out.insert(action, key);
    }
    return out;
}

QString scrapedQuestion(const QString &exporter)
{
    return exporter.startsWith(u"the "_s) ? u"are %1 scraped?"_s.arg(exporter) : u"is %1 scraped?"_s.arg(exporter);
}

QString seriesText(qint64 n)
{
    return n == 1 ? u"1 series"_s : u"%1 series"_s.arg(n);
}

class VerdictWriter
{
public:
    VerdictWriter(const Configuration &config, const PrometheusFacts *prometheus, const AlertmanagerFacts *alertmanager,
        const QHash<QString, QString> &executors, const QList<std::pair<PostgresConfig, PostgresFacts>> &databases,
        const std::optional<KubernetesFacts> &kubernetes)
        : m_config(config)
        , m_prometheus(prometheus)
        , m_alertmanager(alertmanager)
        , m_executors(executors)
        , m_databases(databases)
        , m_kubernetes(kubernetes)
    {
    }

    RunbookVerdict verdict(const Runbook &runbook, const RunbookNeeds &needs) const
    {
        RunbookVerdict v;
        v.name = runbook.name;
        v.file = runbook.file;
        for (const RunbookNeeds::Alert &a : needs.alerts)
            alert(needs, a, v);
        for (const RunbookNeeds::Alert &a : needs.symptoms)
            symptom(needs, a, v);
        for (const RunbookNeeds::Metric &m : needs.metrics)
            metric(needs, m, v);
        for (const RunbookNeeds::Action &a : needs.actions)
            action(needs, a, v);
        if (m_expectsShown && !needs.expects.isEmpty())
            v.expects = RunbookVerdict::Finding { needs.at(needs.expectsLine), needs.expects };
        m_expectsShown = false;
        return v;
    }

private:
    QString promUrl() const { return m_prometheus ? redactedUrl(m_config.prometheus->url) : QString(); }
    bool rulesKnown() const { return m_prometheus && m_prometheus->server.rulesRead; }

    void alert(const RunbookNeeds &needs, const RunbookNeeds::Alert &a, RunbookVerdict &v) const
    {
        const QString where = needs.at(a.line);
        if (a.name.isEmpty()) {
            v.found << RunbookVerdict::Finding { where,
                u"any alert with the labels %1: no one name to check"_s.arg(a.text) };
            return;
        }
        if (rulesKnown() && m_prometheus->server.alerting.contains(a.name)) {
            v.found << RunbookVerdict::Finding { where,
                u"alert %1: an alerting rule in Prometheus at %2"_s.arg(a.name, promUrl()) };
            return;
        }
        const bool held = m_alertmanager && m_alertmanager->alertNames.contains(a.name);
        if (held) {
            v.found << RunbookVerdict::Finding { where,
                u"alert %1: held by Alertmanager at %2 now"_s.arg(a.name, redactedUrl(m_config.alertmanager->url)) };
            return;
        }
        if (rulesKnown()) {
            QStringList names = m_prometheus->server.alerting;
            if (m_alertmanager)
                names << m_alertmanager->alertNames;
            const QString close = closestName(a.name, names);
            QString message = u"no alerting rule named %1 in Prometheus at %2"_s.arg(a.name, promUrl());
            message += close.isEmpty()
                ? u"; add the rule (the shipped ones: rules/antibody.rules.yml, docs/prometheus-rules.md)"_s
                : u"; did you mean %1?"_s.arg(close);
            showExpects();
            v.missing << RunbookVerdict::Finding { where, message };
            return;
        }
        if (m_config.prometheus) {
            v.missing << RunbookVerdict::Finding { where,
                u"alert %1 cannot be checked: the rules of Prometheus at %2 could not be read (see sources.prometheus "
                u"above)"_s.arg(a.name, promUrl()) };
            return;
        }
        v.warnings << RunbookVerdict::Finding { where,
            u"alert %1 is not held by Alertmanager now, and without sources.prometheus no rule can be checked: make "
            u"sure a rule defines it"_s.arg(a.name) };
    }

    // A symptom no rule defines never joins the incident: worth a warning, not a verdict.
    void symptom(const RunbookNeeds &needs, const RunbookNeeds::Alert &a, RunbookVerdict &v) const
    {
        if (!rulesKnown() || m_prometheus->server.alerting.contains(a.name)
            || (m_alertmanager && m_alertmanager->alertNames.contains(a.name)))
            return;
        const QString close = closestName(a.name, m_prometheus->server.alerting);
        v.warnings << RunbookVerdict::Finding { needs.at(a.line),
            u"symptom %1: no alerting rule of that name in Prometheus at %2%3, so it never joins this runbook's "
            u"incidents"_s.arg(a.name, promUrl(), close.isEmpty() ? QString() : u" (did you mean %1?)"_s.arg(close)) };
    }

    void metric(const RunbookNeeds &needs, const RunbookNeeds::Metric &m, RunbookVerdict &v) const
    {
        const QString where = needs.at(m.line);
        if (!m_config.prometheus) {
            v.missing << RunbookVerdict::Finding { where,
                u"%1 reads %2 from Prometheus, and the configuration has no sources.prometheus"_s.arg(
                    m.readBy, m.selector) };
            return;
        }
        const auto found = m_prometheus->counts.constFind(m.selector);
        if (!m_prometheus->server.reachable || found == m_prometheus->counts.constEnd() || !found->ok) {
            const QString why = !m_prometheus->server.reachable
                ? u"Prometheus did not answer (see sources.prometheus above)"_s
                : found == m_prometheus->counts.constEnd() ? u"not asked in time"_s
                                                           : found->error;
            v.missing << RunbookVerdict::Finding { where, u"%1 could not be counted: %2"_s.arg(m.selector, why) };
            return;
        }
        if (found->series > 0) {
            v.found << RunbookVerdict::Finding { where,
                u"%1 (read by %2): %3"_s.arg(m.selector, m.readBy, seriesText(found->series)) };
            return;
        }
        QString message = u"%1 (read by %2) has no series in Prometheus at %3"_s.arg(m.selector, m.readBy, promUrl());
        const qint64 anyLabels = m_prometheus->counts.value(m.name).series;
        if (m.selector != m.name && anyLabels > 0) {
            message += u"; %1 has %2, none matching the runbook's labels: check the labels your scrape "
                       u"configuration gives (docs/prometheus-rules.md)"_s.arg(m.name, seriesText(anyLabels));
        } else if (m_prometheus->server.recording.contains(m.name)) {
            message += u"; it is recorded from %1"_s.arg(inputsText(m.name, 0));
        } else if (m.name.contains(u':')) {
            const QString close = closestName(m.name, m_prometheus->server.recording.keys());
            message += close.isEmpty()
                ? u"; no recording rule records it: add rules/antibody.rules.yml to Prometheus (docs/prometheus-rules.md)"_s
                : u"; no recording rule records it (did you mean %1?)"_s.arg(close);
        } else if (const QString exporter = usualExporter(m.name); !exporter.isEmpty()) {
            message += u"; "_s + scrapedQuestion(exporter);
        }
        showExpects();
        v.missing << RunbookVerdict::Finding { where, message };
    }

    // "pg_stat_activity_count (0 series: is postgres_exporter scraped?), pg_settings_max_connections (0 series)"
    QString inputsText(const QString &recorded, int depth) const
    {
        QStringList parts;
        for (const QString &input : vectorSelectors(m_prometheus->server.recording.value(recorded))) {
            const QString name = selectorName(input);
            if (name.isEmpty() || parts.size() >= 6)
                continue;
            const auto count = m_prometheus->counts.constFind(name);
            QString part = name;
            if (count != m_prometheus->counts.constEnd() && count->ok) {
                part += u" ("_s + seriesText(count->series);
                if (count->series == 0 && m_prometheus->server.recording.contains(name)
                    && depth + 1 < maxDoctorRuleDepth)
                    part += u", recorded from "_s + inputsText(name, depth + 1);
                else if (const QString exporter = usualExporter(name); count->series == 0 && !exporter.isEmpty())
                    part += u": "_s + scrapedQuestion(exporter);
                part += u')';
            }
            if (!parts.contains(part))
                parts << part;
        }
        return parts.isEmpty() ? u"nothing it could name"_s : parts.join(u", "_s);
    }

    // The header's "Expects:" goes with the first alert or metric found missing.
    void showExpects() const { m_expectsShown = true; }

    void action(const RunbookNeeds &needs, const RunbookNeeds::Action &a, RunbookVerdict &v) const
    {
        const QString where = needs.at(a.line);
        const QString key = m_executors.value(a.action);
        if (key.isEmpty()) {
            QString hint;
            if (a.family == u"database"_s)
                hint = m_config.postgres.isEmpty() ? u"add executors.postgres"_s
                                                   : u"executors.postgres runs terminate_connections only"_s;
            else if (a.family == u"workload"_s)
                hint = m_config.kubernetes ? u"executors.kubernetes runs restart_pods, scale and rollback_deployment"_s
                                           : u"add executors.kubernetes"_s;
            else
                hint = u"no connector runs the %1 family; only the simulated fleet does"_s.arg(a.family);
            v.missing << RunbookVerdict::Finding { where,
                u"step %1 runs %2, and no configured executor runs it: %3"_s.arg(a.step, a.action, hint) };
            return;
        }
        if (key == u"executors.kubernetes"_s) {
            if (m_kubernetes && !m_kubernetes->reachable)
                v.missing << RunbookVerdict::Finding { where,
                    u"step %1 runs %2 through executors.kubernetes, which is not reachable: %3"_s.arg(
                        a.step, a.action, m_kubernetes->detail) };
            else
                v.found << RunbookVerdict::Finding { where,
                    u"step %1 runs %2 through executors.kubernetes"_s.arg(a.step, a.action) };
            return;
        }
        bool allFine = true;
        for (const auto &[pg, facts] : m_databases) {
            const QString name = u"executors.postgres %1"_s.arg(pg.name);
            if (!facts.connected) {
                v.missing << RunbookVerdict::Finding { where,
                    u"step %1 runs %2 on %3, which cannot be reached: %4"_s.arg(a.step, a.action, name, facts.error) };
                allFine = false;
                continue;
            }
            if (!facts.mayTerminate) {
                v.missing << RunbookVerdict::Finding { where,
                    u"step %1 runs %2 on %3: role %4 cannot terminate connections: GRANT pg_signal_backend TO %4"_s.arg(
                        a.step, a.action, name, facts.role) };
                allFine = false;
            }
            if (!facts.maySeeSessions) {
                v.missing << RunbookVerdict::Finding { where,
                    u"step %1 runs %2 on %3: role %4 cannot see other roles' connections (their state and age): "
                    u"GRANT pg_read_all_stats TO %4"_s.arg(a.step, a.action, name, facts.role) };
                allFine = false;
            }
        }
        if (allFine) {
            v.found << RunbookVerdict::Finding { where,
                u"step %1 runs %2 through executors.postgres, whose role may"_s.arg(a.step, a.action)
                    + u" terminate and see other connections"_s };
        }
    }

    const Configuration &m_config;
    const PrometheusFacts *m_prometheus;
    const AlertmanagerFacts *m_alertmanager;
    const QHash<QString, QString> &m_executors;
    const QList<std::pair<PostgresConfig, PostgresFacts>> &m_databases;
    const std::optional<KubernetesFacts> &m_kubernetes;
    mutable bool m_expectsShown = false;
};

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
    report.checks << DoctorCheck { runbooks.isEmpty() ? Status::Warning : Status::Ok, u"runbooks"_s,
        runbooks.isEmpty() ? u"none configured: incidents are shown, nothing is proposed"_s
                           : u"%1 loaded from %2"_s.arg(runbooks.size()).arg(config.runbooks.join(u", "_s)) };

    const VerdictWriter writer(
        config, promFacts ? &*promFacts : nullptr, amFacts ? &*amFacts : nullptr, executors, databases, kubeFacts);
    for (qsizetype i = 0; i < runbooks.size(); ++i)
        report.runbooks << writer.verdict(runbooks.at(i), needs.at(i));
    report.elapsed = Duration { timer.elapsed() };
    return report;
}

} // namespace antibody

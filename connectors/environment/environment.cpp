#include "connectors/environment/environment.h"

#include "connectors/alertmanager/alertmanagersource.h"
#include "connectors/certificates/certificateexecutor.h"
#include "connectors/environment/servicerouter.h"
#include "connectors/http/redaction.h"
#include "connectors/kubernetes/kubernetesexecutor.h"
#include "connectors/notifiers/pagerdutynotifier.h"
#include "connectors/notifiers/webhooknotifier.h"
#include "connectors/postgres/postgresdiagnostics.h"
#include "connectors/postgres/postgresexecutor.h"
#include "connectors/prometheus/prometheussource.h"

using namespace Qt::StringLiterals;

namespace antibody {

Environment::Environment(Configuration config)
    : m_configuration(std::move(config))
    , m_warnings(m_configuration.warnings)
{
}

Environment::~Environment()
{
    // Executors borrow the databases: they go first.
    m_familyExecutors.clear();
    m_executors.clear();
    m_databases.clear();
}

Environment::Built Environment::fromConfiguration(const Configuration &config, Clock &clock)
{
    Built out;
    std::unique_ptr<Environment> env(new Environment(config));
    const Configuration &c = env->m_configuration;

    if (c.prometheus) {
        env->m_prometheus = std::make_unique<PrometheusSource>(*c.prometheus, clock, env.get());
        env->m_description << u"metrics:   "_s + env->m_prometheus->name();
    }
    if (c.alertmanager) {
        env->m_alertmanager = std::make_unique<AlertmanagerSource>(*c.alertmanager, clock, env.get());
        env->m_description << u"alerts:    %1 (every %2)"_s.arg(
            env->m_alertmanager->name(), formatDuration(c.alertmanager->pollInterval));
    }

    // PostgreSQL: the database and diagnostics families, routed by service when there are several.
    QList<QPair<QString, ActionExecutor *>> databaseRoutes;
    QList<QPair<QString, ActionExecutor *>> diagnosticRoutes;
    for (const PostgresConfig &pg : c.postgres) {
        env->m_databases.push_back(std::make_unique<PostgresDatabase>(pg, env.get()));
        PostgresDatabase &db = *env->m_databases.back();
        auto executor = std::make_unique<PostgresExecutor>(db);
        auto diagnostics = std::make_unique<PostgresDiagnostics>(db);
        databaseRoutes.append({ pg.service, executor.get() });
        diagnosticRoutes.append({ pg.service, diagnostics.get() });
        env->m_executors.push_back(std::move(executor));
        env->m_executors.push_back(std::move(diagnostics));
        env->m_description << u"database:  postgres %1 (%2)%3"_s.arg(
            pg.name, db.describe(), pg.service.isEmpty() ? QString() : u" for "_s + pg.service);
    }
    if (databaseRoutes.size() == 1) {
        // One database serves every incident: runbooks need not name it.
        env->m_familyExecutors << databaseRoutes.first().second << diagnosticRoutes.first().second;
    } else if (databaseRoutes.size() > 1) {
        env->m_executors.push_back(
            std::make_unique<ServiceRouter>(u"database"_s, u"executors.postgres"_s, databaseRoutes, env.get()));
        env->m_familyExecutors << env->m_executors.back().get();
        env->m_executors.push_back(
            std::make_unique<ServiceRouter>(u"diagnostics"_s, u"executors.postgres"_s, diagnosticRoutes, env.get()));
        env->m_familyExecutors << env->m_executors.back().get();
    }

    if (c.kubernetes) {
        const KubeAccess::Loaded access = c.kubernetes->inCluster
            ? KubeAccess::inCluster()
            : KubeAccess::fromKubeconfig(c.kubernetes->kubeconfig, c.kubernetes->context);
        if (!access.access) {
            out.error = u"executors.kubernetes: %1"_s.arg(access.error);
            return out;
        }
        auto k8s = std::make_unique<KubernetesExecutor>(*c.kubernetes, *access.access, env.get());
        if (const QString w = k8s->insecureWarning(); !w.isEmpty())
            env->m_warnings << w;
        env->m_description << u"workload:  kubernetes %1, %2"_s.arg(
            redactedUrl(access.access->server), k8s->describe());
        env->m_familyExecutors << k8s.get();
        env->m_executors.push_back(std::move(k8s));
    }

    if (c.certificates) {
        auto certificates = std::make_unique<CertificateExecutor>(*c.certificates, env.get());
        env->m_description << u"certs:     "_s + certificates->describe();
        env->m_familyExecutors << certificates.get();
        env->m_executors.push_back(std::move(certificates));
    }

    if (c.pagerduty) {
        env->m_notifiers.push_back(std::make_unique<PagerDutyNotifier>(*c.pagerduty, env.get()));
        env->m_description << u"notifier:  pagerduty %1"_s.arg(redactedUrl(c.pagerduty->url));
    }
    for (const WebhookConfig &w : c.webhooks) {
        env->m_notifiers.push_back(std::make_unique<WebhookNotifier>(w, env.get()));
        env->m_description << u"notifier:  webhook %1 %2"_s.arg(w.name, redactedUrl(w.url, w.urlIsSecret));
    }
    out.environment = std::move(env);
    return out;
}

Engine::Ports Environment::ports(Clock *clock, Store *store) const
{
    Engine::Ports p;
    p.clock = clock;
    p.store = store;
    p.metrics = m_prometheus.get();
    // Prometheus is an alert source for its feed health (it reports no alerts).
    if (m_prometheus)
        p.alertSources << m_prometheus.get();
    if (m_alertmanager)
        p.alertSources << m_alertmanager.get();
    p.executors = m_familyExecutors;
    for (const auto &n : m_notifiers)
        p.notifiers << n.get();
    return p;
}

Engine::Settings Environment::settings(Engine::Settings s) const
{
    const EngineConfig &e = m_configuration.engine;
    if (e.evaluationInterval)
        s.evaluationInterval = *e.evaluationInterval;
    if (e.freshnessBound)
        s.freshnessBound = *e.freshnessBound;
    if (e.passSettle)
        s.passSettle = *e.passSettle;
    if (e.approvalTtl)
        s.approvalTtl = *e.approvalTtl;
    if (e.maxCycles)
        s.maxCycles = *e.maxCycles;
    // A configured name is free text: the audit trail still says which account, host
    // and process acted under it (review finding 26).
    if (!e.identity.isEmpty())
        s.identity = s.identity.isEmpty() ? e.identity : u"%1 [%2]"_s.arg(e.identity, s.identity);
    return s;
}

} // namespace antibody

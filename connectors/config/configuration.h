#pragma once

#include "connectors/config/configerror.h"
#include "connectors/config/secret.h"
#include "connectors/http/httpoptions.h"
#include "engine/core/time.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <optional>

namespace antibody {

// How a feed's health is judged (FeedMonitor).
struct FeedHealthConfig
{
    Duration slowAfter { 2'000 }; // an answer slower than this marks the feed degraded
    int downAfterFailures = 3; // failures in a row before the feed counts as down
};

struct PrometheusConfig
{
    QUrl url;
    HttpOptions http;
    FeedHealthConfig health;
    Duration healthInterval { 5'000 }; // a probe keeps the feed's health current between reads
};

struct AlertmanagerConfig
{
    QUrl url;
    HttpOptions http;
    Duration pollInterval { 5'000 };
    QStringList filter; // matchers passed to /api/v2/alerts: team="dba"
    bool includeSilenced = false; // silenced and inhibited alerts are left to humans by default
    // After Alertmanager (re)starts it knows only the alerts Prometheus has re-sent
    // since; alerts missing during this window are not taken as resolved.
    Duration restartGrace { 75'000 };
    // The most alerts one poll takes; beyond it the most severe are read and nothing
    // resolves. Well above the 20,000-alert storm measured on the real stack.
    int maxAlerts = 25'000;
    FeedHealthConfig health;
};

struct PostgresConfig
{
    QString name; // "orders-db"; names the executor when several are configured
    QString dsn; // libpq connection string, without a password
    Secret password; // from password_env / password_file
    QString service; // the service label whose connections this database holds (empty: any)
    QStringList excludeApplications { QStringLiteral("postgres_exporter") };
    Duration connectTimeout { 5'000 };
    Duration statementTimeout { 10'000 };
};

struct KubernetesWorkload
{
    QString deployment;
    QString ns; // namespace
};

struct KubernetesConfig
{
    QString kubeconfig; // path; empty with inCluster
    bool inCluster = false; // service-account token and CA from the pod's mount
    QString context; // kubeconfig context (its current-context when empty)
    QString ns = QStringLiteral("default");
    QMap<QString, KubernetesWorkload> workloads; // service label -> deployment
    // `unmapped_services: allow`: a service missing from `workloads` is the deployment of
    // that name in `ns`. Off by default: the service comes from an alert label, which
    // anyone who can post to Alertmanager chooses.
    bool unmappedServicesAllowed = false;
    QUrl serverOverride; // `url:`: talk to this API server instead of the kubeconfig's
    HttpOptions http; // timeouts and trace; TLS and credentials come from the kubeconfig
};

// One certificate file a server serves, and the team's command that renews it
// (executors.certificates; docs/configuration.md).
struct CertificateConfig
{
    QString name; // the target's name, unique in the configuration: "shop-tls"
    QString service; // the `service` label whose incidents it answers
    QString file; // absolute path of the PEM file (leaf first, as fullchain.pem)
    QStringList renew; // argument vector; argv[0] a path or a name looked up on PATH
    Duration timeout { 120'000 }; // then the command's process group is killed
    QString configKey; // "executors.certificates.services.shop[0]", for errors
};

struct CertificatesConfig
{
    QMap<QString, QList<CertificateConfig>> services; // service label -> its certificates
    // Variables passed from Antibody's environment to the renewal commands, beside PATH,
    // HOME and LANG (STEPPATH for `step`, ...). Nothing else is inherited.
    QStringList passEnv;
};

struct PagerDutyConfig
{
    QUrl url { QStringLiteral("https://events.pagerduty.com/v2/enqueue") };
    Secret routingKey;
    QString source = QStringLiteral("antibody");
    HttpOptions http;
};

struct WebhookConfig
{
    QString name = QStringLiteral("webhook");
    QUrl url;
    bool urlIsSecret = false; // from url_env/url_file (Slack's URLs are credentials)
    HttpOptions http;
};

// Engine settings a configuration may override (engine.h's Settings keeps the defaults).
struct EngineConfig
{
    std::optional<Duration> evaluationInterval;
    std::optional<Duration> freshnessBound;
    std::optional<Duration> passSettle;
    std::optional<Duration> approvalTtl;
    std::optional<int> maxCycles;
    QString identity;
};

// Where a host and port to listen on come from: "127.0.0.1:8443", "[::1]:8443".
struct ListenAddress
{
    QString host;
    quint16 port = 0;
    bool isLoopback() const;
    QString text() const;
    static bool isIpAddress(const QString &host);
};

// `antibody-server` only (docs/team.md): where clients and the ecosystem reach it.
struct ServerConfig
{
    // The client API: consoles and `antibodyctl --server` (WebSocket, TLS).
    ListenAddress listen { QStringLiteral("127.0.0.1"), 8443 };
    QString certificate; // PEM files; both required unless `tls: off`
    QString privateKey;
    bool tls = true; // `tls: off` is refused unless `listen` is a loopback address
    // /metrics, /healthz, /readyz and the Alertmanager webhook: plain HTTP for Prometheus,
    // Alertmanager and health checks on the operators' network.
    ListenAddress httpListen { QStringLiteral("127.0.0.1"), 9464 };
    Duration heartbeat { 20'000 }; // a silent stream sends one this often
    // The shared PostgreSQL store (docs/store.md): two or more servers on one database,
    // one leading. Empty: the SQLite store in the data folder, one server.
    QString databaseDsn;
    Secret databasePassword;
    // Whether a client must present an API token in hello (docs/team.md, "Identities").
    // Off for now: a hello without one is named by its `name`; a token given is always checked.
    bool requireTokens = false;
    // Who may do what (docs/team.md, "Policy"): the policy file, default deny, reloaded on
    // SIGHUP. Empty: no policy, and any identity may decide anything (a warning at start).
    QString policy;
};

// An Antibody configuration file (docs/configuration.md). Loading resolves every
// secret from its environment variable or file, so a loaded configuration either
// works or failed with errors naming each bad key.
struct Configuration
{
    QString file;
    std::optional<PrometheusConfig> prometheus;
    std::optional<AlertmanagerConfig> alertmanager;
    QList<PostgresConfig> postgres;
    std::optional<KubernetesConfig> kubernetes;
    std::optional<CertificatesConfig> certificates;
    std::optional<PagerDutyConfig> pagerduty;
    QList<WebhookConfig> webhooks;
    QStringList runbooks; // absolute paths (files or folders)
    QString dataDir; // absolute; empty: the user's data folder
    EngineConfig engine;
    std::optional<ServerConfig> server; // read by antibody-server; other hosts ignore it
    QStringList warnings; // loud but allowed: TLS verification off, ...

    struct Loaded;
    static Loaded load(const QString &path);
    // `baseDir` resolves relative paths (runbooks, files); `fileName` names errors.
    static Loaded parse(const QByteArray &yaml, const QString &fileName, const QString &baseDir);
};

struct Configuration::Loaded
{
    std::optional<Configuration> configuration;
    QList<ConfigError> errors;
};

} // namespace antibody

#include "connectors/config/configsections.h"

#include "connectors/postgres/dsn.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace antibody::configsections {
namespace {

const QStringList httpKeys { u"url"_s, u"timeout"_s, u"connect_timeout"_s, u"retries"_s, u"max_response_bytes"_s,
    u"max_redirects"_s, u"tls"_s, u"auth"_s, u"trace"_s };

void readTls(ConfigReader &r, const YAML::Node &node, const QString &key, TlsOptions &tls)
{
    if (!r.checkMap(
            node, key, { u"ca_file"_s, u"client_cert_file"_s, u"client_key_file"_s, u"insecure_skip_verify"_s }))
        return;
    if (auto v = r.path(node, key, u"ca_file"_s, true))
        tls.caFile = *v;
    if (auto v = r.path(node, key, u"client_cert_file"_s, true))
        tls.clientCertFile = *v;
    if (auto v = r.path(node, key, u"client_key_file"_s, true))
        tls.clientKeyFile = *v;
    if (tls.clientCertFile.isEmpty() != tls.clientKeyFile.isEmpty())
        r.error(node, key, u"client_cert_file and client_key_file go together"_s);
    if (auto v = r.boolean(node, key, u"insecure_skip_verify"_s))
        tls.insecureSkipVerify = *v;
}

void readAuth(ConfigReader &r, const YAML::Node &node, const QString &key, HttpAuth &auth)
{
    if (!r.checkMap(node, key,
            { u"token_env"_s, u"token_file"_s, u"username"_s, u"password_env"_s, u"password_file"_s, u"token"_s,
                u"password"_s }))
        return;
    const bool bearer = node["token"].IsDefined() || ConfigReader::hasSecret(node, u"token"_s);
    const bool basic
        = node["username"].IsDefined() || node["password"].IsDefined() || ConfigReader::hasSecret(node, u"password"_s);
    if (bearer && basic) {
        r.error(node, key, u"give a bearer token (token_env/token_file) or a username and password, not both"_s);
        return;
    }
    if (bearer) {
        if (auto s = r.secret(node, key, u"token"_s, true)) {
            auth.kind = HttpAuth::Kind::Bearer;
            auth.secret = *s;
        }
    } else if (basic) {
        const auto user = r.text(node, key, u"username"_s);
        if (!user)
            r.error(node, ConfigReader::join(key, u"username"_s), u"missing; basic authentication needs a username"_s);
        const auto s = r.secret(node, key, u"password"_s, true);
        if (user && s) {
            auth.kind = HttpAuth::Kind::Basic;
            auth.username = *user;
            auth.secret = *s;
        }
    } else {
        r.error(node, key, u"is empty; give token_env/token_file, or username with password_env/password_file"_s);
    }
}

FeedHealthConfig readFeedHealth(ConfigReader &r, const YAML::Node &node, const QString &key, FeedHealthConfig h)
{
    if (auto v = r.duration(node, key, u"slow_after"_s, Duration { 10 }, Duration { 60'000 }))
        h.slowAfter = *v;
    if (auto v = r.integer(node, key, u"down_after_failures"_s, 1, 1000))
        h.downAfterFailures = static_cast<int>(*v);
    return h;
}

} // namespace

HttpOptions readHttp(ConfigReader &r, const YAML::Node &node, const QString &key, HttpOptions o,
    const QStringList &extraKeys, bool withUrl, bool withAuth)
{
    o.configKey = key;
    QStringList allowed = extraKeys;
    for (const QString &k : httpKeys) {
        if ((k != u"url"_s || withUrl) && (k != u"auth"_s || withAuth) && (k != u"tls"_s || withAuth))
            allowed << k;
    }
    if (!r.checkMap(node, key, allowed))
        return o;
    if (auto v = r.duration(node, key, u"timeout"_s, Duration { 10 }, Duration { 30'000 }))
        o.totalTimeout = *v;
    if (auto v = r.duration(node, key, u"connect_timeout"_s, Duration { 10 }, Duration { 5'000 }))
        o.connectTimeout = *v;
    if (o.connectTimeout > o.totalTimeout)
        o.connectTimeout = o.totalTimeout;
    if (auto v = r.integer(node, key, u"retries"_s, 1, 10))
        o.maxAttempts = static_cast<int>(*v);
    if (auto v = r.integer(node, key, u"max_response_bytes"_s, 1024, qint64(256) << 20))
        o.maxResponseBytes = *v;
    if (auto v = r.integer(node, key, u"max_redirects"_s, 0, 10))
        o.maxRedirects = static_cast<int>(*v);
    if (auto v = r.boolean(node, key, u"trace"_s))
        o.trace = *v;
    if (withAuth) {
        if (const YAML::Node tls = node["tls"]; tls.IsDefined())
            readTls(r, tls, ConfigReader::join(key, u"tls"_s), o.tls);
        if (const YAML::Node auth = node["auth"]; auth.IsDefined())
            readAuth(r, auth, ConfigReader::join(key, u"auth"_s), o.auth);
    }
    return o;
}

std::optional<PrometheusConfig> readPrometheus(ConfigReader &r, const YAML::Node &node, const QString &key)
{
    PrometheusConfig c;
    c.http = readHttp(
        r, node, key, c.http, { u"health_interval"_s, u"slow_after"_s, u"down_after_failures"_s }, true, true);
    if (!node.IsMap())
        return std::nullopt;
    c.health = readFeedHealth(r, node, key, c.health);
    if (auto v = r.duration(node, key, u"health_interval"_s, Duration { 100 }, Duration { 600'000 }))
        c.healthInterval = *v;
    const auto url
        = r.requiredHttpUrl(node, key, u"url"_s, u"where Prometheus answers, such as http://127.0.0.1:9090"_s);
    if (!url)
        return std::nullopt;
    c.url = *url;
    return c;
}

std::optional<AlertmanagerConfig> readAlertmanager(ConfigReader &r, const YAML::Node &node, const QString &key)
{
    AlertmanagerConfig c;
    // A poller must notice a dead server quickly: short timeout, one retry.
    c.http.totalTimeout = Duration { 3'000 };
    c.http.connectTimeout = Duration { 1'000 };
    c.http.maxAttempts = 2;
    c.http = readHttp(r, node, key, c.http,
        { u"poll_interval"_s, u"filter"_s, u"include_silenced"_s, u"restart_grace"_s, u"max_alerts"_s, u"slow_after"_s,
            u"down_after_failures"_s },
        true, true);
    if (!node.IsMap())
        return std::nullopt;
    if (auto v = r.duration(node, key, u"poll_interval"_s, Duration { 100 }, Duration { 600'000 }))
        c.pollInterval = *v;
    if (auto v = r.textList(node, key, u"filter"_s))
        c.filter = *v;
    if (auto v = r.boolean(node, key, u"include_silenced"_s))
        c.includeSilenced = *v;
    if (auto v = r.duration(node, key, u"restart_grace"_s, Duration { 0 }, Duration { 1'800'000 }))
        c.restartGrace = *v;
    if (auto v = r.integer(node, key, u"max_alerts"_s, 1, 1'000'000))
        c.maxAlerts = static_cast<int>(*v);
    c.health = readFeedHealth(r, node, key, c.health);
    const auto url
        = r.requiredHttpUrl(node, key, u"url"_s, u"where Alertmanager answers, such as http://127.0.0.1:9093"_s);
    if (!url)
        return std::nullopt;
    c.url = *url;
    return c;
}

QList<PostgresConfig> readPostgres(ConfigReader &r, const YAML::Node &section, const QString &sectionKey)
{
    const QStringList allowed { u"name"_s, u"dsn"_s, u"password"_s, u"password_env"_s, u"password_file"_s, u"service"_s,
        u"exclude_applications"_s, u"connect_timeout"_s, u"statement_timeout"_s };
    QList<PostgresConfig> out;
    const QList<YAML::Node> items = r.entries(section, sectionKey);
    QSet<QString> names;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const YAML::Node &node = items[i];
        const QString key = ConfigReader::entryKey(section, sectionKey, i);
        if (!r.checkMap(node, key, allowed))
            continue;
        PostgresConfig c;
        bool ok = true;
        if (auto dsn = r.text(node, key, u"dsn"_s)) {
            if (const QString problem = dsnProblem(*dsn); !problem.isEmpty()) {
                r.error(node["dsn"], ConfigReader::join(key, u"dsn"_s), problem);
                ok = false;
            }
            c.dsn = *dsn;
        } else {
            if (!node["dsn"].IsDefined())
                r.error(node, ConfigReader::join(key, u"dsn"_s),
                    u"missing; a libpq connection string such as \"host=127.0.0.1 port=5432 dbname=postgres user=antibody\""_s);
            ok = false;
        }
        if (node["password"].IsDefined() || ConfigReader::hasSecret(node, u"password"_s)) {
            if (auto s = r.secret(node, key, u"password"_s, false))
                c.password = *s;
            else
                ok = false;
        }
        if (auto v = r.text(node, key, u"service"_s))
            c.service = *v;
        c.name = r.text(node, key, u"name"_s).value_or(c.service.isEmpty() ? u"postgres"_s : c.service);
        if (names.contains(c.name)) {
            r.error(node, key, u"a second database named '%1'; give each a distinct name"_s.arg(c.name));
            ok = false;
        }
        names.insert(c.name);
        if (auto v = r.textList(node, key, u"exclude_applications"_s))
            c.excludeApplications = *v;
        if (auto v = r.duration(node, key, u"connect_timeout"_s, Duration { 1'000 }, Duration { 30'000 }))
            c.connectTimeout = *v;
        if (auto v = r.duration(node, key, u"statement_timeout"_s, Duration { 100 }, Duration { 300'000 }))
            c.statementTimeout = *v;
        if (ok)
            out << c;
    }
    if (out.size() > 1) {
        for (const PostgresConfig &c : std::as_const(out)) {
            if (c.service.isEmpty())
                r.error(section, sectionKey,
                    u"with several databases, each needs `service:` (the service label whose incidents it serves); '%1' has none"_s
                        .arg(c.name));
        }
    }
    return out;
}

std::optional<KubernetesConfig> readKubernetes(ConfigReader &r, const YAML::Node &node, const QString &key)
{
    KubernetesConfig c;
    c.http.totalTimeout = Duration { 15'000 };
    c.http = readHttp(r, node, key, c.http,
        { u"kubeconfig"_s, u"in_cluster"_s, u"context"_s, u"namespace"_s, u"workloads"_s, u"unmapped_services"_s },
        true, false);
    if (!node.IsMap())
        return std::nullopt;
    if (auto v = r.boolean(node, key, u"in_cluster"_s))
        c.inCluster = *v;
    if (auto v = r.path(node, key, u"kubeconfig"_s, true))
        c.kubeconfig = *v;
    if (c.inCluster && !c.kubeconfig.isEmpty()) {
        r.error(node, key, u"give kubeconfig or in_cluster: true, not both"_s);
        return std::nullopt;
    }
    if (!c.inCluster && c.kubeconfig.isEmpty()) {
        r.error(node, ConfigReader::join(key, u"kubeconfig"_s),
            u"missing; the path of a kubeconfig file, or in_cluster: true inside a pod"_s);
        return std::nullopt;
    }
    if (auto v = r.text(node, key, u"context"_s))
        c.context = *v;
    if (auto v = r.text(node, key, u"namespace"_s))
        c.ns = *v;
    if (auto v = r.httpUrl(node, key, u"url"_s))
        c.serverOverride = *v;
    if (auto v = r.choice(node, key, u"unmapped_services"_s, { u"deny"_s, u"allow"_s }))
        c.unmappedServicesAllowed = *v == u"allow"_s;
    if (const YAML::Node workloads = node["workloads"]; workloads.IsDefined()) {
        const QString wkey = ConfigReader::join(key, u"workloads"_s);
        if (!workloads.IsMap()) {
            r.error(workloads, wkey, u"expected a mapping: service name -> { deployment, namespace }"_s);
        } else {
            for (auto it = workloads.begin(); it != workloads.end(); ++it) {
                const QString service = QString::fromStdString(it->first.Scalar());
                const QString skey = ConfigReader::join(wkey, service);
                if (!r.checkMap(it->second, skey, { u"deployment"_s, u"namespace"_s }))
                    continue;
                KubernetesWorkload w;
                w.deployment = r.text(it->second, skey, u"deployment"_s).value_or(service);
                w.ns = r.text(it->second, skey, u"namespace"_s).value_or(c.ns);
                c.workloads.insert(service, w);
            }
        }
    }
    return c;
}

std::optional<PagerDutyConfig> readPagerDuty(ConfigReader &r, const YAML::Node &node, const QString &key)
{
    PagerDutyConfig c;
    c.http.totalTimeout = Duration { 10'000 };
    c.http = readHttp(r, node, key, c.http,
        { u"routing_key"_s, u"routing_key_env"_s, u"routing_key_file"_s, u"source"_s }, true, true);
    if (!node.IsMap())
        return std::nullopt;
    if (node["url"].IsDefined()) {
        const auto url = r.httpUrl(node, key, u"url"_s);
        if (!url)
            return std::nullopt;
        c.url = *url;
    }
    if (auto v = r.text(node, key, u"source"_s))
        c.source = *v;
    const auto routingKey = r.secret(node, key, u"routing_key"_s, true);
    if (!routingKey)
        return std::nullopt;
    c.routingKey = *routingKey;
    return c;
}

QList<WebhookConfig> readWebhooks(ConfigReader &r, const YAML::Node &section, const QString &sectionKey)
{
    QList<WebhookConfig> out;
    const QList<YAML::Node> items = r.entries(section, sectionKey);
    QSet<QString> names;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const YAML::Node &node = items[i];
        const QString key = ConfigReader::entryKey(section, sectionKey, i);
        WebhookConfig c;
        c.http = readHttp(r, node, key, c.http, { u"name"_s, u"url_env"_s, u"url_file"_s }, true, true);
        if (!node.IsMap())
            continue;
        if (auto v = r.text(node, key, u"name"_s))
            c.name = *v;
        if (names.contains(c.name)) {
            r.error(node, key, u"a second webhook named '%1'; give each a distinct name"_s.arg(c.name));
            continue;
        }
        names.insert(c.name);
        const bool secretUrl = ConfigReader::hasSecret(node, u"url"_s);
        if (secretUrl && node["url"].IsDefined()) {
            r.error(node, key, u"give url, url_env or url_file: one of them"_s);
            continue;
        }
        if (secretUrl) {
            // Chat webhooks (Slack's among them) carry their credential in the URL itself.
            const auto s = r.secret(node, key, u"url"_s, true);
            if (!s)
                continue;
            const QUrl url(QString::fromUtf8(s->reveal()).trimmed(), QUrl::StrictMode);
            const QString scheme = url.scheme().toLower();
            if (!url.isValid() || url.host().isEmpty() || (scheme != u"http"_s && scheme != u"https"_s)) {
                r.error(node, key,
                    u"the URL read from %1 is not an http:// or https:// URL"_s.arg(
                        node["url_env"].IsDefined() ? u"url_env"_s : u"url_file"_s));
                continue;
            }
            c.url = url;
            c.urlIsSecret = true;
        } else {
            const auto url = r.httpUrl(node, key, u"url"_s);
            if (!url) {
                if (!node["url"].IsDefined())
                    r.error(node, ConfigReader::join(key, u"url"_s), u"missing; give url, url_env or url_file"_s);
                continue;
            }
            c.url = *url;
        }
        c.http.hideUrlPath = c.urlIsSecret;
        out << c;
    }
    return out;
}

EngineConfig readEngine(ConfigReader &r, const YAML::Node &node, const QString &key)
{
    EngineConfig e;
    if (!r.checkMap(node, key,
            { u"evaluation_interval"_s, u"freshness_bound"_s, u"pass_settle"_s, u"approval_ttl"_s, u"max_cycles"_s,
                u"identity"_s }))
        return e;
    e.evaluationInterval = r.duration(node, key, u"evaluation_interval"_s, Duration { 100 }, Duration { 300'000 });
    e.freshnessBound = r.duration(node, key, u"freshness_bound"_s, Duration { 100 }, Duration { 1'800'000 });
    e.passSettle = r.duration(node, key, u"pass_settle"_s, Duration { 0 }, Duration { 600'000 });
    e.approvalTtl = r.duration(node, key, u"approval_ttl"_s, Duration { 1'000 }, Duration { 900'000 });
    if (auto v = r.integer(node, key, u"max_cycles"_s, 1, 100))
        e.maxCycles = static_cast<int>(*v);
    if (auto v = r.text(node, key, u"identity"_s))
        e.identity = *v;
    return e;
}

namespace {

// "host:port" with a port up to 65535 (0: any free one, for tests); IPv6 hosts in brackets.
std::optional<ListenAddress> readListen(
    ConfigReader &r, const YAML::Node &node, const QString &parent, const QString &name)
{
    const auto value = r.text(node, parent, name);
    if (!value)
        return std::nullopt;
    const QString text = value->trimmed();
    const qsizetype colon = text.lastIndexOf(u':');
    bool ok = false;
    const uint port = colon > 0 ? QStringView(text).mid(colon + 1).toUInt(&ok) : 0;
    QString host = colon > 0 ? text.left(colon) : QString();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (!ok || port > 65535 || !ListenAddress::isIpAddress(host)) {
        r.error(node[name.toStdString()], ConfigReader::join(parent, name),
            u"takes an IP address and a port, such as 127.0.0.1:8443 or [::1]:8443 (got '%1')"_s.arg(text));
        return std::nullopt;
    }
    return ListenAddress { host, static_cast<quint16>(port) };
}

} // namespace

ServerConfig readServer(ConfigReader &r, const YAML::Node &node, const QString &key)
{
    ServerConfig s;
    if (!r.checkMap(node, key,
            { u"listen"_s, u"certificate"_s, u"private_key"_s, u"tls"_s, u"http_listen"_s, u"heartbeat"_s,
                u"database"_s, u"require_tokens"_s, u"policy"_s }))
        return s;
    if (const YAML::Node db = node["database"]; db.IsDefined()) {
        const QString dbKey = ConfigReader::join(key, u"database"_s);
        if (r.checkMap(db, dbKey, { u"dsn"_s, u"password_env"_s, u"password_file"_s })) {
            if (auto dsn = r.text(db, dbKey, u"dsn"_s)) {
                if (const QString problem = dsnProblem(*dsn); !problem.isEmpty())
                    r.error(db["dsn"], ConfigReader::join(dbKey, u"dsn"_s), problem);
                else
                    s.databaseDsn = *dsn;
            } else if (!db["dsn"].IsDefined()) {
                r.error(db, ConfigReader::join(dbKey, u"dsn"_s),
                    u"missing: the libpq connection string of the shared store, such as \"host=db.internal "
                    "dbname=antibody user=antibody sslmode=verify-full\""_s);
            }
            if (ConfigReader::hasSecret(db, u"password"_s)) {
                if (auto secret = r.secret(db, dbKey, u"password"_s, false))
                    s.databasePassword = *secret;
            }
        }
    }
    if (auto v = readListen(r, node, key, u"listen"_s))
        s.listen = *v;
    if (auto v = readListen(r, node, key, u"http_listen"_s))
        s.httpListen = *v;
    if (auto v = r.boolean(node, key, u"tls"_s))
        s.tls = *v;
    if (auto v = r.boolean(node, key, u"require_tokens"_s))
        s.requireTokens = *v;
    if (auto v = r.path(node, key, u"policy"_s, true))
        s.policy = *v;
    if (auto v = r.path(node, key, u"certificate"_s, true))
        s.certificate = *v;
    if (auto v = r.path(node, key, u"private_key"_s, true))
        s.privateKey = *v;
    if (auto v = r.duration(node, key, u"heartbeat"_s, Duration { 100 }, Duration { 300'000 }))
        s.heartbeat = *v;
    if (!s.tls && !s.listen.isLoopback()) {
        r.error(node["tls"], ConfigReader::join(key, u"tls"_s),
            u"is off while server.listen (%1) is not a loopback address: consoles would send approvals in clear "
            "text; give a certificate and private_key, or listen on 127.0.0.1"_s.arg(s.listen.text()));
    } else if (!s.tls) {
        r.warn(u"server.tls is off: clients on this machine only (%1)"_s.arg(s.listen.text()));
    } else if (s.certificate.isEmpty() || s.privateKey.isEmpty()) {
        r.error(
            node, key, u"needs certificate and private_key (PEM files) for TLS; docs/team.md shows how to make them"_s);
    }
    return s;
}

} // namespace antibody::configsections

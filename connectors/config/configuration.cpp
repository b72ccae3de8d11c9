#include "connectors/config/configuration.h"

#include "connectors/config/configreader.h"
#include "connectors/config/configsections.h"
#include "connectors/http/redaction.h"
#include "engine/core/boundedfile.h"

#include <QFile>
#include <QFileInfo>
#include <arpa/inet.h>
#include <netinet/in.h>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

constexpr qint64 maxConfigBytes = 1024 * 1024;

void warnIfInsecure(ConfigReader &r, const HttpOptions &o, const QUrl &url)
{
    if (o.tls.insecureSkipVerify) {
        r.warn(u"%1.tls.insecure_skip_verify is on: TLS verification is OFF for %2"_s.arg(
            o.configKey, redactedUrl(url, o.hideUrlPath)));
    }
    // Review finding 19: a token or password over plain http can be read by anyone on the path.
    if (o.auth.kind != HttpAuth::Kind::None && url.scheme().compare(u"https"_s, Qt::CaseInsensitive) != 0) {
        r.warn(u"%1.auth sends a credential over plain http to %2: anyone on the network path can read it; use "
               u"an https URL"_s.arg(o.configKey, redactedUrl(url, o.hideUrlPath)));
    }
}

} // namespace

Configuration::Loaded Configuration::load(const QString &path)
{
    Loaded out;
    const BoundedFile file = readBoundedFile(path, maxConfigBytes);
    if (!file.error.isEmpty()) {
        out.errors.append(ConfigError { path, 0, 0, {}, u"cannot read the configuration: %1"_s.arg(file.error) });
        return out;
    }
    if (file.tooLarge) {
        out.errors.append(ConfigError { path, 0, 0, {}, u"the file is larger than 1 MiB; is it a configuration?"_s });
        return out;
    }
    return parse(file.bytes, path, QFileInfo(path).absolutePath());
}

Configuration::Loaded Configuration::parse(const QByteArray &yaml, const QString &fileName, const QString &baseDir)
{
    using namespace configsections;
    Loaded out;
    if (yaml.size() > maxConfigBytes) {
        out.errors.append(
            ConfigError { fileName, 0, 0, {}, u"the file is larger than 1 MiB; is it a configuration?"_s });
        return out;
    }
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        const int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
        const int column = e.mark.column >= 0 ? e.mark.column + 1 : 0;
        out.errors.append(
            ConfigError { fileName, line, column, {}, u"not valid YAML: %1"_s.arg(QString::fromStdString(e.msg)) });
        return out;
    }

    ConfigReader r(fileName, baseDir);
    Configuration c;
    c.file = fileName;
    if (root.IsNull() || !root.IsDefined()) {
        out.configuration = c; // an empty file: the defaults (the simulated fleet)
        return out;
    }
    try {
        if (r.checkMap(root, {},
                { u"sources"_s, u"executors"_s, u"notifiers"_s, u"runbooks"_s, u"engine"_s, u"data_dir"_s,
                    u"server"_s })) {
            if (const YAML::Node sources = root["sources"];
                sources.IsDefined() && r.checkMap(sources, u"sources"_s, { u"prometheus"_s, u"alertmanager"_s })) {
                if (const YAML::Node n = sources["prometheus"]; n.IsDefined())
                    c.prometheus = readPrometheus(r, n, u"sources.prometheus"_s);
                if (const YAML::Node n = sources["alertmanager"]; n.IsDefined())
                    c.alertmanager = readAlertmanager(r, n, u"sources.alertmanager"_s);
            }
            if (const YAML::Node executors = root["executors"]; executors.IsDefined()
                && r.checkMap(executors, u"executors"_s, { u"postgres"_s, u"kubernetes"_s, u"certificates"_s })) {
                if (const YAML::Node n = executors["postgres"]; n.IsDefined())
                    c.postgres = readPostgres(r, n, u"executors.postgres"_s);
                if (const YAML::Node n = executors["kubernetes"]; n.IsDefined())
                    c.kubernetes = readKubernetes(r, n, u"executors.kubernetes"_s);
                if (const YAML::Node n = executors["certificates"]; n.IsDefined())
                    c.certificates = readCertificates(r, n, u"executors.certificates"_s);
            }
            if (const YAML::Node notifiers = root["notifiers"];
                notifiers.IsDefined() && r.checkMap(notifiers, u"notifiers"_s, { u"pagerduty"_s, u"webhook"_s })) {
                if (const YAML::Node n = notifiers["pagerduty"]; n.IsDefined())
                    c.pagerduty = readPagerDuty(r, n, u"notifiers.pagerduty"_s);
                if (const YAML::Node n = notifiers["webhook"]; n.IsDefined())
                    c.webhooks = readWebhooks(r, n, u"notifiers.webhook"_s);
            }
            if (root["runbooks"].IsDefined()) {
                const YAML::Node n = root["runbooks"];
                if (const auto paths = r.textList(root, {}, u"runbooks"_s)) {
                    for (qsizetype i = 0; i < paths->size(); ++i) {
                        const QString resolved = r.resolvePath(paths->at(i));
                        if (!QFileInfo::exists(resolved)) {
                            r.error(n.IsSequence() ? n[static_cast<size_t>(i)] : n, u"runbooks[%1]"_s.arg(i),
                                u"%1 does not exist (paths are relative to the configuration file's folder)"_s.arg(
                                    resolved));
                        } else {
                            c.runbooks << resolved;
                        }
                    }
                }
            }
            if (const YAML::Node n = root["engine"]; n.IsDefined())
                c.engine = readEngine(r, n, u"engine"_s);
            if (const YAML::Node n = root["server"]; n.IsDefined())
                c.server = readServer(r, n, u"server"_s);
            if (auto v = r.path(root, {}, u"data_dir"_s, false))
                c.dataDir = *v;
            if (root["sources"].IsDefined() && !c.prometheus && !c.alertmanager && r.errors().isEmpty())
                r.error(
                    root["sources"], u"sources"_s, u"names no source; configure prometheus, alertmanager or both"_s);
        }
    } catch (const YAML::Exception &e) {
        // yaml-cpp refuses some hostile shapes (too deep, bad aliases) only while walking.
        r.error(e.mark, {}, u"cannot read this YAML: %1"_s.arg(QString::fromStdString(e.msg)));
    }

    if (c.prometheus)
        warnIfInsecure(r, c.prometheus->http, c.prometheus->url);
    if (c.alertmanager)
        warnIfInsecure(r, c.alertmanager->http, c.alertmanager->url);
    if (c.pagerduty)
        warnIfInsecure(r, c.pagerduty->http, c.pagerduty->url);
    for (const WebhookConfig &w : std::as_const(c.webhooks))
        warnIfInsecure(r, w.http, w.url);

    out.errors = r.errors();
    if (out.errors.isEmpty()) {
        c.warnings = r.warnings();
        out.configuration = std::move(c);
    }
    return out;
}

// inet_pton rather than QHostAddress: the connectors do not link Qt Network.
bool ListenAddress::isIpAddress(const QString &host)
{
    const QByteArray text = host.toLatin1();
    unsigned char address[sizeof(in6_addr)];
    return !host.isEmpty()
        && (inet_pton(AF_INET, text.constData(), address) == 1 || inet_pton(AF_INET6, text.constData(), address) == 1);
}

bool ListenAddress::isLoopback() const
{
    const QByteArray text = host.toLatin1();
    in_addr v4 {};
    in6_addr v6 {};
    if (inet_pton(AF_INET, text.constData(), &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    return inet_pton(AF_INET6, text.constData(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

QString ListenAddress::text() const
{
    return (host.contains(u':') ? u"[%1]:%2"_s : u"%1:%2"_s).arg(host).arg(port);
}

} // namespace antibody

#pragma once

#include "connectors/config/configreader.h"
#include "connectors/config/configuration.h"

namespace antibody::configsections {

// One reader per section of docs/configuration.md. Each records its errors in
// the reader and returns what it could read.
HttpOptions readHttp(ConfigReader &r, const YAML::Node &node, const QString &key, HttpOptions defaults,
    const QStringList &extraKeys, bool withUrl, bool withAuth);
std::optional<PrometheusConfig> readPrometheus(ConfigReader &r, const YAML::Node &node, const QString &key);
std::optional<AlertmanagerConfig> readAlertmanager(ConfigReader &r, const YAML::Node &node, const QString &key);
QList<PostgresConfig> readPostgres(ConfigReader &r, const YAML::Node &node, const QString &key);
std::optional<KubernetesConfig> readKubernetes(ConfigReader &r, const YAML::Node &node, const QString &key);
// connectors/config/certificatessection.cpp
std::optional<CertificatesConfig> readCertificates(ConfigReader &r, const YAML::Node &node, const QString &key);
std::optional<PagerDutyConfig> readPagerDuty(ConfigReader &r, const YAML::Node &node, const QString &key);
QList<WebhookConfig> readWebhooks(ConfigReader &r, const YAML::Node &node, const QString &key);
EngineConfig readEngine(ConfigReader &r, const YAML::Node &node, const QString &key);
ServerConfig readServer(ConfigReader &r, const YAML::Node &node, const QString &key);

} // namespace antibody::configsections

#pragma once

#include "connectors/config/configuration.h"
#include "connectors/doctor/alertmanagerprobe.h"
#include "connectors/doctor/certificateprobe.h"
#include "connectors/doctor/postgresprobe.h"
#include "connectors/doctor/prometheusprobe.h"

#include <QHash>
#include <optional>

namespace antibody {

// How deep `antibodyctl doctor` follows recording rules to the raw series they read.
constexpr int doctorRuleDepth = 3;

// What Prometheus said: the server, and the series count of every selector asked.
struct PrometheusFacts
{
    PrometheusProbe::Server server;
    QHash<QString, PrometheusProbe::Count> counts;
};

struct KubernetesFacts
{
    bool reachable = false;
    QString detail; // what answered, or what did not and why
};

// Everything the configured world told `antibodyctl doctor`, for the runbooks' verdicts.
struct WorldFacts
{
    std::optional<PrometheusFacts> prometheus; // set when sources.prometheus is configured
    std::optional<AlertmanagerFacts> alertmanager;
    QList<std::pair<PostgresConfig, PostgresFacts>> databases;
    std::optional<KubernetesFacts> kubernetes;
    QList<CertificateFacts> certificates; // one per certificate of executors.certificates
    QHash<QString, QString> executors; // action -> the configuration key of the executor that runs it
};

} // namespace antibody

#pragma once

#include "connectors/config/configuration.h"
#include "engine/pipeline/engine.h"

#include <QObject>
#include <memory>
#include <vector>

namespace antibody {

class AlertmanagerSource;
class KubernetesExecutor;
class PostgresDatabase;
class PrometheusSource;

// Turns a configuration into the engine's ports: the Prometheus metric source,
// the alert sources (Alertmanager; Prometheus for its feed health), one
// executor per action family, and the notifiers. It owns them all; the engine
// only borrows them. Every connector object is a child of the environment, so
// moving the environment to the engine's thread moves them all.
class Environment : public QObject
{
    Q_OBJECT
public:
    struct Built;
    // Errors name the configuration key (a kubeconfig that cannot be read, ...).
    static Built fromConfiguration(const Configuration &config, Clock &clock);
    ~Environment() override;

    // The ports, with the caller's clock and store.
    Engine::Ports ports(Clock *clock, Store *store) const;
    // The engine's settings with the configuration's `engine:` overrides applied.
    Engine::Settings settings(Engine::Settings defaults) const;
    // Loud but allowed: to log at every start (TLS verification off, ...).
    QStringList warnings() const { return m_warnings; }
    // One line per connector: "metrics: prometheus http://127.0.0.1:19090".
    QStringList describe() const { return m_description; }
    QStringList runbookPaths() const { return m_configuration.runbooks; }
    const Configuration &configuration() const { return m_configuration; }

private:
    explicit Environment(Configuration config);

    Configuration m_configuration;
    std::unique_ptr<PrometheusSource> m_prometheus;
    std::unique_ptr<AlertmanagerSource> m_alertmanager;
    std::vector<std::unique_ptr<PostgresDatabase>> m_databases;
    std::vector<std::unique_ptr<ActionExecutor>> m_executors; // owned
    QList<ActionExecutor *> m_familyExecutors; // one per family, for the engine
    std::vector<std::unique_ptr<Notifier>> m_notifiers;
    QStringList m_warnings;
    QStringList m_description;
};

struct Environment::Built
{
    std::unique_ptr<Environment> environment;
    QString error;
};

} // namespace antibody

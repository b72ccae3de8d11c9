#pragma once

#include "connectors/environment/environment.h"
#include "engine/pipeline/engine.h"

#include <QString>
#include <QStringList>
#include <memory>

namespace antibody {

class RunbookRecords;
class SqliteStore;

// Everything a host (`antibodyctl run`, `antibody --config`) needs to run the
// engine against a configuration file: the configuration read, its connectors
// built (Environment), the SQLite store opened, the runbooks loaded, and the
// Engine constructed on them — not yet started. It owns all of it and tears it
// down in the right order (engine, connectors, then the store, flushed).
//
// Everything is created on the calling thread and stays there: build it on the
// thread the engine is to run on. It makes no widgets and starts no threads.
class ConfiguredEngine
{
public:
    struct Options
    {
        QString configFile; // the YAML configuration (docs/configuration.md)
        QString dataDir; // overrides the configuration's data_dir; both empty: DataDirectory's default
        QString identity; // who this engine is in the audit trail, unless `engine.identity` says otherwise
        bool autoApprove = false; // `--approve auto`: Level 2 proposals are approved as they come ...
        QString autoApprover; // ... by this name in the audit trail (empty: "auto-approver")
        // A store the host opened itself (the team server's PostgreSQL), borrowed: it
        // outlives this object. None: the SQLite store of the data folder, owned.
        Store *store = nullptr;
        QString storeDescription; // "postgres host=db1 dbname=antibody", for describe()
    };
    struct Built;

    // Never throws. On failure `engine` is null and `error` says what is wrong, where
    // (file:line:col and key, or the runbook's file:line:col) and what to do, one
    // problem a line.
    static Built build(const Options &options, Clock &clock);
    // The same from a configuration the host has loaded already (antibody-server reads
    // its `server:` section first); `options.configFile` is not read again.
    static Built build(const Configuration &config, const Options &options, Clock &clock);
    ~ConfiguredEngine();
    ConfiguredEngine(const ConfiguredEngine &) = delete;
    ConfiguredEngine &operator=(const ConfiguredEngine &) = delete;

    // Call start() when the host is ready for its events; stop() (or destruction) ends it.
    Engine &engine() { return *m_engine; }
    Environment &environment() { return *m_environment; }
    Store &store() { return *m_activeStore; }
    // The SQLite store when this object opened it; null when the store was borrowed.
    SqliteStore *sqliteStore() { return m_store.get(); }
    QString databaseFile() const;

    // Loud but allowed, to show at every start: TLS verification off, runbook lint
    // warnings, no runbooks configured.
    QStringList warnings() const { return m_warnings; }
    // One line per connector ("metrics:   prometheus http://..."), then the runbooks
    // and the database.
    QStringList describe() const { return m_description; }

    // Reads the configured runbooks again (SIGHUP). When any has an error the engine
    // keeps the runbooks it has, and the answer says why, one problem a line; else it
    // says what is loaded now.
    struct Reload
    {
        bool ok = false;
        QString text;
    };
    Reload reloadRunbooks();
    // Runbooks installed over the team server's client API, read by each reload beside
    // the configured ones: an installed runbook replaces a configured one of its name.
    // Borrowed; none: the configured runbooks alone.
    void setInstalledRunbooks(RunbookRecords *records) { m_installed = records; }
    // The configured alert sources, to look now when a push says so.
    QList<AlertSource *> alertSources() const;
    // The configured metric source (the team server's charts read it); null without one.
    MetricSource *metricSource() const;

    // Stops the engine and commits what the store still holds; idempotent.
    void stop();

private:
    ConfiguredEngine() = default;

    std::unique_ptr<SqliteStore> m_store;
    Store *m_activeStore = nullptr; // m_store, or the borrowed one
    std::unique_ptr<Environment> m_environment;
    std::unique_ptr<Engine> m_engine;
    QStringList m_warnings;
    QStringList m_description;
    bool m_stopped = false;
    RunbookRecords *m_installed = nullptr;
};

struct ConfiguredEngine::Built
{
    std::unique_ptr<ConfiguredEngine> engine;
    QString error;
};

} // namespace antibody

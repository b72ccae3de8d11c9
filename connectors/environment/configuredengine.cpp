#include "connectors/environment/configuredengine.h"

#include "engine/ports/runbookrecords.h"
#include "engine/runbook/runbookloader.h"
#include "engine/store/datadirectory.h"
#include "engine/store/sqlitestore.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// Lint errors stop the start: a runbook that does not load must not silently be missing.
QString runbookErrors(const LibraryResult &library)
{
    QStringList lines { u"the configured runbooks do not load; fix these (`antibodyctl lint` says more):"_s };
    for (const Diagnostic &d : library.diagnostics) {
        if (d.isError())
            lines << u"  "_s + d.toString() + (d.hint.isEmpty() ? QString() : u" (%1)"_s.arg(d.hint));
    }
    return lines.join(u'\n');
}

} // namespace

ConfiguredEngine::Built ConfiguredEngine::build(const Options &options, Clock &clock)
{
    const Configuration::Loaded loaded = Configuration::load(options.configFile);
    if (!loaded.configuration) {
        Built out;
        out.error = describeErrors(loaded.errors);
        return out;
    }
    return build(*loaded.configuration, options, clock);
}

ConfiguredEngine::Built ConfiguredEngine::build(const Configuration &config, const Options &options, Clock &clock)
{
    Built out;
    if (!config.prometheus && !config.alertmanager) {
        out.error = u"%1: sources: no alert or metric source is configured: add sources.alertmanager and/or "
                    "sources.prometheus (docs/configuration.md); without a configuration, Antibody runs on the "
                    "simulated fleet"_s.arg(config.file);
        return out;
    }

    std::unique_ptr<ConfiguredEngine> host(new ConfiguredEngine);
    Environment::Built env = Environment::fromConfiguration(config, clock);
    if (!env.environment) {
        out.error = u"%1: %2"_s.arg(config.file, env.error);
        return out;
    }
    host->m_environment = std::move(env.environment);
    host->m_warnings = host->m_environment->warnings();
    host->m_description = host->m_environment->describe();

    const QStringList paths = host->m_environment->runbookPaths();
    LibraryResult library;
    if (paths.isEmpty()) {
        host->m_warnings << u"%1: runbooks: none configured: incidents are shown, nothing is proposed"_s.arg(
            config.file);
    } else {
        library = loadRunbookLibrary(paths);
        if (library.hasErrors()) {
            out.error = runbookErrors(library);
            return out;
        }
        for (const Diagnostic &d : library.diagnostics)
            host->m_warnings << d.toString();
        host->m_description << u"runbooks:  %1 from %2"_s.arg(library.runbooks.size()).arg(paths.join(u", "_s));
    }

    if (options.store) {
        host->m_activeStore = options.store;
        host->m_description << u"store:     "_s + options.storeDescription;
    } else {
        // --data-dir wins over the configuration's data_dir, which wins over the default.
        const QString requested = options.dataDir.isEmpty() ? config.dataDir : options.dataDir;
        const DataDirectory dir = DataDirectory::resolve(requested, DataDirectory::Use::ReadWrite);
        if (!dir.ok()) {
            out.error = dir.error();
            return out;
        }
        QString storeError;
        host->m_store = SqliteStore::open(dir.databaseFile(), &storeError);
        if (!host->m_store) {
            out.error = storeError;
            return out;
        }
        host->m_activeStore = host->m_store.get();
        host->m_description << u"store:     "_s + host->m_store->file();
        host->m_warnings << host->m_store->startWarnings(); // a chain that restarted or was cut back
    }

    Engine::Settings defaults;
    defaults.identity = options.identity;
    defaults.autoApprove = options.autoApprove;
    if (!options.autoApprover.isEmpty())
        defaults.autoApprover = options.autoApprover;
    const Engine::Settings settings = host->m_environment->settings(defaults);
    host->m_engine = std::make_unique<Engine>(host->m_environment->ports(&clock, host->m_activeStore), settings);
    host->m_engine->setRunbooks(library.runbooks);
    out.engine = std::move(host);
    return out;
}

ConfiguredEngine::~ConfiguredEngine()
{
    stop();
    // The engine borrows the connectors and the store: it goes first, the store last.
    m_engine.reset();
    m_environment.reset();
    m_store.reset();
}

void ConfiguredEngine::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_engine)
        m_engine->stop();
    if (m_store)
        m_store->flush();
}

ConfiguredEngine::Reload ConfiguredEngine::reloadRunbooks()
{
    const QStringList paths = m_environment->runbookPaths();
    const QList<InstalledRunbook> installed
        = m_installed ? m_installed->installedRunbooks() : QList<InstalledRunbook>();
    if (paths.isEmpty() && installed.isEmpty())
        return { true, u"no runbooks are configured: nothing to reload"_s };
    LibraryResult library = paths.isEmpty() ? LibraryResult() : loadRunbookLibrary(paths);
    if (library.hasErrors())
        return { false,
            u"the runbooks were not reloaded; the engine keeps the %1 it had:\n%2"_s.arg(m_engine->runbooks().size())
                .arg(runbookErrors(library)) };
    QStringList notes;
    if (!paths.isEmpty())
        notes << u"%1 from %2"_s.arg(library.runbooks.size()).arg(paths.join(u", "_s));
    int replacing = 0;
    for (const InstalledRunbook &i : installed) {
        // Checked when it was installed; a build that reads it differently says so here.
        const LoadResult read = loadRunbookText(i.yaml, u"installed:%1"_s.arg(i.name));
        if (!read.runbook) {
            notes << u"the installed %1 (sha256 %2) does not load here, left out: %3"_s.arg(
                i.name, i.sha256.left(12), read.diagnostics.value(0).toString());
            continue;
        }
        replacing += int(library.runbooks.removeIf([&](const Runbook &r) { return r.name == read.runbook->name; }));
        library.runbooks << *read.runbook;
    }
    if (!installed.isEmpty())
        notes << u"%1 installed over the client API (%2 replacing a configured one)"_s.arg(installed.size())
                     .arg(replacing);
    m_engine->setRunbooks(library.runbooks);
    return { true, u"%1 runbooks loaded: %2"_s.arg(library.runbooks.size()).arg(notes.join(u"; "_s)) };
}

QList<AlertSource *> ConfiguredEngine::alertSources() const
{
    return m_environment->ports(nullptr, nullptr).alertSources;
}

MetricSource *ConfiguredEngine::metricSource() const
{
    return m_environment->ports(nullptr, nullptr).metrics;
}

QString ConfiguredEngine::databaseFile() const
{
    return m_store ? m_store->file() : QString();
}

} // namespace antibody

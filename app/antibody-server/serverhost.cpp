#include "app/antibody-server/serverhost.h"

#include "connectors/config/configuration.h"
#include "engine/store/identity.h"
#include "engine/store/sqliterunbooks.h"
#include "engine/store/sqlitestore.h"
#include "engine/store/sqlitetokens.h"
#include "server/tokengate.h"
#include "store/postgres/leaderlease.h"
#include "store/postgres/pgrunbooks.h"
#include "store/postgres/pgtokens.h"
#include "store/postgres/postgresstore.h"

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

// The configuration, read once: the store comes first, and a server without a `server:`
// section is a mistake worth a stop.
std::optional<Configuration> serverConfiguration(const QString &configFile, QString *error)
{
    Configuration::Loaded loaded = Configuration::load(configFile);
    if (!loaded.configuration) {
        *error = describeErrors(loaded.errors);
        return std::nullopt;
    }
    if (!loaded.configuration->server) {
        *error = u"%1: no server: section: say where the client API listens (server.listen) and its TLS certificate "
                 "(docs/team.md)"_s.arg(configFile);
        return std::nullopt;
    }
    return std::move(loaded.configuration);
}

} // namespace

ServerHost::Built ServerHost::build(const QString &configFile, const QString &dataDir, QTextStream &log)
{
    Built out;
    QString error;
    const auto configuration = serverConfiguration(configFile, &error);
    if (!configuration) {
        out.error = error;
        return out;
    }
    const ServerConfig *config = &*configuration->server;
    std::unique_ptr<ServerHost> host(new ServerHost);
    const QString identity = u"antibody-server "_s + Identity::process();
    ConfiguredEngine::Options options;
    options.configFile = configFile;
    options.dataDir = dataDir;
    options.identity = identity;
    if (!config->databaseDsn.isEmpty()) {
        PostgresStore::Options storeOptions;
        storeOptions.dsn = config->databaseDsn;
        storeOptions.password = config->databasePassword;
        storeOptions.holder = identity;
        host->m_store = PostgresStore::open(storeOptions, &error);
        if (!host->m_store) {
            out.error = u"%1: server.database: %2"_s.arg(configFile, error);
            return out;
        }
        host->m_lease = std::make_unique<LeaderLease>(
            host->m_store->session(), host->m_clock, LeaderLease::Settings::forServers());
        options.store = host->m_store.get();
        options.storeDescription = u"postgres %1 (shared; leader lease)"_s.arg(host->m_store->location());
    }
    ConfiguredEngine::Built built = ConfiguredEngine::build(*configuration, options, host->m_clock);
    if (!built.engine) {
        out.error = built.error;
        return out;
    }
    host->m_engine = std::move(built.engine);
    for (const QString &w : host->m_engine->warnings())
        log << "warning: " << w << '\n';

    TeamServer::Options &s = host->m_serverOptions;
    s.api.address = QHostAddress(config->listen.host);
    s.api.port = config->listen.port;
    s.api.heartbeat = config->heartbeat;
    s.httpAddress = QHostAddress(config->httpListen.host);
    s.httpPort = config->httpListen.port;
    if (config->tls) {
        s.api.tls = ClientApi::tlsFromFiles(config->certificate, config->privateKey, &error);
        if (!s.api.tls) {
            out.error = u"%1: server.certificate/private_key: %2"_s.arg(configFile, error);
            return out;
        }
    }
    // Who a client is: hello's token, checked against the tokens of this server's store;
    // the runbooks people installed, in the same store, so that every server runs them.
    if (host->m_store) {
        host->m_tokens = std::make_unique<PgTokens>(host->m_store->session());
        host->m_installed = std::make_unique<PgRunbooks>(host->m_store->session());
    } else {
        host->m_tokens = std::make_unique<SqliteTokens>(host->m_engine->sqliteStore()->session());
        host->m_installed = std::make_unique<SqliteRunbooks>(host->m_engine->sqliteStore()->session());
    }
    host->m_engine->setInstalledRunbooks(host->m_installed.get());
    host->m_log = &log;
    TokenGate::Settings gate;
    gate.required = config->requireTokens;
    host->m_tokenGate = std::make_unique<TokenGate>(*host->m_tokens, host->m_clock, gate);
    s.api.tokens = host->m_tokenGate.get();
    ServerHost *self = host.get();
    auto failed = [self, &log](const QString &message) {
        // A standby's engine has not started; what it tried to write (a runbook reload's
        // event) is refused by the fence as it should be, and is only worth a line.
        if (self->m_stopped || (self->m_lease && !self->m_engineStarted)) {
            log << "antibody-server: standing by: " << message << '\n';
            log.flush();
            return;
        }
        Q_EMIT self->storeFailed(message);
    };
    if (host->m_store)
        host->m_store->setFailureHandler(failed);
    else
        host->m_engine->sqliteStore()->setFailureHandler(failed);
    host->m_server = std::make_unique<TeamServer>(
        host->m_engine->engine(), host->m_engine->store(), host->m_engine->alertSources());
    host->m_server->setMetricSource(host->m_engine->metricSource(), host->m_clock);
    host->m_server->setRunbookInstaller([self](InstalledRunbook &runbook) { return self->install(runbook); });
    host->m_policyFile = config->policy;
    QStringList problems;
    if (!host->m_server->access().load(config->policy, &problems)) {
        out.error = u"%1: server.policy: %2 is not a policy the server can enforce:\n  %3\n(antibodyctl policy lint %2 "
                    "says the same)"_s.arg(configFile, config->policy, problems.join(u"\n  "_s));
        return out;
    }
    for (const QString &warning : std::as_const(problems))
        log << "warning: " << warning << '\n';
    if (host->m_store)
        host->m_server->setSharedStore(host->m_store.get());
    out.host = std::move(host);
    return out;
}

ServerHost::~ServerHost()
{
    stop();
    m_server.reset();
    m_tokenGate.reset();
    m_tokens.reset();
    m_installed.reset();
    m_engine.reset(); // before the store it borrows
    m_lease.reset();
    m_store.reset();
}

QString ServerHost::install(InstalledRunbook &runbook)
{
    runbook.installedAt = m_clock.now();
    QString error;
    if (!m_installed->installRunbook(runbook, &error))
        return error;
    const ConfiguredEngine::Reload reload = m_engine->reloadRunbooks();
    *m_log << "antibody-server: " << runbook.installedBy << " installed the runbook " << runbook.name << ": "
           << reload.text << '\n';
    m_log->flush();
    return reload.ok ? QString() : u"stored, but the engine kept its runbooks: "_s + reload.text;
}

QString ServerHost::reloadPolicy()
{
    if (m_policyFile.isEmpty())
        return u"no server.policy to reload: any identity may decide anything"_s;
    QStringList problems;
    if (!m_server->reloadPolicy(m_policyFile, &problems))
        return u"the policy %1 was not reloaded, the one in force stays: %2"_s.arg(
            m_policyFile, problems.join(u"; "_s));
    return u"reloaded the "_s + policyDescription()
        + (problems.isEmpty() ? QString() : u"; warnings: "_s + problems.join(u"; "_s));
}

QString ServerHost::policyDescription() const
{
    const auto &policy = m_server->access().policy();
    if (!policy)
        return u"no policy (server.policy): any identity may decide anything; docs/team.md, \"Policy\""_s;
    const qsizetype rules = policy->rules().size();
    return u"policy %1: %2 %3, default deny"_s.arg(policy->file()).arg(rules).arg(rules == 1 ? u"rule"_s : u"rules"_s);
}

QString ServerHost::storeDescription() const
{
    return m_store ? m_store->location() : m_engine->databaseFile();
}

bool ServerHost::start(QString *error)
{
    if (!m_server->start(m_serverOptions, error))
        return false;
    if (!m_lease) {
        lead(0);
        return true;
    }
    connect(m_lease.get(), &LeaderLease::acquired, this, &ServerHost::lead);
    connect(m_lease.get(), &LeaderLease::lost, this, [this](const QString &reason) {
        if (m_engineStarted && !m_stopped) // stepping down at the end is no loss
            Q_EMIT lostLease(reason);
    });
    connect(&m_leaderWatch, &QTimer::timeout, this, &ServerHost::standBy);
    standBy();
    m_leaderWatch.start(5'000);
    m_lease->start();
    return true;
}

void ServerHost::lead(qint64 epoch)
{
    m_leaderWatch.stop();
    m_server->setRole(ServerRole { true, epoch, {} });
    if (std::exchange(m_engineStarted, true))
        return;
    // What people installed while another server led, or before a restart.
    const ConfiguredEngine::Reload reload = m_engine->reloadRunbooks();
    if (!reload.text.contains(u"nothing to reload"_s)) {
        *m_log << "antibody-server: leading: " << reload.text << '\n';
        m_log->flush();
    }
    // Recovery runs in start(): executions left unfinished by an earlier epoch are read
    // back as interrupted, never run again blindly.
    m_engine->engine().start();
}

void ServerHost::standBy()
{
    if (m_engineStarted || !m_lease)
        return;
    const auto holding = m_lease->holding();
    m_server->setRole(
        ServerRole { false, holding ? holding->epoch : 0, holding && holding->live ? holding->holder : QString() });
}

void ServerHost::stop()
{
    if (std::exchange(m_stopped, true))
        return;
    m_leaderWatch.stop();
    if (m_engine)
        m_engine->stop();
    if (m_lease)
        m_lease->stop(); // steps down: a standby need not wait the lease's TTL
}

} // namespace antibody

#include "server/teamserver.h"

#include "engine/pipeline/engine.h"
#include "server/eventjournal.h"
#include "server/httpendpoints.h"
#include "server/rangequeries.h"
#include "server/servermetrics.h"
#include "server/teamrecords.h"

using namespace Qt::StringLiterals;

namespace antibody {

TeamServer::TeamServer(Engine &engine, AuditLog &log, QList<AlertSource *> alertSources, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_alertSources(std::move(alertSources))
    , m_journal(std::make_unique<EventJournal>(log))
    , m_ranges(std::make_unique<RangeQueries>(engine))
    , m_records(std::make_unique<TeamRecords>(engine))
    , m_api(std::make_unique<ClientApi>(engine, *m_records, *m_journal, m_role, *m_ranges))
{
    m_api->setAccess(&m_access);
    // The policy's people per tier, as it is when each plan is proposed.
    m_engine.setApprovalsForTier([this](Tier tier) { return m_access.approvalsFor(tier); });
    m_metrics = std::make_unique<ServerMetrics>(engine, *m_journal, [this] {
        return ServerMetrics::Live { m_role.leading, m_role.epoch, m_api->clientCount() };
    });
    HttpEndpoints::Hooks hooks;
    hooks.notReady = [this] { return m_started ? QString() : u"starting"_s; };
    hooks.alertsPushed = [this] {
        for (AlertSource *source : std::as_const(m_alertSources))
            source->refresh();
    };
    m_http = std::make_unique<HttpEndpoints>(*m_metrics, std::move(hooks));
    // Every event the engine publishes is in the store by the end of this turn of the loop.
    connect(&m_engine, &Engine::event, m_journal.get(), &EventJournal::wake);
}

TeamServer::~TeamServer()
{
    m_engine.setApprovalsForTier({}); // the engine may outlive this server (tests restart it)
}

bool TeamServer::start(const Options &options, QString *error)
{
    QString why;
    if (!m_api->listen(options.api, &why)) {
        *error = u"client API: %1"_s.arg(why);
        return false;
    }
    if (!m_http->listen(options.httpAddress, options.httpPort, &why)) {
        *error = u"HTTP endpoints: %1"_s.arg(why);
        return false;
    }
    m_journal->start(options.journalPoll);
    m_started = true;
    return true;
}

void TeamServer::setRole(const ServerRole &role)
{
    m_role = role;
    m_api->announceRole();
}

void TeamServer::setMetricSource(MetricSource *source, const Clock &clock)
{
    m_ranges->setSource(source, &clock);
}

bool TeamServer::reloadPolicy(const QString &file, QStringList *problems)
{
    if (!m_access.load(file, problems))
        return false;
    if (m_api)
        m_api->policyChanged();
    return true;
}

void TeamServer::setRunbookInstaller(RunbookInstaller installer)
{
    m_api->setRunbookInstaller(std::move(installer));
}

void TeamServer::setSharedStore(OpenRecords *store, Duration interval)
{
    m_records->watch(store, interval);
}

quint16 TeamServer::httpPort() const
{
    return m_http->port();
}

} // namespace antibody

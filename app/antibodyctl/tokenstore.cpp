#include "app/antibodyctl/tokenstore.h"

#include "connectors/config/configuration.h"
#include "engine/store/datadirectory.h"
#include "engine/store/identity.h"
#include "engine/store/sqlitesession.h"
#include "engine/store/sqlitetokens.h"
#include "store/postgres/pgsession.h"
#include "store/postgres/pgtokens.h"

using namespace Qt::StringLiterals;

namespace antibody::ctl {

namespace {

class SqliteTokenStore : public TokenStore
{
public:
    SqliteTokenStore(std::unique_ptr<SqliteSession> session)
        : m_session(std::move(session))
        , m_tokens(*m_session)
    {
        m_records = &m_tokens;
        m_location = m_session->file();
    }

private:
    std::unique_ptr<SqliteSession> m_session;
    SqliteTokens m_tokens;
};

class PgTokenStore : public TokenStore
{
public:
    PgTokenStore(std::unique_ptr<PgSession> session)
        : m_session(std::move(session))
        , m_tokens(*m_session)
    {
        m_records = &m_tokens;
        m_location = m_session->location();
    }

private:
    std::unique_ptr<PgSession> m_session;
    PgTokens m_tokens;
};

} // namespace

TokenStore::~TokenStore() = default;

std::unique_ptr<TokenStore> TokenStore::open(
    const QString &configFile, const QString &dataDir, QTextStream &err, QString *error)
{
    const Configuration::Loaded loaded = Configuration::load(configFile);
    if (!loaded.configuration) {
        *error = describeErrors(loaded.errors);
        return nullptr;
    }
    const Configuration &config = *loaded.configuration;
    if (!config.server) {
        *error = u"%1: no server: section: tokens belong to a team server's store (server.database, or the data "
                 "folder's SQLite file); give the configuration antibody-server runs with"_s.arg(configFile);
        return nullptr;
    }
    auto report = [&err](const QString &message) {
        err << "antibodyctl token: " << message << '\n';
        err.flush();
    };
    if (!config.server->databaseDsn.isEmpty()) {
        PgSession::Options options;
        options.dsn = config.server->databaseDsn;
        options.password = config.server->databasePassword;
        options.holder = u"antibodyctl token "_s + Identity::process();
        std::unique_ptr<PgSession> session = PgSession::open(options, error);
        if (!session) {
            *error = u"%1: server.database: %2"_s.arg(configFile, *error);
            return nullptr;
        }
        session->setFailureHandler(report);
        return std::make_unique<PgTokenStore>(std::move(session));
    }
    const DataDirectory dir
        = DataDirectory::resolve(dataDir.isEmpty() ? config.dataDir : dataDir, DataDirectory::Use::ReadWrite);
    if (!dir.ok()) {
        *error = dir.error();
        return nullptr;
    }
    std::unique_ptr<SqliteSession> session = SqliteSession::open(dir.databaseFile(), {}, error);
    if (!session)
        return nullptr;
    session->setFailureHandler(report);
    return std::make_unique<SqliteTokenStore>(std::move(session));
}

} // namespace antibody::ctl

#include "connectors/postgres/postgresdatabase.h"

namespace antibody {

namespace {

PgConnection::Settings settingsOf(const PostgresConfig &c)
{
    PgConnection::Settings s;
    s.dsn = c.dsn;
    s.password = c.password;
    s.connectTimeout = c.connectTimeout;
    s.statementTimeout = c.statementTimeout;
    return s;
}

} // namespace

PostgresDatabase::PostgresDatabase(PostgresConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_connection(settingsOf(m_config))
    , m_pool(this, QStringLiteral("postgres %1").arg(m_config.name), 1)
{
}

PostgresDatabase::~PostgresDatabase() = default;

QString PostgresDatabase::describe() const
{
    return m_connection.describe();
}

} // namespace antibody

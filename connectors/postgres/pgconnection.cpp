#include "connectors/postgres/pgconnection.h"

#include <libpq-fe.h>

#include <vector>

using namespace Qt::StringLiterals;

namespace antibody {

struct PgConnection::Handle {
    PGconn *conn = nullptr;
    ~Handle()
    {
        if (conn)
            PQfinish(conn);
    }
};

namespace {

QString oneLine(const char *message)
{
    return QString::fromUtf8(message ? message : "").simplified();
}

} // namespace

QString PgRows::value(qsizetype row, const QString &column) const
{
    const qsizetype c = columns.indexOf(column);
    if (c < 0 || row < 0 || row >= rows.size())
        return {};
    return rows.at(row).value(c);
}

double PgRows::number(qsizetype row, const QString &column, double fallback) const
{
    bool ok = false;
    const double d = value(row, column).toDouble(&ok);
    return ok ? d : fallback;
}

PgConnection::PgConnection(Settings settings)
    : m_settings(std::move(settings))
    , m_handle(std::make_unique<Handle>())
{
}

PgConnection::~PgConnection() = default;

QString PgConnection::textArray(const QStringList &values)
{
    QStringList quoted;
    for (QString v : values) {
        v.replace(u"\\"_s, u"\\\\"_s);
        v.replace(u"\""_s, u"\\\""_s);
        quoted << u'"' + v + u'"';
    }
    return u'{' + quoted.join(u',') + u'}';
}

QString PgConnection::describe() const
{
    // The DSN holds no password (configuration refuses one), so it may be shown.
    return m_settings.dsn.simplified();
}

bool PgConnection::isOpen() const
{
    return m_handle->conn && PQstatus(m_handle->conn) == CONNECTION_OK;
}

void PgConnection::close()
{
    if (m_handle->conn)
        PQfinish(m_handle->conn);
    m_handle->conn = nullptr;
}

QList<std::pair<QByteArray, QByteArray>> PgConnection::connectionKeywords(const Settings &settings)
{
    // Probes after 5 s idle, every 2 s, 3 unanswered: a peer gone silent is dropped within
    // about 11 s; data unacknowledged for longer than the statement may take, likewise.
    const QByteArray userTimeout = QByteArray::number(settings.statementTimeout.count() + 5'000);
    return {
        { "keepalives", "1" },
        { "keepalives_idle", "5" },
        { "keepalives_interval", "2" },
        { "keepalives_count", "3" },
        { "tcp_user_timeout", userTimeout },
        // The connection string (expanded), then what Antibody sets: later pairs win.
        { "dbname", settings.dsn.toUtf8() },
        { "application_name", settings.applicationName.toUtf8() },
        { "connect_timeout", QByteArray::number(std::max<qint64>(1, settings.connectTimeout.count() / 1000)) },
        { "options", "-c statement_timeout=" + QByteArray::number(settings.statementTimeout.count()) },
    };
}

bool PgConnection::open(QString *error)
{
    close();
    const auto pairs = connectionKeywords(m_settings);
    std::vector<const char *> keys;
    std::vector<const char *> values;
    for (const auto &[key, value] : pairs) {
        keys.push_back(key.constData());
        values.push_back(value.constData());
    }
    if (!m_settings.password.isEmpty()) {
        keys.push_back("password");
        values.push_back(m_settings.password.reveal().constData());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    m_handle->conn = PQconnectdbParams(keys.data(), values.data(), 1);
    if (!m_handle->conn || PQstatus(m_handle->conn) != CONNECTION_OK) {
        *error = u"cannot connect to PostgreSQL (%1): %2"_s.arg(describe(),
            m_handle->conn ? oneLine(PQerrorMessage(m_handle->conn)) : u"out of memory"_s);
        close();
        return false;
    }
    return true;
}

PgRows PgConnection::exec(const QString &sql, const QStringList &params)
{
    PgRows out;
    for (int attempt = 1; attempt <= 2; ++attempt) {
        if (!isOpen() && !open(&out.error))
            return out;
        const QByteArray text = sql.toUtf8();
        QList<QByteArray> bytes;
        std::vector<const char *> values;
        bytes.reserve(params.size());
        for (const QString &p : params) {
            bytes << p.toUtf8();
            values.push_back(p.isNull() ? nullptr : bytes.last().constData());
        }
        PGresult *result = PQexecParams(m_handle->conn, text.constData(), static_cast<int>(values.size()), nullptr,
            values.data(), nullptr, nullptr, 0);
        const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
        if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
            const int columns = PQnfields(result);
            for (int c = 0; c < columns; ++c)
                out.columns << QString::fromUtf8(PQfname(result, c));
            const int rows = PQntuples(result);
            for (int r = 0; r < rows; ++r) {
                QStringList row;
                QList<bool> nulls;
                for (int c = 0; c < columns; ++c) {
                    row << QString::fromUtf8(PQgetvalue(result, r, c));
                    nulls << (PQgetisnull(result, r, c) != 0);
                }
                out.rows << row;
                out.nulls << nulls;
            }
            out.ok = true;
            out.error.clear();
            PQclear(result);
            return out;
        }
        out.error = oneLine(result ? PQresultErrorMessage(result) : PQerrorMessage(m_handle->conn));
        PQclear(result);
        // A dropped connection (server restart) is worth one new connection; an SQL error is not.
        if (PQstatus(m_handle->conn) == CONNECTION_OK)
            return out;
        close();
    }
    return out;
}

} // namespace antibody

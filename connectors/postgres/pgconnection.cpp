#include "connectors/postgres/pgconnection.h"

#include "connectors/work/cancellation.h"

#include <cerrno>
#include <chrono>
#include <libpq-fe.h>
#include <mutex>
#include <poll.h>
#include <system_error>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

namespace antibody {

struct PgConnection::Handle
{
    PGconn *conn = nullptr;
    ~Handle()
    {
        if (conn)
            PQfinish(conn);
    }
};

namespace {

using Steady = std::chrono::steady_clock;

// The client's deadline past the server's statement timeout: a server that can answer
// ends the statement first, with its own message.
constexpr Duration deadlineMargin { 2'000 };
// The longest a wait goes without looking at the cancellation.
constexpr qint64 sliceMs = 100;

QString oneLine(const char *message)
{
    return QString::fromUtf8(message ? message : "").simplified();
}

enum class Wait { Ready, Deadline, Cancelled, Broken };

// Waits until the connection's socket is ready for `events`, the time is up, or the
// cancellation is cancelled; in short slices, so that a cancellation is seen within one.
Wait waitFor(PGconn *conn, short events, Steady::time_point until, const Cancellation *cancellation)
{
    for (;;) {
        if (cancellation && cancellation->isCancelled())
            return Wait::Cancelled;
        const qint64 left = std::chrono::ceil<std::chrono::milliseconds>(until - Steady::now()).count();
        if (left <= 0)
            return Wait::Deadline;
        pollfd p { PQsocket(conn), events, 0 };
        if (p.fd < 0)
            return Wait::Broken;
        const int ready = ::poll(&p, 1, static_cast<int>(std::min(left, sliceMs)));
        if (ready > 0)
            return Wait::Ready;
        if (ready < 0 && errno != EINTR)
            return Wait::Broken;
    }
}

bool succeeded(const PGresult *result)
{
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
}

// Reads the statement's results to their end, keeping the first (one statement has one;
// a script has one per statement, and then the first that failed is kept instead).
// Sends never block either: what libpq could not send yet is waited on like an answer.
Wait collect(PGconn *conn, Steady::time_point until, const Cancellation *cancellation, PGresult **result)
{
    for (;;) {
        const int unsent = PQflush(conn);
        if (unsent < 0)
            return Wait::Broken;
        if (unsent == 0 && !PQisBusy(conn)) {
            PGresult *next = PQgetResult(conn); // does not block: libpq is not busy
            if (!next)
                return Wait::Ready;
            if (*result && (!succeeded(next) && succeeded(*result)))
                std::swap(*result, next);
            if (*result)
                PQclear(next);
            else
                *result = next;
            continue;
        }
        // While sending, read too: libpq's advice, the server may be waiting for us to.
        const Wait waited = waitFor(conn, unsent ? POLLIN | POLLOUT : POLLIN, until, cancellation);
        if (waited != Wait::Ready)
            return waited;
        if (!PQconsumeInput(conn))
            return Wait::Broken;
    }
}

PgRows rowsOf(const PGresult *result, const PGconn *conn)
{
    PgRows out;
    if (!succeeded(result)) {
        out.error = oneLine(result ? PQresultErrorMessage(result) : PQerrorMessage(conn));
        if (const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr)
            out.sqlState = QString::fromLatin1(state);
        return out;
    }
    const int columns = PQnfields(result);
    for (int c = 0; c < columns; ++c) {
        out.columns << QString::fromUtf8(PQfname(result, c));
        out.types << PQftype(result, c);
    }
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
    return out;
}

// One cancel request, shared with the thread that sends it.
class CancelRequest
{
public:
    void finish(QString error)
    {
        std::lock_guard lock(m_mutex);
        m_finished = true;
        m_error = std::move(error);
    }
    QString state() const
    {
        std::lock_guard lock(m_mutex);
        if (!m_finished)
            return u"the cancel request got no answer either"_s;
        return m_error.isEmpty() ? u"the cancel request was delivered"_s
                                 : u"the cancel request failed: %1"_s.arg(m_error);
    }

private:
    mutable std::mutex m_mutex;
    bool m_finished = false;
    QString m_error;
};

// PQcancel opens a connection of its own and then waits for the server to close it, with
// no timeout (libpq 15 has no other cancel): on a partitioned network that takes minutes.
// So it runs on a thread that neither the worker nor the exit waits for, holding nothing
// but its own copy of the cancel key.
std::shared_ptr<CancelRequest> requestCancel(PGconn *conn)
{
    auto request = std::make_shared<CancelRequest>();
    PGcancel *cancel = PQgetCancel(conn);
    if (!cancel) {
        request->finish(u"no cancel key for this connection"_s);
        return request;
    }
    try {
        std::thread([request, cancel] {
            char error[256] = {};
            const bool sent = PQcancel(cancel, error, sizeof error) == 1;
            PQfreeCancel(cancel);
            request->finish(sent ? QString() : oneLine(error));
        }).detach();
    } catch (const std::system_error &e) {
        PQfreeCancel(cancel);
        request->finish(QString::fromLocal8Bit(e.what()));
    }
    return request;
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
    // The DSN holds no password (configuration refuses one), so it may be shown; a store's
    // DSN may hold one, and names its location instead.
    return m_settings.location.isEmpty() ? m_settings.dsn.simplified() : m_settings.location;
}

bool PgConnection::connect(QString *error)
{
    return isOpen() || open(error);
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
    QByteArray options = "-c statement_timeout=" + QByteArray::number(settings.statementTimeout.count());
    if (settings.idleInTransactionTimeout) {
        options += " -c idle_in_transaction_session_timeout="
            + QByteArray::number(settings.idleInTransactionTimeout->count());
    }
    return {
        { "keepalives", "1" },
        { "keepalives_idle", "5" },
        { "keepalives_interval", "2" },
        { "keepalives_count", "3" },
        { "tcp_user_timeout", userTimeout },
        // The connection string (expanded), then what Antibody sets: later pairs win. No
        // connect_timeout: a polled open ignores it, and open() keeps the connect timeout itself.
        { "dbname", settings.dsn.toUtf8() },
        { "application_name", settings.applicationName.toUtf8() },
        { "options", options },
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
    const auto fail = [this, error](const QString &why) {
        *error = u"cannot connect to PostgreSQL (%1): %2"_s.arg(describe(), why);
        close();
        return false;
    };
    const Steady::time_point until = Steady::now() + m_settings.connectTimeout;
    PGconn *conn = m_handle->conn = PQconnectStartParams(keys.data(), values.data(), 1);
    if (!conn)
        return fail(u"out of memory"_s);
    // Polled, libpq leaves the connect timeout to the caller: this loop keeps it, and
    // notices the cancellation.
    PostgresPollingStatusType polled = PGRES_POLLING_WRITING;
    while (polled != PGRES_POLLING_OK) {
        if (polled == PGRES_POLLING_FAILED || PQstatus(conn) == CONNECTION_BAD)
            return fail(oneLine(PQerrorMessage(conn)));
        switch (waitFor(conn, polled == PGRES_POLLING_READING ? POLLIN : POLLOUT, until, m_cancellation)) {
        case Wait::Ready:
            break;
        case Wait::Deadline:
            return fail(u"no answer within the connect timeout of %1"_s.arg(formatDuration(m_settings.connectTimeout)));
        case Wait::Cancelled:
            return fail(u"cancelled: Antibody is stopping"_s);
        case Wait::Broken:
            return fail(oneLine(PQerrorMessage(conn)));
        }
        polled = PQconnectPoll(conn);
    }
    if (PQsetnonblocking(conn, 1) != 0)
        return fail(oneLine(PQerrorMessage(conn)));
    return true;
}

PgRows PgConnection::exec(const QString &sql, const QStringList &params)
{
    return run(sql, &params);
}

PgRows PgConnection::execScript(const QString &sql)
{
    return run(sql, nullptr);
}

PgRows PgConnection::run(const QString &sql, const QStringList *params)
{
    PgRows out;
    const Duration deadline = m_settings.deadline.value_or(m_settings.statementTimeout + deadlineMargin);
    for (int attempt = 1; attempt <= (m_settings.reconnect ? 2 : 1); ++attempt) {
        if (!isOpen() && (!m_settings.reconnect || !open(&out.error))) {
            if (!m_settings.reconnect)
                out.error = u"the connection to PostgreSQL (%1) was lost"_s.arg(describe());
            return out;
        }
        const QByteArray text = sql.toUtf8();
        QList<QByteArray> bytes;
        std::vector<const char *> values;
        bytes.reserve(params ? params->size() : 0);
        for (const QString &p : params ? *params : QStringList()) {
            bytes << p.toUtf8();
            values.push_back(p.isNull() ? nullptr : bytes.last().constData());
        }
        PGconn *conn = m_handle->conn;
        PGresult *result = nullptr;
        const bool sent = params ? PQsendQueryParams(conn, text.constData(), static_cast<int>(values.size()), nullptr,
                              values.data(), nullptr, nullptr, 0)
                                 : PQsendQuery(conn, text.constData());
        const Wait waited = sent ? collect(conn, Steady::now() + deadline, m_cancellation, &result) : Wait::Broken;
        if ((waited == Wait::Deadline || waited == Wait::Cancelled) && !succeeded(result)) {
            PQclear(result);
            return abandon(waited == Wait::Cancelled, deadline);
        }
        out = rowsOf(result, conn);
        PQclear(result);
        // Not usable either when the answer is whole but the end of the results is not.
        const bool usable = waited == Wait::Ready && PQstatus(conn) == CONNECTION_OK;
        if (!usable)
            close();
        // A dropped connection (server restart) is worth one new connection; an SQL error is not.
        if (out.ok || usable)
            return out;
    }
    return out;
}

PgRows PgConnection::abandon(bool stopping, Duration deadline)
{
    PGconn *conn = m_handle->conn;
    const std::shared_ptr<CancelRequest> request = requestCancel(conn);
    PgRows out;
    out.cancelled = true;
    if (stopping) {
        close();
        out.error = u"cancelled: Antibody is stopping; the server was asked to cancel the statement"_s;
        return out;
    }
    const QString asked = u"cancelled at the deadline after %1; the server was asked to cancel the statement"_s.arg(
        formatDuration(deadline));
    PGresult *result = nullptr;
    const Wait waited = collect(conn, Steady::now() + m_settings.cancelGrace, m_cancellation, &result);
    if (waited == Wait::Ready && result) {
        PgRows answer = rowsOf(result, conn);
        const bool confirmed = qstrcmp(PQresultErrorField(result, PG_DIAG_SQLSTATE), "57014") == 0; // query_canceled
        PQclear(result);
        if (answer.ok)
            return answer; // it finished as the cancel went out
        out.error = confirmed ? asked + u" and confirmed"_s : u"%1; it ended: %2"_s.arg(asked, answer.error);
        return out;
    }
    PQclear(result);
    close();
    out.error
        = u"%1 but did not confirm within %2 (%3): the connection was dropped, the next statement opens a new one"_s
              .arg(asked, formatDuration(m_settings.cancelGrace), request->state());
    return out;
}

} // namespace antibody

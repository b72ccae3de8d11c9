#pragma once

#include "connectors/config/secret.h"
#include "engine/core/time.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <memory>
#include <optional>

namespace antibody {

class Cancellation;

// The rows of one libpq result, as text, read before the PGresult is freed.
struct PgRows
{
    bool ok = false;
    bool cancelled = false; // ended at the deadline or by the cancellation: it may have done part of its work
    QString error; // libpq's message, one line; never a password
    QString sqlState; // the server's SQLSTATE when it refused the statement ("23505": a unique violation)
    QStringList columns;
    QList<QStringList> rows;
    QList<QList<bool>> nulls;
    QList<unsigned> types; // each column's type (a PostgreSQL type OID: 20 bigint, 25 text, 701 double precision)

    QString value(qsizetype row, const QString &column) const;
    double number(qsizetype row, const QString &column, double fallback = 0) const;
};

// One libpq connection, used from one worker thread at a time. Opened on first
// use (and again after the server dropped it: a restart, a network blip). Every
// statement is parameterized (PQsendQueryParams): values never become SQL text.
//
// Nothing waits without a bound: the open gives up at the connect timeout, and a
// statement the server has not answered by its deadline is cancelled (PQcancel). The
// server's statement_timeout alone cannot do that when the network is partitioned.
class PgConnection
{
public:
    struct Settings
    {
        QString dsn; // libpq connection string, without a password
        Secret password;
        QString applicationName = QStringLiteral("antibody");
        Duration connectTimeout { 5'000 };
        Duration statementTimeout { 10'000 };
        // How long the server keeps a session that sits in an open transaction waiting for
        // its client; unset: as long as the server's setting says (by default, forever).
        std::optional<Duration> idleInTransactionTimeout;
        // How long a statement may take as seen from here; unset: the statement timeout and
        // 2 s more, so a server that can answer ends it first. Past it, the server is asked
        // to cancel the statement.
        std::optional<Duration> deadline;
        // How long the server has to confirm a cancel before the connection is dropped.
        Duration cancelGrace { 2'000 };
        // How messages name the server; empty: the DSN itself (which then holds no password).
        QString location;
        // Whether a statement opens the connection when it is closed or broken. A store's
        // transaction must never go on over a new connection (the old one's work was rolled
        // back): it turns this off and calls connect() before each transaction.
        bool reconnect = true;
    };

    // The libpq keywords and values a connection is opened with, in order: keepalives and
    // a TCP user timeout first (so the DSN may override them), then the DSN, then what
    // Antibody sets itself. The keepalives are why a partitioned database is noticed in
    // seconds instead of hanging the database worker (and the exit) for good. The
    // password, when there is one, is added at the open only.
    static QList<std::pair<QByteArray, QByteArray>> connectionKeywords(const Settings &settings);

    explicit PgConnection(Settings settings);
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    // Runs one statement with text parameters ($1, $2...; a null QString is SQL NULL).
    // Reconnects once if the connection had broken; never after a cancel.
    PgRows exec(const QString &sql, const QStringList &params = {});
    // Runs several statements that carry no values (a schema's DDL) as one script; the
    // first that fails is the answer.
    PgRows execScript(const QString &sql);
    bool isOpen() const;
    // Opens the connection now when it is not open; false and `error` when it cannot.
    bool connect(QString *error);
    void close();
    // Opens and statements stop waiting once `cancellation` is cancelled (a worker pool's,
    // when its owner goes): the statement in flight is cancelled and the connection closed.
    // Not owned; null: never.
    void setCancellation(const Cancellation *cancellation) { m_cancellation = cancellation; }
    // Where it connects, for messages: "host=127.0.0.1 port=19432 dbname=postgres user=postgres".
    QString describe() const;

    // A PostgreSQL array literal of text values: {"a","b\"c"}.
    static QString textArray(const QStringList &values);

private:
    bool open(QString *error);
    // `params` null: a script of statements without parameters.
    PgRows run(const QString &sql, const QStringList *params);
    // After the deadline (or the cancellation): asks the server to cancel the statement, gives
    // it the grace to confirm (not when stopping), and drops the connection otherwise.
    PgRows abandon(bool stopping, Duration deadline);

    Settings m_settings;
    const Cancellation *m_cancellation = nullptr;
    struct Handle;
    std::unique_ptr<Handle> m_handle;
};

} // namespace antibody

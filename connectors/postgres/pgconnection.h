#pragma once

#include "connectors/config/secret.h"
#include "engine/core/time.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <memory>

namespace antibody {

// The rows of one libpq result, as text, read before the PGresult is freed.
struct PgRows {
    bool ok = false;
    QString error;                 // libpq's message, one line; never a password
    QStringList columns;
    QList<QStringList> rows;
    QList<QList<bool>> nulls;

    QString value(qsizetype row, const QString &column) const;
    double number(qsizetype row, const QString &column, double fallback = 0) const;
};

// One libpq connection, used from one worker thread at a time. Opened on first
// use (and again after the server dropped it: a restart, a network blip). Every
// statement is parameterized (PQexecParams): values never become SQL text.
class PgConnection
{
public:
    struct Settings {
        QString dsn;            // libpq connection string, without a password
        Secret password;
        QString applicationName = QStringLiteral("antibody");
        Duration connectTimeout { 5'000 };
        Duration statementTimeout { 10'000 };
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
    // Reconnects once if the connection had broken.
    PgRows exec(const QString &sql, const QStringList &params = {});
    bool isOpen() const;
    void close();
    // Where it connects, for messages: "host=127.0.0.1 port=19432 dbname=postgres user=postgres".
    QString describe() const;

    // A PostgreSQL array literal of text values: {"a","b\"c"}.
    static QString textArray(const QStringList &values);

private:
    bool open(QString *error);

    Settings m_settings;
    struct Handle;
    std::unique_ptr<Handle> m_handle;
};

} // namespace antibody

#pragma once

#include "engine/core/time.h"

#include <QByteArray>
#include <QString>
#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace antibody {

// One prepared statement. Binds are 1-based as in SQLite; columns are 0-based.
// step() returns true while there is a row; errors throw StoreError naming the
// database file.
class SqliteStatement
{
public:
    SqliteStatement(sqlite3 *db, sqlite3_stmt *stmt, QString file);
    SqliteStatement(SqliteStatement &&other) noexcept;
    SqliteStatement &operator=(SqliteStatement &&) = delete;
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;
    ~SqliteStatement();

    SqliteStatement &bind(int index, const QString &value);
    SqliteStatement &bind(int index, qint64 value);
    SqliteStatement &bind(int index, int value) { return bind(index, static_cast<qint64>(value)); }
    SqliteStatement &bind(int index, double value);
    SqliteStatement &bind(int index, const std::optional<qint64> &value);
    SqliteStatement &bindNull(int index);

    bool step();
    // Runs to completion (for statements that return no rows of interest).
    void run();
    void reset();

    int columnCount() const;
    QString columnName(int column) const;
    bool isNull(int column) const;
    // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL.
    int columnType(int column) const;
    QString text(int column) const;
    QByteArray bytes(int column) const;
    qint64 integer(int column) const;
    double real(int column) const;
    std::optional<qint64> optionalInteger(int column) const;
    // A column of epoch milliseconds, or nothing when NULL.
    std::optional<TimePoint> optionalTime(int column) const;

private:
    void check(int rc, const char *what) const;

    sqlite3 *m_db;
    sqlite3_stmt *m_stmt;
    QString m_file;
};

} // namespace antibody

#pragma once

#include "engine/core/time.h"
#include "engine/store/sqlitestatement.h"

#include <QString>
#include <chrono>
#include <map>
#include <memory>
#include <string>

struct sqlite3;

namespace antibody {

// One SQLite connection through the C API, so the store controls transactions and
// pragmas directly. Read-write connections run in WAL mode with synchronous=FULL
// and foreign keys on; every failure throws a StoreError naming the file.
class SqliteDatabase
{
public:
    enum class Access { ReadWrite, ReadOnly };

    SqliteDatabase(const QString &file, Access access, std::chrono::milliseconds busyTimeout);
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase &) = delete;
    SqliteDatabase &operator=(const SqliteDatabase &) = delete;

    const QString &file() const { return m_file; }
    Access access() const { return m_access; }

    // Runs one or more statements that return no rows.
    void exec(const QString &sql, const QString &what = {});
    SqliteStatement prepare(const QString &sql);
    // A statement prepared once per connection and reset before each use: the hot paths.
    SqliteStatement &cached(const char *sql);

    // Ends every read a cached statement left open. A transaction must not start on an old
    // snapshot: another process's commit would then make BEGIN IMMEDIATE fail with SQLITE_BUSY_SNAPSHOT.
    void resetStatements();

    qint64 lastInsertRowId() const;
    int changes() const;
    bool inTransaction() const;
    bool tableExists(const QString &name);
    sqlite3 *handle() const { return m_db; }

private:
    void applyPragmas(std::chrono::milliseconds busyTimeout);
    QString journalModeWal(std::chrono::milliseconds busyTimeout);

    QString m_file;
    Access m_access;
    sqlite3 *m_db = nullptr;
    std::map<std::string, std::unique_ptr<SqliteStatement>> m_cache;
};

} // namespace antibody

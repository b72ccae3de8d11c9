#include "engine/store/sqlitedatabase.h"

#include "engine/store/sqliteerror.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QThread>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace antibody {

SqliteDatabase::SqliteDatabase(const QString &file, Access access, std::chrono::milliseconds busyTimeout)
    : m_file(file)
    , m_access(access)
{
    const int flags = (access == Access::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        | SQLITE_OPEN_NOMUTEX;
    if (access == Access::ReadWrite) {
        // A new database is the owner's alone; SQLite gives its -wal and -shm the same mode.
        const int fd = ::open(QFile::encodeName(file).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            ::close(fd);
    }
    const int rc = sqlite3_open_v2(file.toUtf8().constData(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const StoreError error = sqliteError(m_db, rc, file, u"open the database"_s);
        sqlite3_close_v2(m_db);
        throw error;
    }
    sqlite3_extended_result_codes(m_db, 1);
    try {
        applyPragmas(busyTimeout);
    } catch (...) {
        m_cache.clear();
        sqlite3_close_v2(m_db);
        throw;
    }
}

SqliteDatabase::~SqliteDatabase()
{
    m_cache.clear(); // statements before the connection
    sqlite3_close_v2(m_db);
}

void SqliteDatabase::applyPragmas(std::chrono::milliseconds busyTimeout)
{
    sqlite3_busy_timeout(m_db, static_cast<int>(busyTimeout.count()));
    if (m_access == Access::ReadOnly) {
        // Reading the schema is the first real access: a damaged or foreign file fails here, by name.
        exec(u"PRAGMA query_only = ON; SELECT count(*) FROM sqlite_master"_s, u"read the database"_s);
        return;
    }
    // SQLite falls back to reading a file it may not write; the store must write, so say so now.
    if (sqlite3_db_readonly(m_db, "main") == 1) {
        throw StoreError(u"%1 is read-only for this user: fix its permissions (and those of its -wal and -shm files), "
                         "or choose another folder with --data-dir"_s.arg(m_file));
    }
    const QString mode = journalModeWal(busyTimeout);
    if (mode.compare(u"wal"_s, Qt::CaseInsensitive) != 0) {
        throw StoreError(u"%1: could not switch the database to write-ahead logging (journal mode is %2); "
                         "the folder must allow creating the -wal and -shm files next to it"_s.arg(m_file, mode));
    }
    // FULL: a commit is on disk when COMMIT returns, which is what "recorded" means here.
    exec(u"PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON"_s, u"configure the database"_s);
}

QString SqliteDatabase::journalModeWal(std::chrono::milliseconds busyTimeout)
{
    // Two processes creating the file at once: the switch to WAL needs a lock that SQLite
    // does not wait for (no busy handler there), so the second start failed with
    // "database is locked" while the first created the schema. Wait for it here, as
    // long as for any other lock.
    QDeadlineTimer deadline(busyTimeout);
    for (;;) {
        sqlite3_stmt *stmt = nullptr;
        int rc = sqlite3_prepare_v2(m_db, "PRAGMA journal_mode = WAL", -1, &stmt, nullptr);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(stmt);
        const QString mode = rc == SQLITE_ROW
            ? QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)))
            : QString();
        sqlite3_finalize(stmt);
        if (rc == SQLITE_ROW)
            return mode;
        if ((rc & 0xff) != SQLITE_BUSY || deadline.hasExpired())
            throw sqliteError(m_db, rc, m_file, u"run `PRAGMA journal_mode = WAL`"_s);
        QThread::msleep(5);
    }
}

void SqliteDatabase::exec(const QString &sql, const QString &what)
{
    char *message = nullptr;
    const int rc = sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK)
        throw sqliteError(m_db, rc, m_file, what.isEmpty() ? u"run `%1`"_s.arg(sql.simplified().left(80)) : what);
}

SqliteStatement SqliteDatabase::prepare(const QString &sql)
{
    sqlite3_stmt *stmt = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    const int rc = sqlite3_prepare_v2(m_db, utf8.constData(), static_cast<int>(utf8.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        throw sqliteError(m_db, rc, m_file, u"prepare `%1`"_s.arg(sql.simplified().left(80)));
    }
    return SqliteStatement(m_db, stmt, m_file);
}

SqliteStatement &SqliteDatabase::cached(const char *sql)
{
    auto it = m_cache.find(sql);
    if (it == m_cache.end())
        it = m_cache.emplace(sql, std::make_unique<SqliteStatement>(prepare(QString::fromUtf8(sql)))).first;
    it->second->reset();
    return *it->second;
}

void SqliteDatabase::resetStatements()
{
    for (auto &[sql, statement] : m_cache)
        statement->reset();
}

qint64 SqliteDatabase::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int SqliteDatabase::changes() const
{
    return sqlite3_changes(m_db);
}

bool SqliteDatabase::inTransaction() const
{
    return sqlite3_get_autocommit(m_db) == 0;
}

bool SqliteDatabase::tableExists(const QString &name)
{
    auto &q = cached("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    q.bind(1, name);
    return q.step();
}

} // namespace antibody

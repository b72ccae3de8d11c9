#pragma once

#include "engine/store/sqlitedatabase.h"

namespace antibody {

// BEGIN IMMEDIATE ... COMMIT, rolled back if the scope is left without commit().
// IMMEDIATE takes the write lock up front, so two processes deciding the same
// thing are serialized by SQLite instead of failing halfway through.
class SqliteTransaction
{
public:
    explicit SqliteTransaction(SqliteDatabase &db)
        : m_db(db)
    {
        m_db.resetStatements();
        m_db.cached("BEGIN IMMEDIATE").run();
    }
    ~SqliteTransaction()
    {
        if (!m_done && m_db.inTransaction()) {
            try {
                m_db.cached("ROLLBACK").run();
            } catch (...) {
                // Nothing more to do: SQLite rolls back on its own when the connection closes.
            }
        }
    }
    SqliteTransaction(const SqliteTransaction &) = delete;
    SqliteTransaction &operator=(const SqliteTransaction &) = delete;

    void commit()
    {
        m_db.resetStatements();
        m_db.cached("COMMIT").run();
        m_done = true;
    }

private:
    SqliteDatabase &m_db;
    bool m_done = false;
};

// synchronous=NORMAL for the transactions in its scope when `relaxed`, FULL again
// after: outside the transaction, since the setting applies to the next commit.
class SqliteSynchronous
{
public:
    SqliteSynchronous(SqliteDatabase &db, bool relaxed)
        : m_db(db)
        , m_relaxed(relaxed)
    {
        if (m_relaxed)
            m_db.cached("PRAGMA synchronous = NORMAL").run();
    }
    ~SqliteSynchronous()
    {
        if (!m_relaxed)
            return;
        try {
            m_db.cached("PRAGMA synchronous = FULL").run();
        } catch (...) {
            // Cannot fail for a valid pragma; the next durable write would report the connection.
        }
    }
    SqliteSynchronous(const SqliteSynchronous &) = delete;
    SqliteSynchronous &operator=(const SqliteSynchronous &) = delete;

private:
    SqliteDatabase &m_db;
    bool m_relaxed;
};

} // namespace antibody

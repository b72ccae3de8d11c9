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

} // namespace antibody

#pragma once

#include "engine/store/sqlitedatabase.h"

#include <QString>
#include <memory>

namespace antibody {

// A database opened for looking only: `audit verify`, `audit export`, `stats` and
// the console's dashboard. It never migrates, writes or takes the write lock, so
// it is safe on evidence and next to a running engine.
class ReadOnlyStore
{
public:
    // Resolves the data folder (--data-dir or the default) and opens its database.
    // On failure returns nullptr and sets `error` to what is wrong and what to do.
    static std::unique_ptr<ReadOnlyStore> open(const QString &dataDir, QString *error);
    static std::unique_ptr<ReadOnlyStore> openFile(const QString &file, QString *error);

    SqliteDatabase &database() { return m_db; }
    const QString &file() const { return m_db.file(); }

private:
    explicit ReadOnlyStore(const QString &file);

    SqliteDatabase m_db;
};

} // namespace antibody

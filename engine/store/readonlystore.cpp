#include "engine/store/readonlystore.h"

#include "engine/store/datadirectory.h"
#include "engine/store/schema.h"
#include "engine/store/storeerror.h"

using namespace Qt::StringLiterals;

namespace antibody {

ReadOnlyStore::ReadOnlyStore(const QString &file)
    : m_db(file, SqliteDatabase::Access::ReadOnly, std::chrono::milliseconds { 5'000 })
{
}

std::unique_ptr<ReadOnlyStore> ReadOnlyStore::open(const QString &dataDir, QString *error)
{
    const auto dir = DataDirectory::resolve(dataDir, DataDirectory::Use::ReadOnly);
    if (!dir.ok()) {
        if (error)
            *error = dir.error();
        return nullptr;
    }
    return openFile(dir.databaseFile(), error);
}

std::unique_ptr<ReadOnlyStore> ReadOnlyStore::openFile(const QString &file, QString *error)
{
    try {
        std::unique_ptr<ReadOnlyStore> store(new ReadOnlyStore(file));
        Schema::checkReadable(store->m_db);
        return store;
    } catch (const StoreError &e) {
        if (error)
            *error = e.message();
        return nullptr;
    }
}

} // namespace antibody

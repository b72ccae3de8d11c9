#pragma once

#include "engine/store/storeerror.h"

struct sqlite3;

namespace antibody {

// A StoreError for SQLite result code `rc` from `what` (a verb phrase: "open",
// "write an approval"), naming the file and the next thing to do.
StoreError sqliteError(sqlite3 *db, int rc, const QString &file, const QString &what);

} // namespace antibody

#pragma once

#include <QString>

namespace antibody {

class SqliteDatabase;

// The database's numbered migrations. Each runs in one transaction and records
// itself in `schema_version`, so a crash mid-migration leaves the previous version.
class Schema
{
public:
    // The newest version this build knows.
    static int latestVersion();

    // The version recorded in the file; 0 for a new, empty file. Throws a StoreError
    // when the file is a database of something else.
    static int versionOf(SqliteDatabase &db);

    // Brings a read-write database to latestVersion(). Throws a StoreError naming the
    // file when it was written by a newer Antibody.
    static void migrate(SqliteDatabase &db);

    // For read-only use: throws unless the file is an Antibody database this build can read.
    static void checkReadable(SqliteDatabase &db);
};

} // namespace antibody

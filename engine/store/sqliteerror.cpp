#include "engine/store/sqliteerror.h"

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

// What the person at the keyboard can do about each kind of failure.
QString advice(int primaryCode)
{
    switch (primaryCode) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return u"another process holds the database locked; close the other antibody or antibodyctl using it "
               "(`fuser` on the file names it) and try again"_s;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return u"the file or its folder is not writable; fix the permissions or choose another folder with --data-dir"_s;
    case SQLITE_CANTOPEN:
        return u"the file cannot be opened; check that its folder exists and is writable, or choose another with --data-dir"_s;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return u"the file is damaged or is not an Antibody database; move it aside (keep it for the post-mortem) "
               "and start with a fresh folder, or restore a backup"_s;
    case SQLITE_FULL:
        return u"the disk is full; free space and try again"_s;
    case SQLITE_IOERR:
        return u"the disk reported an I/O error; check the disk and the file system"_s;
    case SQLITE_CONSTRAINT:
        return u"the record contradicts one already stored"_s;
    default:
        return u"see the SQLite message above"_s;
    }
}

} // namespace

StoreError sqliteError(sqlite3 *db, int rc, const QString &file, const QString &what)
{
    const char *message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return StoreError(u"%1: could not %2: %3 (SQLite code %4): %5"_s.arg(file, what, QString::fromUtf8(message))
                          .arg(rc)
                          .arg(advice(rc & 0xff)));
}

} // namespace antibody

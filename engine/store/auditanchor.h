#pragma once

#include "engine/core/time.h"

#include <QString>

namespace antibody {

class SqliteDatabase;

// The audit chain's newest row, kept outside the database: `<db>-anchor`, sealed with
// an HMAC under a key of its own (`<db>-anchor.key`, 32 random bytes made at the first
// start; both 0600). The chain's own head lives in the same file as the rows, so an
// edit with SQL can cut the tail and move the head back, and a deleted database starts
// a fresh, valid chain. The anchor remembers how far the chain went: a database whose
// chain no longer holds the anchored row with its hash was cut back, rewritten or
// replaced. Whoever controls the whole folder can replace the anchor with an older one
// they kept; against that, a checkpoint kept off the machine (`audit verify --expect`)
// is what holds.
class AuditAnchor
{
public:
    struct Check
    {
        enum class State {
            None, // no anchor yet: a new database, or a copy moved without it
            Holds, // the chain still holds the anchored row with its hash
            Broken, // the chain was cut back, rewritten or replaced since
            Unusable, // the anchor or its key cannot be read, or its seal does not match
        };
        State state = State::None;
        qint64 seq = 0; // the anchored row
        QString hash;
        QString at; // when it was anchored (ISO 8601)
        QString problem; // for Broken and Unusable: what, in words naming the files
    };

    static QString anchorFile(const QString &databaseFile);
    static QString keyFile(const QString &databaseFile);

    // Compares the anchor of `databaseFile` with the chain in `db`. Reads only.
    static Check check(SqliteDatabase &db, const QString &databaseFile);

    // Moves the anchor to row `seq` (creating the key on first use) unless it already
    // anchors a later row: several processes share one database. Returns an error text,
    // empty on success.
    static QString advance(const QString &databaseFile, qint64 seq, const QString &hash, TimePoint at);

    // Replaces the anchor whatever it held: after a restart of the chain was recorded.
    static QString reset(const QString &databaseFile, qint64 seq, const QString &hash, TimePoint at);
};

} // namespace antibody

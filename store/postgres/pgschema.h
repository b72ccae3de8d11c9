#pragma once

namespace antibody {

class PgSession;

// The PostgreSQL store's numbered migrations (its own numbering: version 1 holds what
// SQLite's versions 1 to 3 built, plus the leader lease and the epochs). Each runs in
// one transaction, under a transaction-level advisory lock, with its row in
// `schema_version`: replicas starting together migrate once, and a crash leaves the
// previous version (PostgreSQL's DDL is transactional).
class PgSchema
{
public:
    static int latestVersion();
    // The version the database holds; 0 for an empty one. Throws a StoreError when it
    // holds tables of something else.
    static int versionOf(PgSession &session);
    // Brings the database to latestVersion(). Throws a StoreError naming the server
    // when it was written by a newer Antibody.
    static void migrate(PgSession &session);
};

} // namespace antibody

#pragma once

#include "connectors/config/secret.h"
#include "engine/store/auditverifier.h"

#include <memory>

namespace antibody {

class PgConnection;

// AuditVerifier for the team's PostgreSQL store: the hash chain row by row, its head, every
// sealed record against its newest seal, the triggers that keep the trail append-only, and
// rows kept elsewhere (--expect), with the same report and wording as on SQLite
// (AuditChainWalk). It only reads, in one read-only snapshot: it never migrates the schema,
// never asks for the leader lease and never holds a lock a writer waits for, so it can run
// next to the servers that lead and stand by.
class PgAuditVerifier
{
public:
    // A connection for verify(): the DSN (no password in it: `password`, PGPASSWORD or
    // ~/.pgpass), named in messages by its host, port and database only. Null and `error`
    // when the DSN is wrong or the server cannot be reached.
    static std::unique_ptr<PgConnection> connect(const QString &dsn, const Secret &password, QString *error);

    // Throws StoreError when a statement fails (the database is not an Antibody store,
    // the user may not read it).
    static AuditVerifier::Report verify(PgConnection &db, const QList<AuditVerifier::Expectation> &expected = {});
};

} // namespace antibody

#pragma once

#include "connectors/postgres/pgconnection.h"
#include "engine/store/audittrail.h"

#include <QJsonArray>

namespace antibody {

class PgSession;

// AuditTrail on PostgreSQL: the same rows, hashes and seals as on SQLite (RowDigest
// over each non-NULL column's name, type and value), so a chain verifies the same way
// on either. The head is read FOR UPDATE: concurrent writers extend one chain, one
// after the other. Calls run inside the caller's transaction.
class PgAuditTrail
{
public:
    explicit PgAuditTrail(PgSession &session)
        : m_session(session)
    {
    }

    // Returns the new row's sequence number.
    qint64 append(const AuditTrail::Entry &entry);
    // Hashes the record as it is stored now and, when that differs from its last seal,
    // appends a new seal at engine time `at`.
    void seal(const QString &table, const QJsonArray &key, TimePoint at);

    // RowDigest of one row of a result, every column but `skip`: BIGINT columns as
    // integers, DOUBLE PRECISION as reals, the rest as text, NULL as nothing.
    static QString digestOf(const PgRows &rows, qsizetype row, QStringView skip = {});
    // Whether a column of that type (a PostgreSQL type OID) holds whole numbers: a sealed
    // key's value is a number in JSON then, text otherwise.
    static bool isWholeNumber(unsigned type);

private:
    PgSession &m_session;
};

} // namespace antibody

#pragma once

#include "engine/core/time.h"
#include "engine/domain/engineevent.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace antibody {

class SqliteDatabase;

// The append-only, hash-chained audit trail. Each row's hash is SHA-256 over its
// content (RowDigest) including the previous row's hash, so an edited, deleted or
// reordered row breaks the chain where it happened. Every record the store writes
// (incidents, approvals, executions...) is sealed into the same chain: a row that
// names the record and the digest of its content as stored, so editing a record
// outside Antibody shows as well. Calls run inside the caller's transaction.
class AuditTrail
{
public:
    struct Entry
    {
        TimePoint at;
        QString kind; // EngineEvent::kindName(), or "sealed"
        QString incidentId;
        QString detail;
        QJsonObject data; // already redacted
    };

    // A table whose rows are sealed, and the columns that identify a row.
    struct SealedTable
    {
        QString name;
        QStringList keyColumns;
    };

    static QString genesisHash(); // prev_hash of the first row: 64 zeros
    // The hash of an audit row: RowDigest over its columns in the table's order, `hash` left out.
    static QString rowHash(
        qint64 seq, qint64 at, qint64 recordedAt, const Entry &entry, const QString &data, const QString &prevHash);
    static QString sealKind(); // "sealed"
    static const QList<SealedTable> &sealedTables();
    static const QStringList &protectingTriggers();

    explicit AuditTrail(SqliteDatabase &db);

    // An event as a row, as it was written (records that append their own rows in their
    // transaction: tokens, installed runbooks).
    static Entry entryOf(const EngineEvent &event)
    {
        return { event.at, event.kindName(), event.incidentId, event.detail, event.data };
    }

    // Returns the new row's sequence number.
    qint64 append(const Entry &entry);

    // Hashes the record as it is stored now and, when that differs from its last
    // seal, appends a new seal at engine time `at`. `key` holds the key columns' values, in order.
    void seal(const QString &table, const QJsonArray &key, TimePoint at);

private:
    SqliteDatabase &m_db;
};

} // namespace antibody

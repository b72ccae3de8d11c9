#include "store/postgres/pgaudittrail.h"

#include "engine/store/rowdigest.h"
#include "engine/store/storeerror.h"
#include "store/postgres/pgsession.h"

#include <QDateTime>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

// PostgreSQL's type OIDs of the columns the store declares (pg_type.oid).
constexpr unsigned int2Oid = 21;
constexpr unsigned int4Oid = 23;
constexpr unsigned int8Oid = 20;
constexpr unsigned float8Oid = 701;

} // namespace

bool PgAuditTrail::isWholeNumber(unsigned type)
{
    return type == int2Oid || type == int4Oid || type == int8Oid;
}

QString PgAuditTrail::digestOf(const PgRows &rows, qsizetype row, QStringView skip)
{
    RowDigest digest;
    for (qsizetype c = 0; c < rows.columns.size(); ++c) {
        const QString &name = rows.columns.at(c);
        if (name == skip || rows.nulls.at(row).at(c))
            continue;
        const QString &value = rows.rows.at(row).at(c);
        switch (rows.types.value(c)) {
        case int2Oid:
        case int4Oid:
        case int8Oid:
            digest.add(name, value.toLongLong());
            break;
        case float8Oid:
            digest.add(name, value.toDouble());
            break;
        default:
            digest.add(name, value);
            break;
        }
    }
    return digest.hex();
}

qint64 PgAuditTrail::append(const AuditTrail::Entry &entry)
{
    // The head's row lock orders the writers of every replica: one chain, no fork.
    const PgRows head = m_session.exec(u"SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"_s);
    if (head.rows.isEmpty()) {
        throw StoreError(u"the audit trail of %1 has no head row; the database was altered outside Antibody"_s.arg(
            m_session.location()));
    }
    const qint64 seq = head.rows.front().value(0).toLongLong() + 1;
    const QString prevHash = head.rows.front().value(1);
    const qint64 at = toMillis(entry.at);
    const qint64 recordedAt = QDateTime::currentMSecsSinceEpoch();
    const QString data = QString::fromUtf8(QJsonDocument(entry.data).toJson(QJsonDocument::Compact));
    const QString hash = AuditTrail::rowHash(seq, at, recordedAt, entry, data, prevHash);
    m_session.exec(u"INSERT INTO audit (seq, at, recorded_at, kind, incident_id, detail, data, prev_hash, hash) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"_s,
        PgParams() << seq << at << recordedAt << entry.kind << entry.incidentId << entry.detail << data << prevHash
                   << hash);
    return seq;
}

void PgAuditTrail::seal(const QString &table, const QJsonArray &key, TimePoint at)
{
    const auto &tables = AuditTrail::sealedTables();
    const auto it
        = std::find_if(tables.begin(), tables.end(), [&](const AuditTrail::SealedTable &t) { return t.name == table; });
    Q_ASSERT(it != tables.end() && it->keyColumns.size() == key.size());
    QString where;
    PgParams params;
    for (qsizetype i = 0; i < it->keyColumns.size(); ++i) {
        where += (where.isEmpty() ? u" WHERE "_s : u" AND "_s) + it->keyColumns.at(i) + u" = $%1"_s.arg(i + 1);
        if (key.at(i).isDouble())
            params << static_cast<qint64>(key.at(i).toDouble());
        else
            params << key.at(i).toString();
    }
    // The table name comes from the fixed list above, never from a value.
    const PgRows row = m_session.exec(u"SELECT * FROM "_s + table + where, params);
    const QString rowKey = QString::fromUtf8(QJsonDocument(key).toJson(QJsonDocument::Compact));
    if (row.rows.isEmpty())
        throw StoreError(u"%1: cannot seal %2 %3: no such row"_s.arg(m_session.location(), table, rowKey));
    const QString digest = digestOf(row, 0);

    const PgRows last = m_session.exec(
        u"SELECT digest FROM seals WHERE table_name = $1 AND row_key = $2"_s, PgParams() << table << rowKey);
    if (!last.rows.isEmpty() && last.rows.front().value(0) == digest)
        return;
    const qint64 seq = append({ at, AuditTrail::sealKind(), {}, table + u' ' + rowKey,
        QJsonObject { { u"table"_s, table }, { u"key"_s, key }, { u"sha256"_s, digest } } });
    m_session.exec(u"INSERT INTO seals (table_name, row_key, digest, audit_seq) VALUES ($1, $2, $3, $4) "
                   "ON CONFLICT (table_name, row_key) DO UPDATE SET digest = excluded.digest, "
                   "audit_seq = excluded.audit_seq"_s,
        PgParams() << table << rowKey << digest << seq);
}

} // namespace antibody

#include "engine/store/audittrail.h"

#include "engine/store/rowdigest.h"
#include "engine/store/sqlitedatabase.h"
#include "engine/store/storeerror.h"

#include <QDateTime>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody {

QString AuditTrail::genesisHash()
{
    return QString(64, u'0');
}

QString AuditTrail::sealKind()
{
    return u"sealed"_s;
}

const QList<AuditTrail::SealedTable> &AuditTrail::sealedTables()
{
    static const QList<SealedTable> tables {
        { u"incidents"_s, { u"id"_s } },
        { u"transitions"_s, { u"incident_id"_s, u"seq"_s } },
        { u"alerts"_s, { u"incident_id"_s, u"fingerprint"_s } },
        { u"diagnostics"_s, { u"id"_s } },
        { u"proposals"_s, { u"id"_s } },
        { u"plans"_s, { u"proposal_id"_s, u"fingerprint"_s } },
        { u"approvals"_s, { u"id"_s } },
        { u"executions"_s, { u"id"_s } },
        { u"steps"_s, { u"id"_s } },
        { u"breakers"_s, { u"type"_s } },
        { u"cooldowns"_s, { u"resource"_s } },
        { u"drills"_s, { u"id"_s } },
    };
    return tables;
}

const QStringList &AuditTrail::protectingTriggers()
{
    static const QStringList triggers { u"audit_chain_append"_s, u"audit_chain_head"_s, u"audit_no_update"_s,
        u"audit_no_delete"_s, u"audit_head_forward"_s };
    return triggers;
}

QString AuditTrail::rowHash(
    qint64 seq, qint64 at, qint64 recordedAt, const Entry &entry, const QString &data, const QString &prevHash)
{
    // The same columns, in the same order, as the table: verify recomputes this from the stored row.
    return RowDigest()
        .add(u"seq", seq)
        .add(u"at", at)
        .add(u"recorded_at", recordedAt)
        .add(u"kind", entry.kind)
        .add(u"incident_id", entry.incidentId)
        .add(u"detail", entry.detail)
        .add(u"data", data)
        .add(u"prev_hash", prevHash)
        .hex();
}

AuditTrail::AuditTrail(SqliteDatabase &db)
    : m_db(db)
{
}

qint64 AuditTrail::append(const Entry &entry)
{
    auto &head = m_db.cached("SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!head.step())
        throw StoreError(
            u"%1: the audit trail has no head row; the database was altered outside Antibody"_s.arg(m_db.file()));
    const qint64 seq = head.integer(0) + 1;
    const QString prevHash = head.text(1);
    head.reset();

    const qint64 at = toMillis(entry.at);
    const qint64 recordedAt = QDateTime::currentMSecsSinceEpoch();
    const QString data = QString::fromUtf8(QJsonDocument(entry.data).toJson(QJsonDocument::Compact));
    const QString hash = rowHash(seq, at, recordedAt, entry, data, prevHash);
    auto &insert
        = m_db.cached("INSERT INTO audit (seq, at, recorded_at, kind, incident_id, detail, data, prev_hash, hash) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, seq)
        .bind(2, at)
        .bind(3, recordedAt)
        .bind(4, entry.kind)
        .bind(5, entry.incidentId)
        .bind(6, entry.detail)
        .bind(7, data)
        .bind(8, prevHash)
        .bind(9, hash);
    insert.run();
    return seq;
}

void AuditTrail::seal(const QString &table, const QJsonArray &key, TimePoint at)
{
    const auto it = std::find_if(
        sealedTables().begin(), sealedTables().end(), [&](const SealedTable &t) { return t.name == table; });
    Q_ASSERT(it != sealedTables().end() && it->keyColumns.size() == key.size());
    QString where;
    for (const QString &column : it->keyColumns)
        where += (where.isEmpty() ? u" WHERE "_s : u" AND "_s) + column + u" = ?"_s;
    const QByteArray sql = (u"SELECT * FROM "_s + table + where).toUtf8();
    auto &row = m_db.cached(sql.constData());
    for (int i = 0; i < key.size(); ++i) {
        if (key.at(i).isDouble())
            row.bind(i + 1, static_cast<qint64>(key.at(i).toDouble()));
        else
            row.bind(i + 1, key.at(i).toString());
    }
    const QString rowKey = QString::fromUtf8(QJsonDocument(key).toJson(QJsonDocument::Compact));
    if (!row.step())
        throw StoreError(u"%1: cannot seal %2 %3: no such row"_s.arg(m_db.file(), table, rowKey));
    const QString digest = RowDigest().addRow(row).hex();
    row.reset();

    auto &last = m_db.cached("SELECT digest FROM seals WHERE table_name = ? AND row_key = ?");
    last.bind(1, table).bind(2, rowKey);
    const bool unchanged = last.step() && last.text(0) == digest;
    last.reset();
    if (unchanged)
        return;

    const qint64 seq = append({ at, sealKind(), {}, table + u' ' + rowKey,
        QJsonObject { { u"table"_s, table }, { u"key"_s, key }, { u"sha256"_s, digest } } });
    auto &save = m_db.cached("INSERT INTO seals (table_name, row_key, digest, audit_seq) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT (table_name, row_key) DO UPDATE SET digest = excluded.digest, "
                             "audit_seq = excluded.audit_seq");
    save.bind(1, table).bind(2, rowKey).bind(3, digest).bind(4, seq);
    save.run();
}

} // namespace antibody

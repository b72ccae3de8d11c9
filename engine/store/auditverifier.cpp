#include "engine/store/auditverifier.h"

#include "engine/store/auditanchor.h"
#include "engine/store/audittrail.h"
#include "engine/store/rowdigest.h"
#include "engine/store/schema.h"
#include "engine/store/sqlitedatabase.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

struct Seal
{
    QString digest;
    qint64 seq = 0;
};

int columnIndex(const SqliteStatement &q, QStringView name)
{
    for (int c = 0; c < q.columnCount(); ++c) {
        if (q.columnName(c) == name)
            return c;
    }
    return -1;
}

QString sealId(const QString &table, const QString &rowKey)
{
    return table + u'\x1f' + rowKey;
}

class Verification
{
public:
    Verification(SqliteDatabase &db, AuditVerifier::Report &report)
        : m_db(db)
        , m_report(report)
    {
    }

    void integrity();
    void chain();
    void head();
    void records();
    void triggers();
    void expectations(const QList<AuditVerifier::Expectation> &expected);

private:
    void problem(const QString &where, const QString &what) { m_report.problems.append({ where, what }); }
    QString mismatch(qint64 seq, const QString &prevHash);

    SqliteDatabase &m_db;
    AuditVerifier::Report &m_report;
    QHash<QString, Seal> m_seals; // newest seal of each record, from intact audit rows
    qint64 m_lastSeq = 0;
    QString m_lastHash = AuditTrail::genesisHash();
};

void Verification::integrity()
{
    auto q = m_db.prepare(u"PRAGMA integrity_check(5)"_s);
    QStringList findings;
    while (q.step()) {
        if (q.text(0) != u"ok"_s)
            findings << q.text(0);
    }
    if (!findings.isEmpty())
        problem(u"the database file"_s, u"is damaged: "_s + findings.join(u"; "_s));
}

QString Verification::mismatch(qint64 seq, const QString &prevHash)
{
    // A row moved elsewhere still carries the hash of the row it followed when it was written.
    auto from = m_db.prepare(u"SELECT seq FROM audit WHERE hash = ?"_s);
    from.bind(1, prevHash);
    if (prevHash != m_lastHash && from.step() && from.integer(0) + 1 != seq)
        return u"holds the entry written after row %1: rows were reordered"_s.arg(from.integer(0));
    return u"was edited: its content no longer matches its hash"_s;
}

void Verification::chain()
{
    auto q = m_db.prepare(u"SELECT * FROM audit ORDER BY seq"_s);
    const int seqColumn = columnIndex(q, u"seq");
    const int kindColumn = columnIndex(q, u"kind");
    const int dataColumn = columnIndex(q, u"data");
    const int prevColumn = columnIndex(q, u"prev_hash");
    const int hashColumn = columnIndex(q, u"hash");
    while (q.step()) {
        ++m_report.rows;
        const qint64 seq = q.integer(seqColumn);
        const QString stored = q.text(hashColumn);
        const QString prevHash = q.text(prevColumn);
        const bool contiguous = seq == m_lastSeq + 1;
        if (!contiguous) {
            problem(u"audit row %1"_s.arg(m_lastSeq + 1),
                seq == m_lastSeq + 2 ? u"is missing: it was deleted"_s
                                     : u"is missing, and so are the rows up to %1: they were deleted"_s.arg(seq - 1));
        }
        const bool intact = RowDigest().addRow(q, u"hash").hex() == stored;
        if (!intact)
            problem(u"audit row %1"_s.arg(seq), mismatch(seq, prevHash));
        else if (contiguous && prevHash != m_lastHash && m_lastSeq > 0)
            problem(u"audit row %1"_s.arg(m_lastSeq),
                u"was edited and its hash recomputed: row %1 still records the hash it had"_s.arg(seq));

        if (q.text(kindColumn) == AuditTrail::sealKind()) {
            ++m_report.seals;
            const QJsonObject data = QJsonDocument::fromJson(q.text(dataColumn).toUtf8()).object();
            if (intact) {
                const QString rowKey
                    = QString::fromUtf8(QJsonDocument(data.value(u"key"_s).toArray()).toJson(QJsonDocument::Compact));
                m_seals.insert(
                    sealId(data.value(u"table"_s).toString(), rowKey), { data.value(u"sha256"_s).toString(), seq });
            }
        } else {
            ++m_report.events;
        }
        m_lastSeq = seq;
        m_lastHash = stored;
    }
}

void Verification::head()
{
    auto q = m_db.prepare(u"SELECT seq, hash FROM audit_head WHERE id = 1"_s);
    if (!q.step()) {
        problem(u"the audit head"_s, u"is missing: the table audit_head was emptied outside Antibody"_s);
        return;
    }
    m_report.headSeq = q.integer(0);
    m_report.headHash = q.text(1);
    if (m_report.headSeq > m_lastSeq) {
        problem(u"audit row %1"_s.arg(m_lastSeq + 1),
            m_report.headSeq == m_lastSeq + 1
                ? u"is missing: the newest row was deleted"_s
                : u"is missing, and so are the rows up to %1: the newest rows were deleted"_s.arg(m_report.headSeq));
    } else if (m_report.headSeq < m_lastSeq) {
        problem(u"audit row %1"_s.arg(m_report.headSeq + 1),
            u"was added outside Antibody: the head of the trail is row %1"_s.arg(m_report.headSeq));
    } else if (m_report.headHash != m_lastHash) {
        problem(u"audit row %1"_s.arg(m_lastSeq),
            u"was edited and its hash recomputed: the head still records the hash it had"_s);
    }
}

void Verification::records()
{
    for (const AuditTrail::SealedTable &table : AuditTrail::sealedTables()) {
        auto q = m_db.prepare(u"SELECT * FROM "_s + table.name);
        QList<int> keyColumns;
        for (const QString &k : table.keyColumns)
            keyColumns << columnIndex(q, k);
        while (q.step()) {
            ++m_report.records;
            QJsonArray key;
            for (int c : keyColumns) {
                if (q.columnType(c) == SQLITE_INTEGER)
                    key.append(q.integer(c));
                else
                    key.append(q.text(c));
            }
            const QString rowKey = QString::fromUtf8(QJsonDocument(key).toJson(QJsonDocument::Compact));
            const QString where = u"%1 row %2"_s.arg(table.name, rowKey);
            const auto seal = m_seals.constFind(sealId(table.name, rowKey));
            if (seal == m_seals.constEnd()) {
                problem(where, u"is not in the audit trail: it was added outside Antibody"_s);
                continue;
            }
            if (RowDigest().addRow(q).hex() != seal->digest)
                problem(where, u"was changed outside Antibody after audit row %1 sealed it"_s.arg(seal->seq));
            m_seals.erase(seal);
        }
    }
    // Whatever is left was sealed and is gone. Report in the order of the trail.
    QList<std::pair<qint64, QString>> deleted;
    for (auto it = m_seals.constBegin(); it != m_seals.constEnd(); ++it) {
        const QStringList parts = it.key().split(u'\x1f');
        deleted.append({ it->seq, u"%1 row %2"_s.arg(parts.value(0), parts.value(1)) });
    }
    std::sort(deleted.begin(), deleted.end());
    for (const auto &[seq, where] : deleted)
        problem(where, u"was deleted: audit row %1 sealed it"_s.arg(seq));
}

// The SQL of a trigger as this build of Antibody creates it: the schema's migrations run
// into a database in memory, so the comparison follows every migration there is.
QString expectedTriggerSql(const QString &name)
{
    static const QHash<QString, QString> sql = [] {
        QHash<QString, QString> out;
        QTemporaryDir scratch; // the store insists on WAL, which an in-memory database cannot do
        if (!scratch.isValid())
            return out;
        SqliteDatabase fresh(
            scratch.filePath(u"schema.db"_s), SqliteDatabase::Access::ReadWrite, std::chrono::milliseconds { 1'000 });
        Schema::migrate(fresh);
        auto q = fresh.prepare(u"SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"_s);
        while (q.step())
            out.insert(q.text(0), q.text(1));
        return out;
    }();
    return sql.value(name);
}

void Verification::triggers()
{
    for (const QString &name : AuditTrail::protectingTriggers()) {
        auto q = m_db.prepare(u"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?"_s);
        q.bind(1, name);
        if (!q.step())
            problem(u"trigger "_s + name, u"was dropped: the audit trail no longer refuses edits"_s);
        else if (const QString expected = expectedTriggerSql(name);
                 !expected.isEmpty() && q.text(0).simplified() != expected.simplified())
            problem(u"trigger "_s + name, u"was re-created with other SQL: it no longer guards what it should"_s);
    }
}

void Verification::expectations(const QList<AuditVerifier::Expectation> &expected)
{
    for (const AuditVerifier::Expectation &e : expected) {
        auto q = m_db.prepare(u"SELECT hash FROM audit WHERE seq = ?"_s);
        q.bind(1, e.seq);
        const QString where = u"audit row %1"_s.arg(e.seq);
        if (!q.step())
            problem(where,
                u"is gone: it was kept elsewhere with hash %1, so the trail was cut back and rewritten"_s.arg(
                    e.hash.left(16)));
        else if (q.text(0).compare(e.hash, Qt::CaseInsensitive) != 0)
            problem(where,
                u"has hash %1, not %2 as kept elsewhere: the trail was rewritten from there on"_s.arg(
                    q.text(0).left(16), e.hash.left(16)));
    }
}

} // namespace

AuditVerifier::Report AuditVerifier::verify(SqliteDatabase &db, const QList<Expectation> &expected)
{
    Report report;
    report.file = db.file();
    // One read transaction: the whole check sees one consistent snapshot, even while an engine appends.
    db.exec(u"BEGIN"_s, u"start reading"_s);
    try {
        // The anchor file first, then the snapshot: an engine moves its anchor only after
        // a commit, so the snapshot holds every row the anchor names.
        const AuditAnchor::Check anchor = AuditAnchor::check(db, db.file());
        report.anchoredSeq = anchor.state == AuditAnchor::Check::State::Holds ? anchor.seq : 0;
        report.anchoredAt = anchor.at;
        Verification v(db, report);
        v.integrity();
        v.chain();
        v.head();
        if (!anchor.problem.isEmpty())
            report.problems.append({ u"the anchor"_s, anchor.problem });
        v.records();
        v.triggers();
        v.expectations(expected);
    } catch (...) {
        db.exec(u"ROLLBACK"_s);
        throw;
    }
    db.exec(u"COMMIT"_s, u"finish reading"_s);
    return report;
}

} // namespace antibody

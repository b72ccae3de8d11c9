#include "engine/store/auditverifier.h"

#include "engine/store/auditanchor.h"
#include "engine/store/auditchainwalk.h"
#include "engine/store/audittrail.h"
#include "engine/store/rowdigest.h"
#include "engine/store/schema.h"
#include "engine/store/sqlitedatabase.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

int columnIndex(const SqliteStatement &q, QStringView name)
{
    for (int c = 0; c < q.columnCount(); ++c) {
        if (q.columnName(c) == name)
            return c;
    }
    return -1;
}

class Verification
{
public:
    Verification(SqliteDatabase &db, AuditVerifier::Report &report)
        : m_db(db)
        , m_walk(report)
    {
    }

    void integrity();
    void chain();
    void head();
    void records();
    void triggers();
    void expectations(const QList<AuditVerifier::Expectation> &expected);

private:
    void problem(const QString &where, const QString &what) { m_walk.problem(where, what); }

    SqliteDatabase &m_db;
    AuditChainWalk m_walk;
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

void Verification::chain()
{
    auto q = m_db.prepare(u"SELECT * FROM audit ORDER BY seq"_s);
    const int seqColumn = columnIndex(q, u"seq");
    const int kindColumn = columnIndex(q, u"kind");
    const int dataColumn = columnIndex(q, u"data");
    const int prevColumn = columnIndex(q, u"prev_hash");
    const int hashColumn = columnIndex(q, u"hash");
    const auto seqOfHash = [this](const QString &hash) -> std::optional<qint64> {
        auto from = m_db.prepare(u"SELECT seq FROM audit WHERE hash = ?"_s);
        from.bind(1, hash);
        return from.step() ? std::optional(from.integer(0)) : std::nullopt;
    };
    while (q.step()) {
        const QString stored = q.text(hashColumn);
        m_walk.row({ q.integer(seqColumn), q.text(kindColumn), q.text(dataColumn), q.text(prevColumn), stored,
                       RowDigest().addRow(q, u"hash").hex() == stored },
            seqOfHash);
    }
}

void Verification::head()
{
    auto q = m_db.prepare(u"SELECT seq, hash FROM audit_head WHERE id = 1"_s);
    m_walk.head(q.step() ? std::optional(std::pair(q.integer(0), q.text(1))) : std::nullopt);
}

void Verification::records()
{
    for (const AuditTrail::SealedTable &table : AuditTrail::sealedTables()) {
        auto q = m_db.prepare(u"SELECT * FROM "_s + table.name);
        QList<int> keyColumns;
        for (const QString &k : table.keyColumns)
            keyColumns << columnIndex(q, k);
        while (q.step()) {
            QJsonArray key;
            for (int c : keyColumns) {
                if (q.columnType(c) == SQLITE_INTEGER)
                    key.append(q.integer(c));
                else
                    key.append(q.text(c));
            }
            m_walk.record(table.name, QString::fromUtf8(QJsonDocument(key).toJson(QJsonDocument::Compact)),
                RowDigest().addRow(q).hex());
        }
    }
    m_walk.recordsDone();
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
        m_walk.expectation(e, q.step() ? std::optional(q.text(0)) : std::nullopt);
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

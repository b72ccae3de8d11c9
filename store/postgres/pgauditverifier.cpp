#include "store/postgres/pgauditverifier.h"

#include "connectors/postgres/dsn.h"
#include "connectors/postgres/pgconnection.h"
#include "engine/store/auditchainwalk.h"
#include "engine/store/storeerror.h"
#include "store/postgres/pgaudittrail.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

// Rows of the trail read at a time: a long trail is read in pages, all from one snapshot.
constexpr int pageRows = 5'000;

class Verification
{
public:
    Verification(PgConnection &db, AuditVerifier::Report &report)
        : m_db(db)
        , m_walk(report)
    {
    }

    PgRows exec(const QString &sql, const QStringList &params = {});
    void chain();
    void head();
    void records();
    void triggers();
    void expectations(const QList<AuditVerifier::Expectation> &expected);

private:
    PgConnection &m_db;
    AuditChainWalk m_walk;
};

PgRows Verification::exec(const QString &sql, const QStringList &params)
{
    PgRows rows = m_db.exec(sql, params);
    if (!rows.ok)
        throw StoreError(u"%1 (PostgreSQL %2)"_s.arg(rows.error, m_db.describe()));
    return rows;
}

void Verification::chain()
{
    const auto seqOfHash = [this](const QString &hash) -> std::optional<qint64> {
        const PgRows from = exec(u"SELECT seq FROM audit WHERE hash = $1 LIMIT 1"_s, { hash });
        return from.rows.isEmpty() ? std::nullopt : std::optional(from.rows.front().front().toLongLong());
    };
    qint64 after = -1;
    for (;;) {
        const PgRows page = exec(
            u"SELECT * FROM audit WHERE seq > $1 ORDER BY seq LIMIT %1"_s.arg(pageRows), { QString::number(after) });
        for (qsizetype r = 0; r < page.rows.size(); ++r) {
            const QString stored = page.value(r, u"hash"_s);
            after = page.value(r, u"seq"_s).toLongLong();
            m_walk.row({ after, page.value(r, u"kind"_s), page.value(r, u"data"_s), page.value(r, u"prev_hash"_s),
                           stored, PgAuditTrail::digestOf(page, r, u"hash") == stored },
                seqOfHash);
        }
        if (page.rows.size() < pageRows)
            return;
    }
}

void Verification::head()
{
    const PgRows head = exec(u"SELECT seq, hash FROM audit_head WHERE id = 1"_s);
    m_walk.head(head.rows.isEmpty()
            ? std::nullopt
            : std::optional(std::pair(head.rows.front().value(0).toLongLong(), head.rows.front().value(1))));
}

void Verification::records()
{
    for (const AuditTrail::SealedTable &table : AuditTrail::sealedTables()) {
        // The table name comes from the fixed list, never from a value.
        const PgRows rows = exec(u"SELECT * FROM "_s + table.name);
        QList<qsizetype> keyColumns;
        for (const QString &k : table.keyColumns)
            keyColumns << rows.columns.indexOf(k);
        for (qsizetype r = 0; r < rows.rows.size(); ++r) {
            // The key as the store sealed it: whole numbers as numbers, the rest as text.
            QJsonArray key;
            for (qsizetype c : keyColumns) {
                if (PgAuditTrail::isWholeNumber(rows.types.value(c)))
                    key.append(rows.rows.at(r).value(c).toLongLong());
                else
                    key.append(rows.rows.at(r).value(c));
            }
            m_walk.record(table.name, QString::fromUtf8(QJsonDocument(key).toJson(QJsonDocument::Compact)),
                PgAuditTrail::digestOf(rows, r));
        }
    }
    m_walk.recordsDone();
}

void Verification::triggers()
{
    // A trigger that is there but disabled (ALTER TABLE ... DISABLE TRIGGER), or enabled for
    // replication sessions only (ENABLE REPLICA TRIGGER), guards nothing either.
    const PgRows found = exec(u"SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal "
                              "AND tgrelid IN (to_regclass('audit'), to_regclass('audit_head'))"_s);
    for (const QString &name : AuditTrail::protectingTriggers()) {
        const auto it = std::find_if(
            found.rows.begin(), found.rows.end(), [&](const QStringList &row) { return row.value(0) == name; });
        if (it == found.rows.end())
            m_walk.problem(u"trigger "_s + name, u"was dropped: the audit trail no longer refuses edits"_s);
        else if (it->value(1) != u"O"_s && it->value(1) != u"A"_s) // D: disabled, R: for replication only
            m_walk.problem(u"trigger "_s + name, u"is disabled: the audit trail no longer refuses edits"_s);
    }
}

void Verification::expectations(const QList<AuditVerifier::Expectation> &expected)
{
    for (const AuditVerifier::Expectation &e : expected) {
        const PgRows row = exec(u"SELECT hash FROM audit WHERE seq = $1"_s, { QString::number(e.seq) });
        m_walk.expectation(e, row.rows.isEmpty() ? std::nullopt : std::optional(row.rows.front().value(0)));
    }
}

} // namespace

std::unique_ptr<PgConnection> PgAuditVerifier::connect(const QString &dsn, const Secret &password, QString *error)
{
    if (const QString problem = dsnProblem(dsn); !problem.isEmpty()) {
        // libpq's syntax message quotes the text around the mistake, which may hold a password.
        *error = problem.startsWith(u"not a valid"_s)
            ? u"the store's DSN is not a valid libpq connection string (libpq's message is not shown: it may quote a "
              "password); write key=value pairs such as \"host=db1 port=5432 dbname=antibody user=antibody\", "
              "values with spaces in single quotes"_s
            : problem.startsWith(u"contains a password"_s)
            ? u"the store's DSN (%1) contains a password, which would end up in process listings and shell history; "
              "remove it: the password comes from server.database.password_file or password_env (--config), or from "
              "PGPASSWORD or ~/.pgpass"_s.arg(dsnLocation(dsn))
            : u"the store's DSN %1"_s.arg(problem);
        return nullptr;
    }
    PgConnection::Settings settings;
    settings.dsn = dsn;
    settings.password = password;
    settings.applicationName = u"antibodyctl audit verify"_s;
    settings.location = dsnLocation(dsn);
    // Each sealed table is read in one statement; no write waits for this reader.
    settings.statementTimeout = Duration { 120'000 };
    settings.reconnect = false; // one snapshot, over one connection
    auto connection = std::make_unique<PgConnection>(settings);
    if (!connection->connect(error))
        return nullptr;
    return connection;
}

AuditVerifier::Report PgAuditVerifier::verify(PgConnection &db, const QList<AuditVerifier::Expectation> &expected)
{
    AuditVerifier::Report report;
    report.file = db.describe();
    Verification v(db, report);
    // One snapshot for the whole check, even while a leader appends; READ ONLY: nothing
    // here can write, whatever the user may.
    v.exec(u"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"_s);
    try {
        if (v.exec(u"SELECT to_regclass('audit') IS NOT NULL AND to_regclass('audit_head') IS NOT NULL"_s)
                .rows.value(0)
                .value(0)
            != u"t"_s) {
            throw StoreError(u"%1 holds no Antibody store (no table audit): check the DSN's dbname and the search_path "
                             "of its user"_s.arg(db.describe()));
        }
        v.chain();
        v.head();
        v.records();
        v.triggers();
        v.expectations(expected);
    } catch (...) {
        db.exec(u"ROLLBACK"_s);
        throw;
    }
    v.exec(u"COMMIT"_s);
    return report;
}

} // namespace antibody

#pragma once

#include "engine/store/audittrail.h"
#include "engine/store/auditverifier.h"

#include <QHash>
#include <functional>
#include <optional>

namespace antibody {

// What AuditVerifier concludes from the rows of an audit trail, whichever database holds
// them (SQLite, or the team's PostgreSQL: PgAuditVerifier). The database reads the rows and
// recomputes each one's hash; the walk says which row is missing, edited, reordered or
// re-chained, whether the head is the newest row, and which sealed record no longer
// matches its newest seal. Problems are added to the report in the order they were found.
class AuditChainWalk
{
public:
    explicit AuditChainWalk(AuditVerifier::Report &report)
        : m_report(report)
    {
    }

    struct Row
    {
        qint64 seq = 0;
        QString kind;
        QString data; // compact JSON as stored
        QString prevHash;
        QString hash; // as stored
        bool intact = false; // its content still hashes to `hash`
    };
    // The row that holds `hash`, if any: how a row moved elsewhere is told from an edited one.
    using SeqOfHash = std::function<std::optional<qint64>(const QString &hash)>;

    // Each row in the order of seq.
    void row(const Row &row, const SeqOfHash &seqOfHash);
    // After the last row: the head as stored (seq and hash), nullopt when its row is gone.
    void head(const std::optional<std::pair<qint64, QString>> &head);
    // After the head: each row of a sealed table, its key as compact JSON and its digest now.
    void record(const QString &table, const QString &rowKey, const QString &digest);
    // After the records: whatever was sealed and is no longer there.
    void recordsDone();
    // A row someone kept elsewhere, and the hash that row has now (nullopt: no such row).
    void expectation(const AuditVerifier::Expectation &expected, const std::optional<QString> &hashNow);

    void problem(const QString &where, const QString &what) { m_report.problems.append({ where, what }); }

private:
    struct Seal
    {
        QString digest;
        qint64 seq = 0;
    };

    AuditVerifier::Report &m_report;
    QHash<QString, Seal> m_seals; // newest seal of each record, from intact audit rows
    qint64 m_lastSeq = 0;
    QString m_lastHash = AuditTrail::genesisHash();
};

} // namespace antibody

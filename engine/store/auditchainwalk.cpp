#include "engine/store/auditchainwalk.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

QString sealId(const QString &table, const QString &rowKey)
{
    return table + u'\x1f' + rowKey;
}

} // namespace

void AuditChainWalk::row(const Row &row, const SeqOfHash &seqOfHash)
{
    ++m_report.rows;
    const qint64 seq = row.seq;
    const bool contiguous = seq == m_lastSeq + 1;
    if (!contiguous) {
        problem(u"audit row %1"_s.arg(m_lastSeq + 1),
            seq == m_lastSeq + 2 ? u"is missing: it was deleted"_s
                                 : u"is missing, and so are the rows up to %1: they were deleted"_s.arg(seq - 1));
    }
    if (!row.intact) {
        // A row moved elsewhere still carries the hash of the row it followed when it was written.
        const std::optional<qint64> from = row.prevHash != m_lastHash ? seqOfHash(row.prevHash) : std::nullopt;
        problem(u"audit row %1"_s.arg(seq),
            from && *from + 1 != seq ? u"holds the entry written after row %1: rows were reordered"_s.arg(*from)
                                     : u"was edited: its content no longer matches its hash"_s);
    } else if (contiguous && row.prevHash != m_lastHash && m_lastSeq > 0) {
        problem(u"audit row %1"_s.arg(m_lastSeq),
            u"was edited and its hash recomputed: row %1 still records the hash it had"_s.arg(seq));
    }

    if (row.kind == AuditTrail::sealKind()) {
        ++m_report.seals;
        if (row.intact) {
            const QJsonObject data = QJsonDocument::fromJson(row.data.toUtf8()).object();
            const QString rowKey
                = QString::fromUtf8(QJsonDocument(data.value(u"key"_s).toArray()).toJson(QJsonDocument::Compact));
            m_seals.insert(
                sealId(data.value(u"table"_s).toString(), rowKey), { data.value(u"sha256"_s).toString(), seq });
        }
    } else {
        ++m_report.events;
    }
    m_lastSeq = seq;
    m_lastHash = row.hash;
}

void AuditChainWalk::head(const std::optional<std::pair<qint64, QString>> &head)
{
    if (!head) {
        problem(u"the audit head"_s, u"is missing: the table audit_head was emptied outside Antibody"_s);
        return;
    }
    m_report.headSeq = head->first;
    m_report.headHash = head->second;
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

void AuditChainWalk::record(const QString &table, const QString &rowKey, const QString &digest)
{
    ++m_report.records;
    const QString where = u"%1 row %2"_s.arg(table, rowKey);
    const auto seal = m_seals.constFind(sealId(table, rowKey));
    if (seal == m_seals.constEnd()) {
        problem(where, u"is not in the audit trail: it was added outside Antibody"_s);
        return;
    }
    if (digest != seal->digest)
        problem(where, u"was changed outside Antibody after audit row %1 sealed it"_s.arg(seal->seq));
    m_seals.erase(seal);
}

void AuditChainWalk::recordsDone()
{
    // Whatever is left was sealed and is gone. Report in the order of the trail.
    QList<std::pair<qint64, QString>> deleted;
    for (auto it = m_seals.constBegin(); it != m_seals.constEnd(); ++it) {
        const QStringList parts = it.key().split(u'\x1f');
        deleted.append({ it->seq, u"%1 row %2"_s.arg(parts.value(0), parts.value(1)) });
    }
    std::sort(deleted.begin(), deleted.end());
    for (const auto &[seq, where] : deleted)
        problem(where, u"was deleted: audit row %1 sealed it"_s.arg(seq));
    m_seals.clear();
}

void AuditChainWalk::expectation(const AuditVerifier::Expectation &expected, const std::optional<QString> &hashNow)
{
    const QString where = u"audit row %1"_s.arg(expected.seq);
    if (!hashNow)
        problem(where,
            u"is gone: it was kept elsewhere with hash %1, so the trail was cut back and rewritten"_s.arg(
                expected.hash.left(16)));
    else if (hashNow->compare(expected.hash, Qt::CaseInsensitive) != 0)
        problem(where,
            u"has hash %1, not %2 as kept elsewhere: the trail was rewritten from there on"_s.arg(
                hashNow->left(16), expected.hash.left(16)));
}

} // namespace antibody

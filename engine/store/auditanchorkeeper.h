#pragma once

#include <QString>
#include <QStringList>
#include <functional>
#include <utility>

namespace antibody {

class SqliteDatabase;

// Keeps the audit anchor outside the database file (AuditAnchor) with the chain:
// checked when the store opens, moved forward as the chain grows (after every
// decision, else at most once a second).
class AuditAnchorKeeper
{
public:
    AuditAnchorKeeper(SqliteDatabase &db, std::function<void(const QString &)> fail);

    // A chain that restarted or was cut back since its anchor is recorded in the chain
    // itself; an anchor that cannot be read is left as evidence and nothing is anchored.
    void checkAtStart();
    void keep(bool decision);
    // What the start found and someone must hear. Empty when all is well.
    QStringList startWarnings() const { return m_startWarnings; }

    // The chain's newest row: its sequence number (0: none) and hash.
    static std::pair<qint64, QString> headOf(SqliteDatabase &db);

private:
    SqliteDatabase &m_db;
    std::function<void(const QString &)> m_fail;
    QStringList m_startWarnings;
    qint64 m_anchoredSeq = 0;
    qint64 m_anchoredAtMs = 0; // monotonic: anchors are written at most once a second, and after every decision
    bool m_anchorFailed = false;
    bool m_anchorFrozen = false; // the anchor found at start was unusable: left as evidence
};

} // namespace antibody

#pragma once

#include <QList>
#include <QString>

namespace antibody {

class SqliteDatabase;

// Checks a database against its audit trail, reading only: the file's integrity,
// the hash chain row by row, the chain's head, the anchor outside the file
// (AuditAnchor), every sealed record against its newest seal, and the triggers
// that keep the trail append-only. Problems come in
// the order they were found along the chain, so the first one names the first
// edited, deleted or reordered row.
class AuditVerifier
{
public:
    struct Problem
    {
        QString where; // "audit row 57", "approvals row [4]", "trigger audit_no_update"
        QString what; // "was edited: its content no longer matches its hash"
    };

    struct Report
    {
        QString file;
        qint64 rows = 0; // audit rows
        qint64 events = 0; // of which engine events
        qint64 seals = 0; // of which record seals
        qint64 records = 0; // rows of sealed tables checked against their seals
        qint64 headSeq = 0;
        QString headHash;
        qint64 anchoredSeq = 0; // the row the anchor outside the file names, when it holds; 0: no anchor
        QString anchoredAt;
        QList<Problem> problems;

        bool intact() const { return problems.isEmpty(); }
    };

    // A row of the trail someone kept elsewhere (a ticket, a page): `audit verify
    // --expect SEQ:HASH`. A database cut back and re-chained after that row cannot
    // show it any more.
    struct Expectation
    {
        qint64 seq = 0;
        QString hash;
    };

    static Report verify(SqliteDatabase &db, const QList<Expectation> &expected = {});
};

} // namespace antibody

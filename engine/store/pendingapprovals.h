#pragma once

#include "engine/core/time.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace antibody {

class SqliteDatabase;

// The plans waiting for people, as the store holds them, whichever process holds the
// incident: what `antibodyctl approve` lists and shows before an approval.
struct PendingApproval
{
    QString proposalId;
    QString incidentId;
    QString title;
    QString service;
    QString runbook;
    QString fingerprint;
    int approvalsRequired = 1;
    QStringList approvers; // of this plan, so far
    QString requestedBy;
    TimePoint createdAt;
    TimePoint expiresAt;
    QStringList reasons; // why it waits: "runbook level 2 waits for approval"
    QJsonObject plan; // StoredJson::plan

    // Reads the pending, unexecuted proposals in mode approve whose window is open at
    // `now`, oldest first; `id` narrows to one proposal or incident (its short form, as
    // the timeline prints it, too).
    static QList<PendingApproval> read(SqliteDatabase &db, TimePoint now, const QString &id = {});
};

} // namespace antibody

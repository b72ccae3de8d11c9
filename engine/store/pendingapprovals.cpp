#include "engine/store/pendingapprovals.h"

#include "engine/store/sqlitedatabase.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody {

QList<PendingApproval> PendingApproval::read(SqliteDatabase &db, TimePoint now, const QString &id)
{
    auto q
        = db.prepare(u"SELECT p.id, p.incident_id, i.title, i.service, p.runbook, p.fingerprint, p.approvals_required, "
                     "p.requested_by, p.created_at, p.expires_at, p.reasons, pl.plan "
                     "FROM proposals p JOIN incidents i ON i.id = p.incident_id "
                     "LEFT JOIN plans pl ON pl.proposal_id = p.id AND pl.fingerprint = p.fingerprint "
                     "WHERE p.state = 'pending' AND p.mode = 'approve' AND p.expires_at > ?1 "
                     "AND NOT EXISTS (SELECT 1 FROM executions e WHERE e.proposal_id = p.id) "
                     "AND (?2 = '' OR p.id = ?2 OR p.incident_id = ?2 OR (length(?2) >= 12 AND substr(p.incident_id, "
                     "1, length(?2)) = ?2)) "
                     "ORDER BY p.created_at, p.id"_s);
    q.bind(1, toMillis(now)).bind(2, id);
    QList<PendingApproval> out;
    while (q.step()) {
        PendingApproval p;
        p.proposalId = q.text(0);
        p.incidentId = q.text(1);
        p.title = q.text(2);
        p.service = q.text(3);
        p.runbook = q.text(4);
        p.fingerprint = q.text(5);
        p.approvalsRequired = int(q.integer(6));
        p.requestedBy = q.text(7);
        p.createdAt = fromMillis(q.integer(8));
        p.expiresAt = fromMillis(q.integer(9));
        for (const QJsonValue &r : QJsonDocument::fromJson(q.text(10).toUtf8()).array())
            p.reasons << r.toString();
        p.plan = QJsonDocument::fromJson(q.text(11).toUtf8()).object();
        out << p;
    }
    for (PendingApproval &p : out) {
        auto a = db.prepare(u"SELECT approver FROM approvals WHERE proposal_id = ? AND fingerprint = ? "
                            "AND decision = 'approved' ORDER BY id"_s);
        a.bind(1, p.proposalId).bind(2, p.fingerprint);
        while (a.step())
            p.approvers << a.text(0);
    }
    return out;
}

} // namespace antibody

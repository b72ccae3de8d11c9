#include "engine/store/incidenttimes.h"

#include "engine/store/sqlitedatabase.h"

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

std::optional<TimePoint> optionalTime(const SqliteStatement &q, int column)
{
    const auto ms = q.optionalInteger(column);
    return ms ? std::optional<TimePoint>(fromMillis(*ms)) : std::nullopt;
}

} // namespace

QList<IncidentTimes> IncidentTimes::read(SqliteDatabase &db)
{
    // approved_at: the newest approval of the plan that was executed, no later than its start.
    auto q = db.prepare(u"SELECT i.id, i.runbook, i.level, i.state, i.detected_at, i.resolved_at, "
                        "(SELECT min(a.starts_at) FROM alerts a WHERE a.incident_id = i.id), "
                        "(SELECT min(p.created_at) FROM proposals p WHERE p.incident_id = i.id), "
                        "(SELECT max(ap.at) FROM executions e JOIN approvals ap ON ap.proposal_id = e.proposal_id "
                        "   AND ap.fingerprint = e.fingerprint AND ap.decision = 'approved' "
                        "   AND ap.at <= e.started_at WHERE e.incident_id = i.id) "
                        "FROM incidents i ORDER BY i.detected_at, i.id"_s);
    QList<IncidentTimes> out;
    while (q.step()) {
        IncidentTimes t;
        t.incidentId = q.text(0);
        t.runbook = q.text(1);
        t.level = static_cast<int>(q.integer(2));
        t.state = incidentStateFromId(q.text(3));
        t.detectedAt = fromMillis(q.integer(4));
        t.resolvedAt = optionalTime(q, 5);
        t.startedAt = optionalTime(q, 6);
        t.proposedAt = optionalTime(q, 7);
        t.approvedAt = optionalTime(q, 8);
        out << t;
    }
    return out;
}

} // namespace antibody

#include "server/wire.h"

#include "engine/runbook/actioncatalog.h"
#include "engine/store/storedjson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody::wire {

namespace {

QJsonValue millis(const std::optional<TimePoint> &t)
{
    return t ? QJsonValue(toMillis(*t)) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject incident(const Incident &i)
{
    QJsonArray history;
    for (const Transition &t : i.history)
        history.append(QJsonObject {
            { u"state"_s, incidentStateId(t.state) }, { u"at"_s, toMillis(t.at) }, { u"reason"_s, t.reason } });
    return QJsonObject { { u"id"_s, i.id }, { u"title"_s, i.title }, { u"service"_s, i.service },
        { u"severity"_s, i.severity }, { u"runbook"_s, i.runbook }, { u"level"_s, i.level },
        { u"state"_s, incidentStateId(i.state) }, { u"labels"_s, StoredJson::labels(i.labels) },
        { u"detected_at"_s, toMillis(i.detectedAt) }, { u"resolved_at"_s, millis(i.resolvedAt) },
        { u"proposal"_s, i.proposalId }, { u"history"_s, history } };
}

QJsonObject proposal(const Proposal &p)
{
    QJsonArray steps;
    for (const PlannedStep &s : p.plan.steps)
        steps.append(QJsonObject { { u"name"_s, s.name }, { u"action"_s, s.action }, { u"tier"_s, tierText(s.tier) },
            { u"explanation"_s, s.explanation } });
    QJsonArray approvals;
    for (const Approval &a : p.approvals)
        approvals.append(QJsonObject { { u"approver"_s, a.approver }, { u"at"_s, toMillis(a.at) } });
    return QJsonObject { { u"id"_s, p.id }, { u"incident"_s, p.incidentId }, { u"runbook"_s, p.plan.runbook },
        { u"fingerprint"_s, p.plan.fingerprint }, { u"mode"_s, modeText(p.decision.mode) },
        { u"state"_s, proposalStateText(p.state) }, { u"reasons"_s, QJsonArray::fromStringList(p.decision.reasons) },
        { u"blast_radius"_s, p.blastRadiiJson() }, { u"guardrails"_s, p.guardrailsJson() }, { u"steps"_s, steps },
        { u"approvals_required"_s, p.approvalsRequired }, { u"approvals"_s, approvals },
        { u"created_at"_s, toMillis(p.createdAt) }, { u"expires_at"_s, toMillis(p.expiresAt) } };
}

QJsonObject breaker(const BreakerState &b)
{
    return QJsonObject { { u"type"_s, b.type }, { u"state"_s, breakerStateText(b.state) },
        { u"failures"_s, static_cast<qint64>(b.failures.size()) }, { u"opened_at"_s, millis(b.openedAt) },
        { u"reason"_s, b.lastReason } };
}

QJsonObject feed(const FeedHealth &f)
{
    return QJsonObject { { u"feed"_s, f.feed }, { u"state"_s, feedStateText(f.state) }, { u"reason"_s, f.reason },
        { u"last_success"_s, toMillis(f.lastSuccess) } };
}

QJsonObject event(const AuditLog::StoredEvent &e)
{
    return QJsonObject { { u"type"_s, u"event"_s }, { u"seq"_s, e.seq }, { u"at"_s, toMillis(e.at) },
        { u"kind"_s, e.kind }, { u"incident"_s, e.incidentId }, { u"detail"_s, e.detail }, { u"data"_s, e.data } };
}

} // namespace antibody::wire

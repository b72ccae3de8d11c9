#include "server/wire.h"

#include "engine/domain/recordjson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody::wire {

QJsonObject incident(const Incident &i)
{
    return RecordJson::incident(i);
}

QJsonObject proposal(const Proposal &p)
{
    // The whole record, and at the top what a terminal prints without reading the plan.
    QJsonObject out = RecordJson::proposal(p);
    QJsonArray steps;
    for (const PlannedStep &s : p.plan.steps)
        steps.append(QJsonObject { { u"name"_s, s.name }, { u"action"_s, s.action }, { u"tier"_s, tierText(s.tier) },
            { u"explanation"_s, s.explanation } });
    out.insert(u"runbook"_s, p.plan.runbook);
    out.insert(u"fingerprint"_s, p.plan.fingerprint);
    out.insert(u"blast_radius"_s, p.blastRadiiJson());
    out.insert(u"steps"_s, steps);
    return out;
}

QJsonObject breaker(const BreakerState &b)
{
    return RecordJson::breaker(b);
}

QJsonObject feed(const FeedHealth &f)
{
    return RecordJson::feed(f);
}

QJsonObject event(const AuditLog::StoredEvent &e)
{
    return QJsonObject { { u"type"_s, u"event"_s }, { u"seq"_s, e.seq }, { u"at"_s, toMillis(e.at) },
        { u"kind"_s, e.kind }, { u"incident"_s, e.incidentId }, { u"detail"_s, e.detail }, { u"data"_s, e.data } };
}

} // namespace antibody::wire

#include "engine/pipeline/escalation.h"

#include "engine/pipeline/engineparts.h"

using namespace Qt::StringLiterals;

namespace antibody {

Escalation::Escalation(EngineParts &parts)
    : m_parts(parts)
{
}

void Escalation::escalate(const QString &incidentId, const QString &reason, bool alreadyPaged)
{
    IncidentRecord *r = m_parts.book.find(incidentId);
    if (!r || isFinal(r->incident.state))
        return;
    m_parts.book.cancelTimers(*r);
    if (!alreadyPaged)
        m_parts.paging.page(*r, reason, u"high"_s);
    m_parts.book.transition(incidentId, IncidentState::Escalated, reason);
    m_parts.core.publish(m_parts.core.event(EngineEvent::Kind::Escalated, incidentId,
        u"escalated to a human with the diagnostics collected: %1"_s.arg(reason),
        { { u"reason"_s, reason }, { u"diagnostics"_s, r->incident.diagnostics } }));
    m_parts.book.closeProblem(*r);
}

void Escalation::resolve(const QString &incidentId, const QString &reason, const QJsonObject &extra)
{
    IncidentRecord *r = m_parts.book.find(incidentId);
    if (!r || isFinal(r->incident.state))
        return;
    m_parts.book.cancelTimers(*r);
    if (r->proposal && r->proposal->state == Proposal::State::Pending) {
        r->proposal->state = Proposal::State::Superseded;
        m_parts.core.store().saveProposal(*r->proposal);
        Q_EMIT m_parts.core.engine().proposalChanged(*r->proposal);
    }
    m_parts.book.transition(incidentId, IncidentState::Resolved, reason);
    const Duration mttr = *r->incident.resolvedAt - r->incident.detectedAt;
    QJsonObject data { { u"mttr_seconds"_s, toSeconds(mttr) }, { u"runbook"_s, r->runbook.name },
        { u"level"_s, r->incident.level } };
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        data.insert(it.key(), it.value());
    m_parts.core.publish(m_parts.core.event(
        EngineEvent::Kind::Resolved, incidentId, u"resolved in %1: %2"_s.arg(formatDuration(mttr), reason), data));
    m_parts.book.closeProblem(*r);
    m_parts.paging.notifyResolved(*r, reason);
}

void Escalation::handOver(IncidentRecord &r, const QString &reason)
{
    m_parts.book.transition(r.incident.id, IncidentState::Escalated, reason);
    m_parts.book.closeProblem(r);
}

} // namespace antibody

#include "engine/store/memoryincidents.h"

using namespace Qt::StringLiterals;

namespace antibody {

IncidentOpening MemoryIncidents::openIncident(const Incident &incident, const QString &problemKey)
{
    IncidentOpening out;
    if (m_records.incidents.contains(incident.id)) {
        out.idTaken = true;
        out.reason = u"incident %1 already exists: nothing was replaced"_s.arg(incident.id);
        return out;
    }
    // One process: an incident of the problem still open here was forgotten by its engine.
    if (const QString forgotten = m_records.openProblems.value(problemKey);
        !problemKey.isEmpty() && !forgotten.isEmpty())
        closeIncident(
            forgotten, IncidentState::Escalated, u"%1 takes the problem over"_s.arg(incident.id), incident.detectedAt);
    if (!problemKey.isEmpty())
        m_records.openProblems.insert(problemKey, incident.id);
    m_records.incidents.insert(incident.id, incident);
    out.opened = true;
    return out;
}

bool MemoryIncidents::incidentEnded(const QString &incidentId)
{
    const auto it = m_records.incidents.constFind(incidentId);
    return it != m_records.incidents.constEnd() && isFinal(it->state);
}

void MemoryIncidents::saveIncident(const Incident &incident)
{
    m_records.incidents.insert(incident.id, incident);
}

void MemoryIncidents::saveAlert(const QString &incidentId, const Alert &alert)
{
    QList<Alert> &list = m_records.alerts[incidentId];
    for (Alert &a : list) {
        if (a.fingerprint == alert.fingerprint) {
            a = alert;
            return;
        }
    }
    list << alert;
}

void MemoryIncidents::saveProposal(const Proposal &proposal)
{
    m_records.proposals.insert(proposal.id, proposal);
}

void MemoryIncidents::closeIncident(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at)
{
    const auto it = m_records.incidents.find(incidentId);
    if (it == m_records.incidents.end() || isFinal(it->state))
        return;
    it->state = state;
    it->history << Transition { state, at, reason };
    if (state == IncidentState::Resolved)
        it->resolvedAt = at;
}

} // namespace antibody

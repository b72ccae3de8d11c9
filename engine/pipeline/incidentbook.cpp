#include "engine/pipeline/incidentbook.h"

#include "engine/pipeline/enginecore.h"
#include "engine/pipeline/executionrun.h"

using namespace Qt::StringLiterals;

namespace antibody {

IncidentBook::IncidentBook(EngineCore &core)
    : m_core(core)
{
}

IncidentRecord *IncidentBook::find(const QString &incidentId)
{
    const auto it = m_incidents.find(incidentId);
    return it == m_incidents.end() ? nullptr : &it.value();
}

const IncidentRecord *IncidentBook::find(const QString &incidentId) const
{
    const auto it = m_incidents.constFind(incidentId);
    return it == m_incidents.cend() ? nullptr : &it.value();
}

IncidentRecord *IncidentBook::findByProposal(const QString &proposalId)
{
    for (IncidentRecord &r : m_incidents) {
        if ((r.proposal && r.proposal->id == proposalId) || r.pastProposals.contains(proposalId))
            return &r;
    }
    return nullptr;
}

IncidentRecord *IncidentBook::findByFingerprint(const QString &fingerprint)
{
    const auto it = m_byFingerprint.constFind(fingerprint);
    return it == m_byFingerprint.cend() ? nullptr : find(*it);
}

IncidentRecord *IncidentBook::openFor(const QString &problemKey)
{
    const auto it = m_openByProblem.constFind(problemKey);
    if (it == m_openByProblem.cend())
        return nullptr;
    IncidentRecord *r = find(*it);
    return r && !isFinal(r->incident.state) ? r : nullptr;
}

IncidentRecord *IncidentBook::withSymptom(const Alert &alert)
{
    // Only incidents whose runbook names symptoms can take one: with 20,000 incidents
    // open, looking through all of them for each alert took 14 s.
    IncidentRecord *found = nullptr;
    for (auto it = m_withSymptoms.begin(); it != m_withSymptoms.end();) {
        IncidentRecord *r = find(*it);
        if (!r || isFinal(r->incident.state)) {
            it = m_withSymptoms.erase(it);
            continue;
        }
        ++it;
        if (found
            && std::pair(found->incident.detectedAt, found->incident.id)
                <= std::pair(r->incident.detectedAt, r->incident.id))
            continue;
        for (const TriggerExpression &symptom : std::as_const(r->runbook.symptoms)) {
            if (symptom.matchesAlert(alert.name, alert.labels)) {
                found = r;
                break;
            }
        }
    }
    return found;
}

QList<Incident> IncidentBook::incidents() const
{
    QList<Incident> out;
    out.reserve(m_incidents.size());
    for (const IncidentRecord &r : m_incidents)
        out << r.incident;
    return out;
}

void IncidentBook::forEach(const std::function<void(IncidentRecord &)> &visit)
{
    for (IncidentRecord &r : m_incidents)
        visit(r);
}

IncidentRecord &IncidentBook::add(IncidentRecord record, const QString &fingerprint)
{
    const QString id = record.incident.id;
    m_openByProblem.insert(record.problemKey, id);
    m_byFingerprint.insert(fingerprint, id);
    if (!record.runbook.symptoms.isEmpty())
        m_withSymptoms.insert(id);
    IncidentRecord &added = m_incidents[id]; // QMap::insert copies: move into the new slot instead
    added = std::move(record);
    return added;
}

void IncidentBook::indexAlert(const QString &fingerprint, const QString &incidentId)
{
    m_byFingerprint.insert(fingerprint, incidentId);
}

void IncidentBook::save(const IncidentRecord &r)
{
    m_core.store().saveIncident(r.incident);
    Q_EMIT m_core.engine().incidentChanged(r.incident);
}

void IncidentBook::transition(const QString &incidentId, IncidentState state, const QString &reason)
{
    IncidentRecord *r = find(incidentId);
    if (!r || (r->incident.state == state && !r->incident.history.isEmpty()))
        return;
    Transition t { state, m_core.clock().now(), reason };
    r->incident.state = state;
    r->incident.history << t;
    if (state == IncidentState::Resolved)
        r->incident.resolvedAt = t.at;
    const int keep = m_core.settings().keepFinalIncidents;
    if (isFinal(state)) {
        m_finalOrder << incidentId;
        if (keep > 0 && m_finalOrder.size() > keep && !m_forgetScheduled) {
            // On the next turn: whoever called this may still hold records.
            m_forgetScheduled = true;
            m_core.clock().callAfter(Duration { 0 }, m_core.guarded([this] { forgetFinalIncidents(); }));
        }
    }
    save(*r);
    m_core.publish(m_core.event(EngineEvent::Kind::StateChanged, incidentId,
        u"%1: %2"_s.arg(incidentStateText(state), reason), { { u"state"_s, incidentStateText(state) } }));
}

void IncidentBook::closeProblem(const IncidentRecord &r)
{
    if (m_openByProblem.value(r.problemKey) == r.incident.id)
        m_openByProblem.remove(r.problemKey);
}

void IncidentBook::cancelTimers(IncidentRecord &r)
{
    for (Clock::TimerId *t : { &r.retryTimer, &r.expiryTimer, &r.refreshTimer }) {
        if (*t)
            m_core.clock().cancel(*t);
        *t = 0;
    }
}

void IncidentBook::detachAll()
{
    for (IncidentRecord &r : m_incidents) {
        cancelTimers(r);
        if (r.run)
            r.run->detach();
    }
}

void IncidentBook::forgetFinalIncidents()
{
    m_forgetScheduled = false;
    QSet<QString> forgotten;
    QList<QString> kept;
    // A tenth below the limit: the fingerprint index is swept once per batch, not per incident.
    const int keep = m_core.settings().keepFinalIncidents;
    const qsizetype target = keep - keep / 10;
    qsizetype i = 0;
    for (; i < m_finalOrder.size() && m_finalOrder.size() - i + kept.size() > target; ++i) {
        const QString id = m_finalOrder.at(i);
        IncidentRecord *r = find(id);
        if (!r || forgotten.contains(id))
            continue;
        // Still in use: an execution winding down, or an escalation whose alerts still
        // fire and join it (forgotten, their next update would open and page anew).
        const bool firing = r->incident.state == IncidentState::Escalated && !r->incident.alertFingerprints.isEmpty();
        if (!isFinal(r->incident.state) || r->run || firing) {
            kept << id;
            continue;
        }
        cancelTimers(*r);
        closeProblem(*r);
        m_withSymptoms.remove(id);
        m_incidents.remove(id);
        forgotten.insert(id);
    }
    m_finalOrder = kept + m_finalOrder.mid(i);
    if (!forgotten.isEmpty())
        m_byFingerprint.removeIf([&](const auto &it) { return forgotten.contains(it.value()); });
}

} // namespace antibody

#pragma once

#include "engine/pipeline/incidentrecord.h"

#include <QHash>
#include <QMap>
#include <QSet>
#include <functional>

namespace antibody {

class EngineCore;
struct Alert;

// The incidents the engine is working on, and the indexes that find them: by id, by
// proposal, by alert fingerprint, by open problem. Saves them (the store, then the
// console) and moves them between states. Final incidents beyond
// Settings::keepFinalIncidents leave memory, oldest first: the store keeps them.
class IncidentBook
{
public:
    explicit IncidentBook(EngineCore &core);

    IncidentRecord *find(const QString &incidentId);
    const IncidentRecord *find(const QString &incidentId) const;
    IncidentRecord *findByProposal(const QString &proposalId);
    IncidentRecord *findByFingerprint(const QString &fingerprint);
    // The open incident of a problem (runbook and its group_by labels), if any.
    IncidentRecord *openFor(const QString &problemKey);
    // The oldest open incident whose runbook lists this alert as a symptom.
    IncidentRecord *withSymptom(const Alert &alert);
    QList<Incident> incidents() const;
    void forEach(const std::function<void(IncidentRecord &)> &visit);

    // Takes in a newly opened incident, indexed by its problem and first alert.
    IncidentRecord &add(IncidentRecord record, const QString &fingerprint);
    void indexAlert(const QString &fingerprint, const QString &incidentId);
    void save(const IncidentRecord &record);
    void transition(const QString &incidentId, IncidentState state, const QString &reason);
    // The problem may open a new incident again (this one ended or was handed to a human).
    void closeProblem(const IncidentRecord &record);
    void cancelTimers(IncidentRecord &record);
    // The engine is going away: no timer fires and no execution calls back.
    void detachAll();

private:
    void forgetFinalIncidents();

    EngineCore &m_core;
    QMap<QString, IncidentRecord> m_incidents;
    QHash<QString, QString> m_byFingerprint;
    QHash<QString, QString> m_openByProblem; // problem key -> incident
    QSet<QString> m_withSymptoms; // open incidents whose runbook lists symptoms
    QList<QString> m_finalOrder; // incidents in the order they became final: the oldest are forgotten first
    bool m_forgetScheduled = false;
};

} // namespace antibody

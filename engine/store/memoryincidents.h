#pragma once

#include "engine/ports/store.h"
#include "engine/store/memoryrecords.h"

namespace antibody {

// MemoryStore's incidents, alerts and proposals; one open incident per problem.
class MemoryIncidents : public virtual IncidentRecords
{
public:
    explicit MemoryIncidents(MemoryRecords &records)
        : m_records(records)
    {
    }

    IncidentOpening openIncident(const Incident &incident, const QString &problemKey) override;
    bool incidentEnded(const QString &incidentId) override;
    void saveIncident(const Incident &incident) override;
    void saveAlert(const QString &incidentId, const Alert &alert) override;
    void saveProposal(const Proposal &proposal) override;
    void closeIncident(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at) override;

private:
    MemoryRecords &m_records;
};

} // namespace antibody

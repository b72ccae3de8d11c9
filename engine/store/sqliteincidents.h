#pragma once

#include "engine/ports/store.h"
#include "engine/store/incidenttimes.h"
#include "engine/store/sqlitesession.h"

namespace antibody {

class SqliteStatement;

// SqliteStore's incidents, with their transitions, diagnostics, alerts, proposals and
// plans. An incident opens once per problem across the processes on the file.
class SqliteIncidents : public virtual IncidentRecords, protected SqliteFacet
{
public:
    explicit SqliteIncidents(SqliteSession &session)
        : SqliteFacet(session)
    {
    }

    IncidentOpening openIncident(const Incident &incident, const QString &problemKey) override;
    bool incidentEnded(const QString &incidentId) override;
    void saveIncident(const Incident &incident) override;
    void saveAlert(const QString &incidentId, const Alert &alert) override;
    void saveProposal(const Proposal &proposal) override;
    void closeIncident(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at) override;

    // The facts recovery times are computed from, oldest incident first.
    QList<IncidentTimes> incidentTimes();

private:
    static SqliteStatement &bindIncident(SqliteStatement &statement, const Incident &incident);
    // Refuses (false, `out` says why) when another live process holds an open incident
    // of the problem; ends the open incidents of stopped processes.
    bool takeProblem(const Incident &incident, const QString &problemKey, IncidentOpening &out);
    void closeIncidentRow(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at);
    void writeHistory(const Incident &incident, TimePoint at);
    qint64 storedTransitions(const QString &incidentId);
    void writeTransition(const QString &incidentId, qint64 seq, const Transition &transition);
};

} // namespace antibody

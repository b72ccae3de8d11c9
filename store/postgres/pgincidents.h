#pragma once

#include "engine/ports/store.h"
#include "store/postgres/pgsession.h"

namespace antibody {

class PgParams;

// PostgresStore's incidents, with their transitions, diagnostics, alerts, proposals and
// plans. An incident opens once per problem; an open incident of an older lease epoch
// (its leader is gone) is taken over.
class PgIncidents : public virtual IncidentRecords, protected PgFacet
{
public:
    explicit PgIncidents(PgSession &session)
        : PgFacet(session)
    {
    }

    IncidentOpening openIncident(const Incident &incident, const QString &problemKey) override;
    bool incidentEnded(const QString &incidentId) override;
    void saveIncident(const Incident &incident) override;
    void saveAlert(const QString &incidentId, const Alert &alert) override;
    void saveProposal(const Proposal &proposal) override;
    void closeIncident(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at) override;

    // The condition on `incidents` of those not over (resolved, escalated, interrupted).
    static const QString stillOpen;

private:
    static PgParams incidentParams(const Incident &incident);
    // Ends the open incidents of the problem: with one leader writing, whoever opened
    // them is gone (an older epoch) or is this leader, which forgot them.
    void takeProblem(const Incident &incident, const QString &problemKey);
    void closeIncidentRow(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at);
    void writeHistory(const Incident &incident, TimePoint at);
    qint64 storedTransitions(const QString &incidentId);
    void writeTransition(const QString &incidentId, qint64 seq, const Transition &transition);
};

} // namespace antibody

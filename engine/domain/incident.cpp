#include "engine/domain/incident.h"

using namespace Qt::StringLiterals;

namespace antibody {

QString incidentStateText(IncidentState s)
{
    switch (s) {
    case IncidentState::Open:
        return u"open"_s;
    case IncidentState::Diagnosing:
        return u"diagnosing"_s;
    case IncidentState::Proposed:
        return u"proposed"_s;
    case IncidentState::AwaitingApproval:
        return u"awaiting approval"_s;
    case IncidentState::Executing:
        return u"executing"_s;
    case IncidentState::Verifying:
        return u"verifying"_s;
    case IncidentState::Resolved:
        return u"resolved"_s;
    case IncidentState::Escalated:
        return u"escalated"_s;
    case IncidentState::Interrupted:
        return u"interrupted"_s;
    }
    return {};
}

QString incidentStateId(IncidentState s)
{
    // Spelled out, not derived from the display text: rewording what people read must
    // never change what the store holds.
    switch (s) {
    case IncidentState::Open:
        return u"open"_s;
    case IncidentState::Diagnosing:
        return u"diagnosing"_s;
    case IncidentState::Proposed:
        return u"proposed"_s;
    case IncidentState::AwaitingApproval:
        return u"awaiting_approval"_s;
    case IncidentState::Executing:
        return u"executing"_s;
    case IncidentState::Verifying:
        return u"verifying"_s;
    case IncidentState::Resolved:
        return u"resolved"_s;
    case IncidentState::Escalated:
        return u"escalated"_s;
    case IncidentState::Interrupted:
        return u"interrupted"_s;
    }
    return {};
}

std::optional<IncidentState> incidentStateFromId(QStringView id)
{
    for (IncidentState s : { IncidentState::Open, IncidentState::Diagnosing, IncidentState::Proposed,
             IncidentState::AwaitingApproval, IncidentState::Executing, IncidentState::Verifying,
             IncidentState::Resolved, IncidentState::Escalated, IncidentState::Interrupted }) {
        if (incidentStateId(s) == id)
            return s;
    }
    return std::nullopt;
}

bool isFinal(IncidentState s)
{
    return s == IncidentState::Resolved || s == IncidentState::Escalated || s == IncidentState::Interrupted;
}

QString guardName(Guard g)
{
    switch (g) {
    case Guard::DataCorruption:
        return u"data_corruption"_s;
    case Guard::SecurityIncident:
        return u"security_incident"_s;
    case Guard::UnknownCascade:
        return u"unknown_cascade"_s;
    case Guard::TransactionsInFlight:
        return u"transactions_in_flight"_s;
    }
    return {};
}

QString guardReason(Guard g)
{
    switch (g) {
    case Guard::DataCorruption:
        return u"data corruption is suspected: restarting would destroy the state needed for diagnosis; preserve it and page a human"_s;
    case Guard::SecurityIncident:
        return u"a security incident is active: terminating hosts destroys forensic evidence; isolate, don't destroy"_s;
    case Guard::UnknownCascade:
        return u"failures are cascading with no known root cause: restarts add cold starts on top; stabilize and investigate first"_s;
    case Guard::TransactionsInFlight:
        return u"financial transactions are in flight: a retry can charge customers twice; drain gracefully and let a human decide"_s;
    }
    return {};
}

std::optional<Guard> guardFromName(QStringView name)
{
    for (Guard g :
        { Guard::DataCorruption, Guard::SecurityIncident, Guard::UnknownCascade, Guard::TransactionsInFlight }) {
        if (guardName(g) == name)
            return g;
    }
    return std::nullopt;
}

} // namespace antibody

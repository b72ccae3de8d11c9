#pragma once

#include "engine/domain/engineevent.h"
#include "engine/domain/incident.h"

#include <QCoreApplication>
#include <QHash>
#include <QString>
#include <optional>

namespace antibody {

// One line of the activity feed: what happened, in words, for the engineer who
// was asleep. Steps and state changes are left to the incident's own timeline.
struct ActivityEntry
{
    enum class Kind {
        Healed, // resolved without a human: "healed, notified after"
        Resolved, // resolved after a human approved
        WaitingApproval,
        Approved,
        Denied,
        Escalated,
        Paged,
        NotPagedAgain, // the person already paged about the incident has it: nobody was woken twice
        Grouped, // an alert-only incident folded into the incident of the problem that causes it
        BreakerOpened,
        BreakerClosed,
        Interrupted,
        Cancelled,
        FeedChanged,
        RunbookRejected,
    };

    Kind kind = Kind::Healed;
    TimePoint at;
    QString incidentId;
    QString service;
    QString headline; // ours: what it means
    QString detail; // the engine's sentence: why
    bool notifiedAfter = false;
};

// Turns engine events into feed lines. It remembers what it needs about each
// incident (service, level, when it was detected, who approved it) from the
// incidents and events it has seen.
class ActivityDigest
{
    Q_DECLARE_TR_FUNCTIONS(ActivityDigest)

public:
    void noteIncident(const Incident &incident);
    std::optional<ActivityEntry> digest(const EngineEvent &event);

private:
    struct Known
    {
        QString service;
        int level = 0;
        TimePoint detectedAt;
        QString approvedBy;
    };
    QHash<QString, Known> m_incidents;
};

} // namespace antibody

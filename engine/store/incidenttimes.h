#pragma once

#include "engine/core/time.h"
#include "engine/domain/incident.h"

#include <QList>
#include <QString>
#include <optional>

namespace antibody {

class SqliteDatabase;

// When each stage of one incident happened: the facts recovery times are made of.
// Stages that did not happen (nothing was proposed, nobody approved, it is still
// open) are empty, and so are the durations that need them.
struct IncidentTimes
{
    QString incidentId;
    QString runbook; // empty: no runbook matched
    int level = 0;
    std::optional<IncidentState> state; // none: a state this build does not know
    std::optional<TimePoint> startedAt; // the earliest startsAt of its alerts
    TimePoint detectedAt; // the engine opened the incident
    std::optional<TimePoint> proposedAt; // its first proposal
    std::optional<TimePoint> approvedAt; // the approval that let its execution start
    std::optional<TimePoint> resolvedAt;

    // The incident began when its first alert started firing, or, when no alert
    // is stored, when it was detected.
    TimePoint began() const { return startedAt.value_or(detectedAt); }

    std::optional<Duration> timeToDetect() const { return between(startedAt, detectedAt); }
    std::optional<Duration> timeToPropose() const { return between(detectedAt, proposedAt); }
    std::optional<Duration> timeToApprove() const
    {
        return proposedAt ? between(*proposedAt, approvedAt) : std::nullopt;
    }
    // MTTR's term: from the first alert to resolution.
    std::optional<Duration> timeToResolve() const { return between(began(), resolvedAt); }

    // Every incident in the database, oldest first. Throws StoreError.
    static QList<IncidentTimes> read(SqliteDatabase &db);

private:
    static std::optional<Duration> between(std::optional<TimePoint> from, std::optional<TimePoint> to)
    {
        if (!from || !to)
            return std::nullopt;
        return std::max(Duration { 0 }, *to - *from);
    }
};

} // namespace antibody

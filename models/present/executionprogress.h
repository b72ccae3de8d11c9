#pragma once

#include "engine/domain/engineevent.h"
#include "engine/domain/plan.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace antibody {

// Where an execution stands, step by step, rebuilt from the engine's events: what
// the card shows after Approve, and what an escalation says was tried.
struct StepProgress
{
    enum class Status { Pending, Running, Succeeded, Failed, TimedOut, Skipped, Blocked, Cancelled };

    QString step;
    QString action;
    Status status = Status::Pending;
    int pass = 0; // the pass running or last finished; 0 before the first
    QString detail;
    QStringList affected;
    std::optional<TimePoint> startedAt;
    std::optional<TimePoint> finishedAt;

    bool finished() const { return status != Status::Pending && status != Status::Running; }
    static QString statusText(Status status);
    // "succeeded", "failed", "timed_out", ... as the engine writes outcomes
    static Status statusFromOutcome(const QString &outcome);
};

struct ExecutionProgress
{
    QList<StepProgress> steps;

    // The plan's steps, advanced by the incident's events (oldest first) from
    // StepStarted, StepFinished and StepSkipped.
    static ExecutionProgress of(const Plan &plan, const QList<EngineEvent> &events);

    int finishedCount() const;
    bool started() const;
    const StepProgress *running() const;
    // "2 of 4 steps done · kill_idle pass 2 running"
    QString summary() const;
};

} // namespace antibody

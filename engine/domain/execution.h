#pragma once

#include "engine/core/time.h"
#include "engine/domain/outcome.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>
#include <optional>

namespace antibody {

// One pass of one step: its intent is stored before the side effect and its
// outcome after, so a crash can never hide what was attempted.
struct StepRecord
{
    qint64 id = 0; // assigned by the store at intent
    QString executionId;
    QString incidentId;
    QString step;
    QString action;
    int pass = 1;
    QStringList targets;
    QVariantMap params;
    TimePoint startedAt;
    std::optional<TimePoint> finishedAt;
    std::optional<StepResult> outcome; // none while in flight
    QString detail;
    QStringList affected;
};

struct ExecutionRecord
{
    QString id;
    QString proposalId;
    QString incidentId;
    QString fingerprint;
    QString executor; // who claimed it: "alice@laptop (pid 4711)"
    QString approvedBy; // comma-separated distinct approvers, empty for automatic runs
    TimePoint startedAt;
    std::optional<TimePoint> finishedAt;
    std::optional<ExecutionOutcome> outcome; // none while running
    QString runbook; // of its proposal: whose breaker an interruption counts against
    QString resource; // what it remediated: "service/orders-db"
    QList<StepRecord> steps;
};

} // namespace antibody

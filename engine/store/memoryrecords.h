#pragma once

#include "engine/domain/breaker.h"
#include "engine/domain/drillresult.h"
#include "engine/domain/engineevent.h"
#include "engine/domain/execution.h"
#include "engine/domain/incident.h"
#include "engine/domain/proposal.h"
#include "engine/ports/alert.h"

#include <QHash>
#include <QList>
#include <QString>

namespace antibody {

// Everything a MemoryStore holds, shared by its facets (one process: no locks).
struct MemoryRecords
{
    QList<EngineEvent> events;
    QHash<QString, QString> openProblems; // problem key -> the incident opened last for it
    QHash<QString, Incident> incidents;
    QHash<QString, QList<Alert>> alerts; // incident id -> its alerts
    QHash<QString, Proposal> proposals;
    QHash<QString, QList<Approval>> approvals; // proposal id -> approvals
    QList<Approval> denials;
    QHash<QString, ExecutionRecord> executions; // execution id -> record
    QHash<QString, QString> executionByProposal;
    QHash<QString, BreakerState> breakers;
    QHash<QString, Cooldown> cooldowns;
    QList<DrillResult> drills;
    qint64 nextStepId = 1;
};

} // namespace antibody

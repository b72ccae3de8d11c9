#pragma once

#include "engine/pipeline/approvaldesk.h"
#include "engine/pipeline/enginecore.h"
#include "engine/pipeline/escalation.h"
#include "engine/pipeline/executioncoordinator.h"
#include "engine/pipeline/executionrun.h"
#include "engine/pipeline/incidentbook.h"
#include "engine/pipeline/intake.h"
#include "engine/pipeline/paging.h"
#include "engine/pipeline/proposer.h"
#include "engine/pipeline/safeguards.h"
#include "engine/pipeline/standaside.h"
#include "engine/pipeline/triggerevaluator.h"

namespace antibody {

// The engine's collaborators, wired to each other; Engine is their only facade. Where
// each stage lives (docs/engine.md has the map):
//   intake.h             alerts to incidents, never-automate guards, `for:`
//   standaside.h         a problem another process on the store holds
//   incidentbook.h       the incidents, their indexes and state changes
//   proposer.h           diagnose, plan, guardrails, decide, and what the mode does
//   safeguards.h         breakers, cooldowns, the busy lease, rate window, feed health
//   approvaldesk.h       approve, deny, waiting for people (and paging them about it)
//   executioncoordinator.h  claim, execute, how it ended, cancel, recovery after a crash
//   escalation.h         resolve, escalate, hand over to a human
//   paging.h             pages and notices
//   dryrun.h             the proposal a runbook would make, changing nothing
// Members are declared in the order they are built: each takes the ones above it.
struct EngineParts
{
    EngineParts(Engine &engine, Engine::Ports ports, Engine::Settings settings);
    ~EngineParts();
    Q_DISABLE_COPY_MOVE(EngineParts)

    void setRunbooks(const QList<Runbook> &runbooks);
    void start();
    void stop();

    EngineCore core;
    IncidentBook book;
    Safeguards safeguards;
    Paging paging;
    Escalation escalation;
    Intake intake;
    StandAside standAside;
    Proposer proposer;
    ApprovalDesk approvals;
    ExecutionCoordinator execution;
    TriggerEvaluator triggers;

private:
    bool m_started = false;
};

} // namespace antibody

#pragma once

#include "engine/core/clock.h"
#include "engine/domain/engineevent.h"
#include "engine/domain/incident.h"
#include "engine/domain/outcome.h"
#include "engine/pipeline/steprunner.h"
#include "engine/ports/store.h"

namespace antibody {

// How an execution ended, for the engine to act on (breaker, cooldown, pages, MTTR).
struct ExecutionSummary
{
    ExecutionOutcome outcome = ExecutionOutcome::Escalated;
    QString reason; // one sentence
    bool paged = false;
    bool mutated = false;
    bool verified = false; // a verification step succeeded
    bool hadVerification = false;
    bool outcomeUnknown = false; // a step that changes something timed out: it may or may not have acted
    bool refused = false; // the system refused a step (a lagging replica, a disruption budget)
    QStringList tried; // "kill_idle: 3 passes, 6 connections terminated"
};

// What an execution needs from the engine. The engine implements it; tests may too.
class ExecutionHost
{
public:
    virtual ~ExecutionHost() = default;
    virtual Clock *clock() = 0;
    virtual Store *store() = 0;
    virtual StepRunner::Context stepContext(const QString &incidentId) = 0;
    virtual ActionExecutor *executorFor(const QString &family) = 0;
    virtual Incident *incident(const QString &id) = 0;
    virtual void publish(EngineEvent event) = 0;
    virtual void transition(const QString &incidentId, IncidentState state, const QString &reason) = 0;
    virtual void incidentUpdated(const QString &incidentId) = 0;
    // A step paged a human about the incident, at this severity.
    virtual void notePaged(const QString &incidentId, const QString &severity) = 0;
    // Checked before every side effect: why it must not happen now (breaker open, a
    // never-automate guard raised, a feed down), or empty.
    virtual QString blockerBeforePass(const QString &incidentId, const QString &step) = 0;
    virtual void executionFinished(const QString &incidentId, const ExecutionSummary &summary) = 0;
};

} // namespace antibody

#pragma once

#include "engine/core/time.h"

#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace antibody {

// Everything the engine does is published as one of these, in order. The store
// appends them to the audit trail; the console and the CLI render them.
struct EngineEvent
{
    enum class Kind {
        Detected,
        Diagnosed,
        Proposed,
        ApprovalRequested,
        Approved,
        Denied,
        ApprovalRefused, // stale fingerprint, expired, not a distinct approver, already executed elsewhere
        StepStarted,
        StepFinished,
        StepSkipped,
        GuardrailBlocked,
        BreakerOpened,
        BreakerHalfOpen,
        BreakerClosed,
        BreakerReset,
        CooldownStarted,
        Paged,
        Notified,
        Resolved,
        Escalated,
        Interrupted,
        Cancelled,
        StateChanged,
        FeedChanged,
        RunbookLoaded,
        RunbookRejected,
        LateResult, // a pass answered after its step was recorded timed_out: what it did all the same
        TokenCreated, // an admin created an API token: its id and subject, never its secret
        TokenRevoked, // an admin revoked one
        PolicyRefused, // the team server's policy refused a person's command: who, what, on what, and the rule
        RunbookInstalled, // a person installed a runbook over the team server's client API
        RunRequested, // a person asked the engine to run a shown (level 1) plan; someone else approves it
    };
    // The last of Kind: for loops over every kind.
    static constexpr Kind lastKind = Kind::RunRequested;

    Kind kind = Kind::Detected;
    TimePoint at;
    QString incidentId; // empty for engine-wide events (breakers, feeds, runbooks)
    QString detail; // one sentence for the timeline
    QJsonObject data; // structured payload: step, action, targets, fingerprint, approver...

    // The one way the engine builds an event (EngineCore::event stamps it with the
    // clock's now; an execution passes the time its intent was stored).
    static EngineEvent make(Kind kind, TimePoint at, QString incidentId, QString detail, QJsonObject data = {})
    {
        return EngineEvent { kind, at, std::move(incidentId), std::move(detail), std::move(data) };
    }

    // "detected", "step_started", "breaker_opened"...: the names `simulate --json` and `run --json` print.
    static QString kindName(Kind kind);
    QString kindName() const { return kindName(kind); }
};

} // namespace antibody

Q_DECLARE_METATYPE(antibody::EngineEvent)

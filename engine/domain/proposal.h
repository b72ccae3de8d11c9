#pragma once

#include "engine/domain/guardrail.h"
#include "engine/domain/plan.h"

#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace antibody {

// How a proposal will run: the strictest of runbook level, action tiers,
// trigger confidence, never-automate guards, breaker and data freshness.
enum class Mode {
    Show, // level 0-1: shown (as a checklist), nothing will run
    Approve, // waits for one click (or N distinct approvers)
    Auto, // runs within guardrails; humans are notified after
    Blocked, // nothing may run; the incident is escalated to a human
};
QString modeText(Mode m);

struct Decision
{
    Mode mode = Mode::Show;
    QStringList reasons; // every contributor, strictest first: "runbook level 2 waits for approval"
};

struct Approval
{
    QString proposalId;
    QString fingerprint; // the plan the approver saw
    QString approver;
    TimePoint at;
    bool approved = true; // false: a denial
    QString reason; // required for denials and break-glass
    // Break-glass (docs/team.md): the person runs the plan alone, below the approvals it
    // needs (or as its requester), with a reason; the incident is marked for review.
    bool breakGlass = false;
};

struct Proposal
{
    enum class State { Pending, Approved, Denied, Expired, Superseded, Executing, Executed };

    QString id;
    QString incidentId;
    Plan plan;
    QList<GuardrailResult> guardrails;
    Decision decision;
    int approvalsRequired = 1;
    QList<Approval> approvals; // distinct approvers so far
    QString requestedBy; // for manual requests: never counted as an approver
    State state = State::Pending;
    TimePoint createdAt;
    TimePoint expiresAt; // approvals after this are refused: re-plan

    bool blocked() const { return decision.mode == Mode::Blocked; }
    // The parts of a proposal's JSON every view of it shares (events, `simulate --json`):
    // each capped step's blast radius with its step name, and every guardrail's result.
    QJsonArray blastRadiiJson() const;
    QJsonArray guardrailsJson() const;
    // The first blocking guardrail's reason, for a disabled Approve button.
    QString blockReason() const;
};
QString proposalStateText(Proposal::State s);

} // namespace antibody

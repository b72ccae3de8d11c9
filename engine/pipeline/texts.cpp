// Names and words for the pipeline's enums: one place, so the CLI, the console,
// the audit trail and the docs all say the same thing.
#include "engine/pipeline/engineevent.h"
#include "engine/pipeline/guardrail.h"
#include "engine/pipeline/incident.h"
#include "engine/pipeline/proposal.h"
#include "engine/ports/store.h"

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
    // The display text with underscores: the one that had a space is the one that differs.
    return incidentStateText(s).replace(u' ', u'_');
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

QString verdictText(GuardrailResult::Verdict v)
{
    switch (v) {
    case GuardrailResult::Verdict::Pass:
        return u"pass"_s;
    case GuardrailResult::Verdict::NeedsApproval:
        return u"needs approval"_s;
    case GuardrailResult::Verdict::Block:
        return u"block"_s;
    }
    return {};
}

QString modeText(Mode m)
{
    switch (m) {
    case Mode::Show:
        return u"show"_s;
    case Mode::Approve:
        return u"approve"_s;
    case Mode::Auto:
        return u"auto"_s;
    case Mode::Blocked:
        return u"blocked"_s;
    }
    return {};
}

QString proposalStateText(Proposal::State s)
{
    switch (s) {
    case Proposal::State::Pending:
        return u"pending"_s;
    case Proposal::State::Approved:
        return u"approved"_s;
    case Proposal::State::Denied:
        return u"denied"_s;
    case Proposal::State::Expired:
        return u"expired"_s;
    case Proposal::State::Superseded:
        return u"superseded"_s;
    case Proposal::State::Executing:
        return u"executing"_s;
    case Proposal::State::Executed:
        return u"executed"_s;
    }
    return {};
}

QString Proposal::blockReason() const
{
    for (const GuardrailResult &g : guardrails) {
        if (g.verdict == GuardrailResult::Verdict::Block)
            return g.reason;
    }
    return decision.mode == Mode::Blocked && !decision.reasons.isEmpty() ? decision.reasons.front() : QString();
}

QString breakerStateText(BreakerState::State s)
{
    switch (s) {
    case BreakerState::State::Closed:
        return u"closed"_s;
    case BreakerState::State::Open:
        return u"open"_s;
    case BreakerState::State::HalfOpen:
        return u"half-open"_s;
    }
    return {};
}

QString EngineEvent::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Detected:
        return u"detected"_s;
    case Kind::Diagnosed:
        return u"diagnosed"_s;
    case Kind::Proposed:
        return u"proposed"_s;
    case Kind::ApprovalRequested:
        return u"approval_requested"_s;
    case Kind::Approved:
        return u"approved"_s;
    case Kind::Denied:
        return u"denied"_s;
    case Kind::ApprovalRefused:
        return u"approval_refused"_s;
    case Kind::StepStarted:
        return u"step_started"_s;
    case Kind::StepFinished:
        return u"step_finished"_s;
    case Kind::StepSkipped:
        return u"step_skipped"_s;
    case Kind::GuardrailBlocked:
        return u"guardrail_blocked"_s;
    case Kind::BreakerOpened:
        return u"breaker_opened"_s;
    case Kind::BreakerHalfOpen:
        return u"breaker_half_open"_s;
    case Kind::BreakerClosed:
        return u"breaker_closed"_s;
    case Kind::BreakerReset:
        return u"breaker_reset"_s;
    case Kind::CooldownStarted:
        return u"cooldown_started"_s;
    case Kind::Paged:
        return u"paged"_s;
    case Kind::Notified:
        return u"notified"_s;
    case Kind::Resolved:
        return u"resolved"_s;
    case Kind::Escalated:
        return u"escalated"_s;
    case Kind::Interrupted:
        return u"interrupted"_s;
    case Kind::Cancelled:
        return u"cancelled"_s;
    case Kind::StateChanged:
        return u"state_changed"_s;
    case Kind::FeedChanged:
        return u"feed_changed"_s;
    case Kind::RunbookLoaded:
        return u"runbook_loaded"_s;
    case Kind::RunbookRejected:
        return u"runbook_rejected"_s;
    case Kind::LateResult:
        return u"late_result"_s;
    }
    return {};
}

Store::~Store() = default;

} // namespace antibody

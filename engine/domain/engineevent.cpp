#include "engine/domain/engineevent.h"

using namespace Qt::StringLiterals;

namespace antibody {

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
    case Kind::TokenCreated:
        return u"token_created"_s;
    case Kind::TokenRevoked:
        return u"token_revoked"_s;
    case Kind::PolicyRefused:
        return u"policy_refused"_s;
    case Kind::RunbookInstalled:
        return u"runbook_installed"_s;
    case Kind::RunRequested:
        return u"run_requested"_s;
    }
    return {};
}

} // namespace antibody

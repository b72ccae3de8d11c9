#include "engine/domain/guardrail.h"

using namespace Qt::StringLiterals;

namespace antibody {

GuardrailResult GuardrailResult::of(Check check, Verdict verdict, QString reason, const QString &runbookGuard)
{
    QString name = checkName(check);
    if (check == Check::RunbookGuard)
        name += u':' + runbookGuard;
    return GuardrailResult { check, std::move(name), verdict, std::move(reason) };
}

QJsonObject GuardrailResult::toJson() const
{
    return QJsonObject { { u"name"_s, name }, { u"pass"_s, pass() }, { u"verdict"_s, verdictText(verdict) },
        { u"reason"_s, reason } };
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

QString checkName(GuardrailResult::Check c)
{
    using Check = GuardrailResult::Check;
    switch (c) {
    case Check::NeverAutomate:
        return u"never_automate"_s;
    case Check::CircuitBreaker:
        return u"circuit_breaker"_s;
    case Check::RunbookGuard:
        return u"runbook_guard"_s;
    case Check::BlastRadius:
        return u"blast_radius"_s;
    case Check::CapacityChange:
        return u"capacity_change"_s;
    case Check::Freshness:
        return u"freshness"_s;
    case Check::Cooldown:
        return u"cooldown"_s;
    case Check::OneAtATime:
        return u"one_at_a_time"_s;
    case Check::RateLimit:
        return u"rate_limit"_s;
    case Check::Interrupted:
        return u"interrupted"_s;
    case Check::Executor:
        return u"executor"_s;
    case Check::Fleet:
        return u"fleet"_s;
    }
    return {};
}

} // namespace antibody

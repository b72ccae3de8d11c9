#pragma once

#include <QList>
#include <QString>

namespace antibody {

// The result of one named guardrail check.
struct GuardrailResult
{
    enum class Verdict {
        Pass,
        NeedsApproval, // may run, but only with a human's approval
        Block, // must not run now, approved or not
    };

    QString name; // blast_radius, cooldown, circuit_breaker, freshness, never_automate, one_at_a_time, rate_limit,
                  // runbook_guard, ...
    Verdict verdict = Verdict::Pass;
    QString reason; // one line: "2 of 5 pods is within the cap of 2 per cycle"

    bool pass() const { return verdict == Verdict::Pass; }
};

QString verdictText(GuardrailResult::Verdict v);

} // namespace antibody

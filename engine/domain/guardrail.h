#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace antibody {

// The result of one guardrail check: which check, its verdict and one line of why.
struct GuardrailResult
{
    enum class Verdict {
        Pass,
        NeedsApproval, // may run, but only with a human's approval
        Block, // must not run now, approved or not
    };
    // The checks, in docs/engine.md's table. Code branches on these, never on the name.
    enum class Check {
        NeverAutomate,
        CircuitBreaker,
        RunbookGuard, // one of the runbook's own `guards:`
        BlastRadius,
        CapacityChange,
        Freshness,
        Cooldown,
        OneAtATime,
        RateLimit,
        Interrupted,
        Executor,
        Fleet, // what would be touched could not be read
    };

    Check check = Check::BlastRadius;
    QString name; // its stable identifier: checkName(check), and `runbook_guard:<guard>` for a runbook guard
    Verdict verdict = Verdict::Pass;
    QString reason; // one line: "2 of 5 pods is within the cap of 2 per cycle"

    static GuardrailResult of(Check check, Verdict verdict, QString reason, const QString &runbookGuard = {});
    bool pass() const { return verdict == Verdict::Pass; }
    // The one JSON shape: events, the store, `dryrun --json`, simulation reports.
    QJsonObject toJson() const;
};

QString verdictText(GuardrailResult::Verdict v);
QString checkName(GuardrailResult::Check c); // never_automate, circuit_breaker, runbook_guard, blast_radius, ...

} // namespace antibody

#include "engine/pipeline/decision.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

int strictness(Mode m)
{
    switch (m) {
    case Mode::Auto:
        return 0;
    case Mode::Approve:
        return 1;
    case Mode::Show:
        return 2;
    case Mode::Blocked:
        return 3;
    }
    return 3;
}

} // namespace

Decision decide(
    const Runbook &runbook, int level, const Plan &plan, const QList<GuardrailResult> &guardrails, int people)
{
    // The reason names the number the plan waits for, which the policy may raise.
    const int approvers = people > 0 ? people : runbook.approvals;
    Decision d;
    QStringList relaxed; // reasons that allow automation, listed after the strict ones
    auto tighten = [&d](Mode m, const QString &reason) {
        if (strictness(m) > strictness(d.mode)) {
            d.mode = m;
            d.reasons.prepend(reason);
        } else {
            d.reasons << reason;
        }
    };

    const bool mutates = !plan.mutatingSteps().isEmpty();
    if (level <= 1) {
        d.mode = Mode::Show;
        d.reasons << (level == 0 ? u"level 0: the incident is shown; nothing is proposed"_s
                                 : u"level 1: the steps are a checklist; a human runs them"_s);
        for (const GuardrailResult &g : guardrails) {
            if (g.verdict == GuardrailResult::Verdict::Block)
                d.reasons << u"also blocked: %1"_s.arg(g.reason);
        }
        return d;
    }
    d.mode = Mode::Auto;
    if (level == 2 && mutates)
        tighten(Mode::Approve,
            approvers > 1 ? u"level 2: the plan waits for %1 distinct people to approve it"_s.arg(approvers)
                          : u"level 2: the plan waits for one click of approval"_s);
    else if (level == 2)
        relaxed << u"level 2, but the plan changes nothing: it runs (diagnostics and notices only)"_s;
    else
        relaxed << u"level %1: runs within guardrails, people are notified after"_s.arg(level);

    for (const PlannedStep &s : plan.steps) {
        if (s.effect == Effect::Mutates && s.tier == Tier::Approve)
            tighten(Mode::Approve,
                u"%1 (%2) is an approve-tier action: a human approves it at every level"_s.arg(s.name, s.action));
        if (s.tier == Tier::Never)
            tighten(Mode::Blocked, u"%1 (%2) is never automated"_s.arg(s.name, s.action));
    }
    if (mutates && runbook.trigger.confidence != Confidence::High)
        tighten(Mode::Approve,
            u"trigger confidence is %1: only high confidence runs unattended"_s.arg(
                confidenceText(runbook.trigger.confidence)));
    for (const GuardrailResult &g : guardrails) {
        if (g.verdict == GuardrailResult::Verdict::NeedsApproval)
            tighten(Mode::Approve, g.reason);
        else if (g.verdict == GuardrailResult::Verdict::Block)
            tighten(Mode::Blocked, g.reason);
    }
    if (d.mode == Mode::Auto)
        d.reasons = relaxed + d.reasons;
    else
        d.reasons << relaxed;
    return d;
}

} // namespace antibody

#include "engine/domain/proposal.h"

using namespace Qt::StringLiterals;

namespace antibody {

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

QJsonArray Proposal::blastRadiiJson() const
{
    QJsonArray radii;
    for (const PlannedStep &s : plan.steps) {
        if (!s.blastRadius)
            continue;
        QJsonObject radius = s.blastRadius->toJson();
        radius.insert(u"step"_s, s.name);
        radii.append(radius);
    }
    return radii;
}

QJsonArray Proposal::guardrailsJson() const
{
    QJsonArray out;
    for (const GuardrailResult &g : guardrails)
        out.append(g.toJson());
    return out;
}

} // namespace antibody

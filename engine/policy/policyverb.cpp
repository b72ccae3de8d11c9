#include "engine/policy/policyverb.h"

using namespace Qt::StringLiterals;

namespace antibody {

const QList<PolicyVerb> &policyVerbs()
{
    static const QList<PolicyVerb> verbs { PolicyVerb::View, PolicyVerb::Approve, PolicyVerb::Deny, PolicyVerb::Cancel,
        PolicyVerb::ResetBreaker, PolicyVerb::InstallRunbook, PolicyVerb::BreakGlass, PolicyVerb::Request,
        PolicyVerb::Admin };
    return verbs;
}

QString policyVerbName(PolicyVerb verb)
{
    switch (verb) {
    case PolicyVerb::View:
        return u"view"_s;
    case PolicyVerb::Approve:
        return u"approve"_s;
    case PolicyVerb::Deny:
        return u"deny"_s;
    case PolicyVerb::Cancel:
        return u"cancel"_s;
    case PolicyVerb::ResetBreaker:
        return u"reset_breaker"_s;
    case PolicyVerb::InstallRunbook:
        return u"install_runbook"_s;
    case PolicyVerb::BreakGlass:
        return u"break_glass"_s;
    case PolicyVerb::Request:
        return u"request"_s;
    case PolicyVerb::Admin:
        return u"admin"_s;
    }
    return {};
}

PolicyVerbObjects policyVerbObjects(PolicyVerb verb)
{
    switch (verb) {
    case PolicyVerb::View: // an incident's service and runbook; nothing for the whole server
    case PolicyVerb::Cancel: // an incident, whatever its plan's tier
        return { true, true, false };
    case PolicyVerb::Approve:
    case PolicyVerb::Deny:
    case PolicyVerb::BreakGlass:
    case PolicyVerb::Request: // a plan: its service, runbook and tier
        return { true, true, true };
    case PolicyVerb::ResetBreaker: // a breaker is a runbook's
        return { false, true, false };
    case PolicyVerb::InstallRunbook: // the runbook and its highest tier
        return { false, true, true };
    case PolicyVerb::Admin:
        return {};
    }
    return {};
}

std::optional<PolicyVerb> policyVerbFromName(QStringView name)
{
    for (PolicyVerb verb : policyVerbs()) {
        if (policyVerbName(verb) == name)
            return verb;
    }
    return std::nullopt;
}

QStringList policyVerbNames()
{
    QStringList names;
    for (PolicyVerb verb : policyVerbs())
        names << policyVerbName(verb);
    return names;
}

} // namespace antibody

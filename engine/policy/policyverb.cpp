#include "engine/policy/policyverb.h"

using namespace Qt::StringLiterals;

namespace antibody {

const QList<PolicyVerb> &policyVerbs()
{
    static const QList<PolicyVerb> verbs { PolicyVerb::View, PolicyVerb::Approve, PolicyVerb::Deny, PolicyVerb::Cancel,
        PolicyVerb::ResetBreaker, PolicyVerb::InstallRunbook, PolicyVerb::BreakGlass, PolicyVerb::Admin };
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
    case PolicyVerb::Admin:
        return u"admin"_s;
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

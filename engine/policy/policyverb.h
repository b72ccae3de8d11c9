#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <optional>

namespace antibody {

// What a person asks the team server to do; the access policy allows or denies each.
// `admin` is the administration of identities and of the policy itself (tokens, a
// reload): it implies no other verb, so an admin who also approves says so in a rule.
enum class PolicyVerb { View, Approve, Deny, Cancel, ResetBreaker, InstallRunbook, BreakGlass, Request, Admin };

// What a request with a verb may name besides its subject (docs/team.md, "Verbs"): the
// server passes no other object, so a rule that narrows a verb by something it never
// names never applies to it, and lint says so.
struct PolicyVerbObjects
{
    bool service = false;
    bool runbook = false;
    bool tier = false;
};
PolicyVerbObjects policyVerbObjects(PolicyVerb verb);

// "view", "reset_breaker": as the policy file and `antibodyctl policy can` write them.
QString policyVerbName(PolicyVerb verb);
std::optional<PolicyVerb> policyVerbFromName(QStringView name);
// Every verb, in the order above.
const QList<PolicyVerb> &policyVerbs();
QStringList policyVerbNames();

} // namespace antibody

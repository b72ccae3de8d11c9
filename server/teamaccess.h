#pragma once

#include "engine/domain/engineevent.h"
#include "engine/domain/proposal.h"
#include "engine/policy/policy.h"

#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

namespace antibody {

class Engine;
struct InstalledRunbook;

// Installs a runbook a person sent (stamps its time, stores it, loads it into the
// engine); empty when done, else why not. The team server's host provides it.
using RunbookInstaller = std::function<QString(InstalledRunbook &runbook)>;

// Who a client is to the policy: the subject its token names (or its hello's name), the
// token's id, and the groups the token carries.
struct ClientIdentity
{
    QString subject;
    QString tokenId; // empty without a token
    QStringList groups;

    // "alice (API token id 1a2b3c4d5e6f)", "alice": how refusals and the log name a client.
    QString text() const;
};

// The team server's access policy in force (server.policy, docs/team.md "Policy"): read at
// start and on SIGHUP; a file that does not lint leaves the policy in force as it was.
// Without a policy file nothing is enforced: any identity may decide anything, and the
// server says so when it starts.
class TeamAccess
{
public:
    // Reads `file`; false, with each problem located (file:line:col), when it is not a
    // policy: the one in force stays. `file` empty: no policy, nothing enforced.
    bool load(const QString &file, QStringList *problems);
    bool enforced() const { return m_policy.has_value(); }
    const std::optional<Policy> &policy() const { return m_policy; }

    // Distinct people per plan of `tier` (approvals: in the policy); 1 without a policy.
    int approvalsFor(Tier tier) const;

    // Allowed, or refused with the rule and the reason; always allowed when nothing is
    // enforced. Of `object`, only what `verb` names is asked (policyVerbObjects).
    PolicyDecision decide(const ClientIdentity &who, PolicyVerb verb, const PolicyObject &object) const;

    // Of `object`, what a request of `verb` carries (a cancel no tier, a breaker's reset
    // only its runbook), so that a rule decides the same for every way of asking.
    static PolicyObject carried(PolicyVerb verb, const PolicyObject &object);
    // What a command is about, as the policy matches it: the service, runbook and tier
    // (the strictest of its steps) of a proposal's plan.
    static PolicyObject objectOf(const Proposal &proposal);
    // Puts a refusal into the audit trail through `engine`: who (subject and token id,
    // never the token), what, on what, and the rule.
    static void audit(Engine &engine, const ClientIdentity &who, PolicyVerb verb, const PolicyObject &object,
        const PolicyDecision &decision, const QString &incidentId);

private:
    std::optional<Policy> m_policy;
};

} // namespace antibody

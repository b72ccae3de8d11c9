#pragma once

#include "engine/policy/policyrule.h"
#include "engine/policy/policyverb.h"
#include "engine/runbook/diagnostic.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace antibody {

// Largest policy file read; anything longer is refused unread.
constexpr qsizetype maxPolicyBytes = 1024 * 1024;

struct PolicyDecision
{
    bool allowed = false;
    QString rule; // "policy.yaml:12:5", the rule that decided; empty for the default
    // A sentence a person reads: "alice may not break_glass on service orders-db: denied by
    // policy.yaml:12:5 (deny break_glass to *)".
    QString explanation;
};

struct PolicyLoad;

// The team server's access policy (docs/team.md, "Policy"): groups of people, rules that
// allow or deny verbs to subjects on objects, and how many people approve per tier.
// Default deny; a matching deny wins over any allow; no rules grant nothing.
class Policy
{
public:
    // Each problem as "file:line:col: error[code]: what is wrong; what to do", warnings included;
    // the policy when none is an error.
    static std::optional<Policy> read(const QString &file, QStringList *errors);
    static std::optional<Policy> parse(const QByteArray &yaml, const QString &fileName, QStringList *errors);
    // The same with the diagnostics as `antibodyctl policy lint` shows them.
    static PolicyLoad load(const QString &file);
    static PolicyLoad loadText(const QByteArray &yaml, const QString &fileName);

    // `tokenGroups`: the groups the subject's API token carries, beside those the policy lists.
    PolicyDecision decide(
        const QString &subject, PolicyVerb verb, const PolicyObject &object, const QStringList &tokenGroups = {}) const;
    // Distinct people who approve an action of `tier`; 1 when the policy says nothing.
    int approvalsFor(const QString &tier) const;
    // The groups of `groups:` that list `subject`, sorted.
    QStringList groupsOf(const QString &subject) const;
    QString file() const { return m_file; }
    const QList<PolicyRule> &rules() const { return m_rules; }
    QStringList groupNames() const;

private:
    friend class PolicyReader;

    QString m_file;
    QHash<QString, QStringList> m_groups; // name -> members
    QHash<QString, int> m_approvals; // tier -> people
    QList<PolicyRule> m_rules; // in file order
};

struct PolicyLoad
{
    std::optional<Policy> policy; // set exactly when no diagnostic is an error
    QList<Diagnostic> diagnostics; // errors and warnings, in file order
};

// "file:line:col: error[code]: message; hint": one line for logs and QStringList errors.
QString policyProblemLine(const Diagnostic &d);

} // namespace antibody

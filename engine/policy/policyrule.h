#pragma once

#include "engine/policy/policyverb.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace antibody {

// What a verb acts on. An empty field: the request has no such object (`view` of the
// whole server, `admin`), and only a rule that leaves the field out or lists `*` covers it.
struct PolicyObject
{
    QString service;
    QString runbook;
    QString tier; // safe, approve or never
};

// The tiers an object's `tier` may name: safe, approve, never (the action catalog's).
const QStringList &policyTierNames();

// One entry of `rules:`: an effect on some verbs, for some subjects, on some objects.
struct PolicyRule
{
    enum class Effect { Allow, Deny };

    Effect effect = Effect::Deny;
    QList<PolicyVerb> verbs;
    QStringList subjects; // user names, `group:NAME`, `*`
    QStringList services; // globs; empty: the key is absent, any service or none
    QStringList runbooks;
    QStringList tiers;
    QString where; // "policy.yaml:12:5": the rule's first key

    // The subject entry that makes the rule apply to `subject` in `groups`, or empty.
    QString matchingSubject(const QString &subject, const QSet<QString> &groups) const;
    bool covers(PolicyVerb verb, const PolicyObject &object) const;
    // "deny break_glass to *", "allow approve, cancel to group:sre on services orders-*, tiers approve"
    QString summary() const;
};

} // namespace antibody

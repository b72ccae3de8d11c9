#include "engine/policy/policy.h"

#include "engine/core/boundedfile.h"
#include "engine/policy/policyreader.h"
#include "engine/runbook/diagnosticreport.h"

#include <QFileInfo>
#include <QSet>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

PolicyLoad unreadablePolicy(const QString &path, const QString &message, const QString &hint)
{
    DiagnosticReport report(path);
    report.add(DiagnosticCode::IoError, SourceLocation {}, message, hint);
    return PolicyLoad { std::nullopt, report.diagnostics() };
}

std::optional<Policy> policyWithProblems(PolicyLoad loaded, QStringList *errors)
{
    if (errors) {
        for (const Diagnostic &d : std::as_const(loaded.diagnostics))
            *errors << policyProblemLine(d);
    }
    return std::move(loaded.policy);
}

// "approve on service orders-db, tier approve"
QString requestText(PolicyVerb verb, const PolicyObject &object)
{
    QStringList on;
    if (!object.service.isEmpty())
        on << u"service "_s + object.service;
    if (!object.runbook.isEmpty())
        on << u"runbook "_s + object.runbook;
    if (!object.tier.isEmpty())
        on << u"tier "_s + object.tier;
    return policyVerbName(verb) + (on.isEmpty() ? QString() : u" on "_s + on.join(u", "_s));
}

} // namespace

QString policyProblemLine(const Diagnostic &d)
{
    return d.hint.isEmpty() ? d.toString() : d.toString() + u"; "_s + d.hint;
}

PolicyLoad Policy::loadText(const QByteArray &yaml, const QString &fileName)
{
    return PolicyReader::read(yaml, fileName);
}

PolicyLoad Policy::load(const QString &file)
{
    const QFileInfo info(file);
    if (!info.exists())
        return unreadablePolicy(file, u"no such file"_s, u"check the path (server.policy names the policy file)"_s);
    if (info.isDir())
        return unreadablePolicy(file, u"this is a folder, not a policy file"_s, u"name the policy's YAML file"_s);
    // One byte past the cap at most, and never an open that blocks on a FIFO.
    const BoundedFile read = readBoundedFile(file, maxPolicyBytes);
    if (!read.error.isEmpty())
        return unreadablePolicy(file, read.error, u"give the path of a policy file you can read"_s);
    return loadText(read.bytes, file);
}

std::optional<Policy> Policy::read(const QString &file, QStringList *errors)
{
    return policyWithProblems(load(file), errors);
}

std::optional<Policy> Policy::parse(const QByteArray &yaml, const QString &fileName, QStringList *errors)
{
    return policyWithProblems(loadText(yaml, fileName), errors);
}

PolicyDecision Policy::decide(
    const QString &subject, PolicyVerb verb, const PolicyObject &object, const QStringList &tokenGroups) const
{
    if (subject.isEmpty())
        return { false, {}, u"a request without a subject is refused: the policy names people"_s };
    QSet<QString> groups(tokenGroups.begin(), tokenGroups.end());
    for (const QString &g : groupsOf(subject))
        groups.insert(g);
    const QString asked = requestText(verb, object);
    const auto applies = [&](const PolicyRule &rule) {
        return rule.covers(verb, object) && !rule.matchingSubject(subject, groups).isEmpty();
    };
    // Deny wins: every rule is read before an allow counts.
    const auto denial = std::find_if(m_rules.begin(), m_rules.end(),
        [&](const PolicyRule &r) { return r.effect == PolicyRule::Effect::Deny && applies(r); });
    if (denial != m_rules.end())
        return { false, denial->where,
            u"%1 may not %2: denied by %3 (%4)"_s.arg(subject, asked, denial->where, denial->summary()) };
    const auto grant = std::find_if(m_rules.begin(), m_rules.end(),
        [&](const PolicyRule &r) { return r.effect == PolicyRule::Effect::Allow && applies(r); });
    if (grant != m_rules.end()) {
        const QString as = grant->matchingSubject(subject, groups);
        return { true, grant->where,
            u"%1 may %2: allowed by %3 (%4)%5"_s.arg(subject, asked, grant->where, grant->summary(),
                as.startsWith(u"group:"_s) ? u", as a member of "_s + as : QString()) };
    }
    return { false, {}, u"no rule allows %1 to %2: the policy denies by default"_s.arg(subject, asked) };
}

int Policy::approvalsFor(const QString &tier) const
{
    return m_approvals.value(tier, 1);
}

QStringList Policy::groupsOf(const QString &subject) const
{
    QStringList out;
    for (auto it = m_groups.constBegin(); it != m_groups.constEnd(); ++it) {
        if (it.value().contains(subject))
            out << it.key();
    }
    out.sort();
    return out;
}

QStringList Policy::groupNames() const
{
    QStringList names = m_groups.keys();
    names.sort();
    return names;
}

} // namespace antibody

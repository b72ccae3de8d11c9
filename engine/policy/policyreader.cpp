#include "engine/policy/policyreader.h"

#include "engine/domain/apitoken.h"
#include "engine/policy/policyglob.h"
#include "engine/runbook/didyoumean.h"
#include "engine/runbook/yamldocument.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

constexpr auto PolicyError = Diagnostic::Severity::Error;
constexpr auto PolicyWarning = Diagnostic::Severity::Warning;
constexpr int maxApprovals = 10; // more distinct people than an on-call rotation has awake at 3 a.m.
constexpr qsizetype maxGlobLength = 253; // a DNS name's length: no service or runbook name is longer

// The policy's own codes (docs/team.md, "Policy"); the others are the runbook loader's.
const QString undefinedGroup = u"undefined-group"_s;
const QString invalidSubject = u"invalid-subject"_s;
const QString invalidGlob = u"invalid-glob"_s;
const QString unknownVerb = u"unknown-verb"_s;
const QString emptyList = u"empty-list"_s;
const QString grantsNothing = u"grants-nothing"_s;
const QString neverApplies = u"never-applies"_s;

const YamlContent &policyContent()
{
    static const YamlContent content { u"policy"_s,
        u"a policy holds `groups:`, `approvals:` and `rules:`; write `rules: []` for one that grants nothing "
        u"(see docs/team.md, \"Policy\")"_s,
        4, maxPolicyBytes };
    return content;
}

FormatKey policyKey(const QString &name, const QString &description, bool required = false)
{
    FormatKey k;
    k.name = name;
    k.description = description;
    k.required = required;
    return k;
}

const FormatSection &rootSection()
{
    static const FormatSection section { u"policy"_s, u"the policy"_s,
        { policyKey(u"groups"_s, u"Named lists of people: `sre: [alice, bob]`."_s),
            policyKey(u"approvals"_s, u"Distinct approvers per tier: `approve: 2`."_s),
            policyKey(u"rules"_s, u"The list of allow and deny rules."_s) } };
    return section;
}

const FormatSection &approvalsSection()
{
    static const FormatSection section { u"approvals"_s, u"`approvals`"_s,
        { policyKey(u"safe"_s, u"People who approve a safe-tier action (a runbook below level 3 asks)."_s),
            policyKey(u"approve"_s, u"People who approve an approve-tier action."_s) } };
    return section;
}

const FormatSection &ruleSection()
{
    static const FormatSection section { u"rule"_s, u"a rule"_s,
        { policyKey(u"allow"_s, u"The verbs the rule allows."_s), policyKey(u"deny"_s, u"The verbs the rule denies."_s),
            policyKey(
                u"subjects"_s, u"Who the rule applies to: user names, `group:NAME`, or `*` for everyone."_s, true),
            policyKey(u"services"_s, u"Service globs; leave it out for any service."_s),
            policyKey(u"runbooks"_s, u"Runbook globs; leave it out for any runbook."_s),
            policyKey(u"tiers"_s, u"Tier globs (safe, approve, never); leave it out for any tier."_s) } };
    return section;
}

// The characters a name of `key`'s objects may hold, besides the wildcards.
bool fitsObjectName(QStringView key, QChar c)
{
    const bool ascii = c.unicode() < 128;
    if (key == u"services")
        return ascii && (c.isDigit() || c.isLower() || c == u'-' || c == u'.');
    return ascii && (c.isLetterOrNumber() || c == u'_' || c == u'-');
}

} // namespace

PolicyReader::PolicyReader(DiagnosticReport &report)
    : m_reader(report)
{
}

PolicyLoad PolicyReader::read(const QByteArray &bytes, const QString &fileName)
{
    DiagnosticReport report(fileName);
    const auto root = readYamlDocument(bytes, report, policyContent());
    if (!root)
        return PolicyLoad { std::nullopt, report.diagnostics() };
    PolicyReader reader(report);
    std::optional<Policy> policy = reader.readRoot(*root, fileName);
    if (report.hasErrors())
        policy.reset();
    return PolicyLoad { std::move(policy), report.inFileOrder() };
}

void PolicyReader::problem(const QString &code, SourceLocation at, const QString &message, const QString &hint)
{
    m_reader.report().add(code, PolicyError, at, message, hint);
}

std::optional<Policy> PolicyReader::readRoot(const YamlNode &root, const QString &fileName)
{
    if (!m_reader.checkKeys(root, rootSection(), u"the policy"_s))
        return std::nullopt;
    Policy policy;
    policy.m_file = fileName;
    // Groups first: the rules name them.
    if (const YamlNode *groups = root.value(u"groups"); groups && !groups->isNull())
        readGroups(*groups, policy);
    if (const YamlNode *approvals = root.value(u"approvals"); approvals && !approvals->isNull())
        readApprovals(*approvals, policy);
    if (const YamlNode *rules = root.value(u"rules"); rules && !rules->isNull())
        readRules(*rules, policy);
    if (policy.m_rules.isEmpty() && !m_reader.report().hasErrors()) {
        const YamlNode *rules = root.value(u"rules");
        m_reader.report().add(grantsNothing, PolicyWarning, rules ? rules->location : root.location,
            u"the policy has no rules: it grants nothing, and the server refuses every request"_s,
            u"add a rule, e.g. `- { allow: [view], subjects: [\"*\"] }`; leave it so only to refuse every request "
            u"on purpose"_s);
    }
    return policy;
}

void PolicyReader::readGroups(const YamlNode &node, Policy &policy)
{
    if (!m_reader.expectMap(node, u"`groups`"_s, u"write one group a line: `sre: [alice, bob]`"_s))
        return;
    for (const YamlNode::Entry &e : node.entries) {
        if (node.isDuplicate(e.key)) { // reported as a duplicate key; neither list counts
            m_groups.insert(e.key); // but the name is defined: rules naming it are not wrong too
            continue;
        }
        if (const QString p = ApiTokens::groupsProblem({ e.key }); !p.isEmpty()) {
            problem(invalidSubject, e.keyLocation, u"group name: "_s + p, u"name groups as tokens do (`--groups`)"_s);
            continue;
        }
        m_groups.insert(e.key);
        const QString what = u"the members of group `%1`"_s.arg(e.key);
        if (e.value->isNull()) { // `dba:` alone: members come from the tokens that carry the group
            policy.m_groups.insert(e.key, {});
            continue;
        }
        if (!m_reader.expectList(*e.value, what,
                u"list user names: `%1: [alice, bob]`, or `%1: []` for a group only tokens name"_s.arg(e.key)))
            continue;
        QStringList members;
        for (const auto &item : e.value->items) {
            const auto member = m_reader.text(*item, u"each of "_s + what);
            if (!member)
                continue;
            if (member->startsWith(u"group:"_s) || *member == u"*"_s) {
                problem(invalidSubject, item->location,
                    u"`%1` in group `%2`: groups hold people, not groups"_s.arg(*member, e.key),
                    u"list the people, or name both groups in the rule's `subjects`"_s);
                continue;
            }
            if (const QString p = ApiTokens::subjectProblem(*member); !p.isEmpty()) {
                problem(invalidSubject, item->location, u"member of group `%1`: %2"_s.arg(e.key, p),
                    u"write the subject as the person's token names it"_s);
                continue;
            }
            members << *member;
        }
        policy.m_groups.insert(e.key, members);
    }
}

void PolicyReader::readApprovals(const YamlNode &node, Policy &policy)
{
    if (!m_reader.checkKeys(node, approvalsSection(), u"`approvals`"_s))
        return;
    for (const FormatKey &k : approvalsSection().keys) {
        if (const YamlNode *value = node.value(k.name)) {
            if (const auto n = m_reader.integer(*value, 1, maxApprovals, u"`approvals.%1`"_s.arg(k.name)))
                policy.m_approvals.insert(k.name, *n);
        }
    }
}

void PolicyReader::readRules(const YamlNode &node, Policy &policy)
{
    if (!m_reader.expectList(node, u"`rules`"_s, u"write one `- allow: [...]` or `- deny: [...]` item per rule"_s))
        return;
    for (const auto &item : node.items) {
        if (auto rule = readRule(*item, policy.m_file))
            policy.m_rules << *rule;
    }
}

std::optional<PolicyRule> PolicyReader::readRule(const YamlNode &node, const QString &fileName)
{
    const int errorsBefore = static_cast<int>(m_reader.report().diagnostics().size());
    if (!m_reader.checkKeys(node, ruleSection(), u"a rule"_s))
        return std::nullopt;
    PolicyRule rule;
    rule.where = u"%1:%2:%3"_s.arg(fileName).arg(node.location.line).arg(node.location.column);
    const YamlNode *allow = node.value(u"allow");
    const YamlNode *deny = node.value(u"deny");
    if (allow && deny) {
        m_reader.report().add(DiagnosticCode::ConflictingKeys, node.location, u"a rule has both `allow` and `deny`"_s,
            u"split it into two rules: one allows, one denies"_s);
    } else if (!allow && !deny && !node.has(u"allow") && !node.has(u"deny")) {
        m_reader.report().add(DiagnosticCode::MissingKey, node.location, u"a rule has neither `allow` nor `deny`"_s,
            u"add `allow: [verb, ...]` or `deny: [verb, ...]`; the verbs are: %1"_s.arg(
                policyVerbNames().join(u", "_s)));
    } else if (allow || deny) {
        rule.effect = allow ? PolicyRule::Effect::Allow : PolicyRule::Effect::Deny;
        rule.verbs = readVerbs(allow ? *allow : *deny, allow ? u"`allow`"_s : u"`deny`"_s);
    }
    if (const YamlNode *subjects = node.value(u"subjects"))
        rule.subjects = readSubjects(*subjects);
    for (const auto &[name, field] : { std::pair { u"services", &rule.services },
             std::pair { u"runbooks", &rule.runbooks }, std::pair { u"tiers", &rule.tiers } }) {
        if (const YamlNode *globs = node.value(QStringView(name)))
            *field = readGlobs(*globs, QStringView(name));
    }
    if (m_reader.report().diagnostics().size() > errorsBefore)
        return std::nullopt;
    warnIfNeverApplies(rule, node.location);
    return rule;
}

// A verb whose requests never name an object the rule narrows by is never covered by it:
// harmless in an allow, a hole in a deny that was meant to refuse it.
void PolicyReader::warnIfNeverApplies(const PolicyRule &rule, SourceLocation at)
{
    const auto narrows = [](const QStringList &globs) { return !globs.isEmpty() && !globs.contains(u"*"_s); };
    for (PolicyVerb verb : rule.verbs) {
        const PolicyVerbObjects names = policyVerbObjects(verb);
        QStringList nouns; // "tier": what the verb never names and the rule narrows by
        const auto check = [&](bool named, const QStringList &globs, const QString &noun) {
            if (!named && narrows(globs))
                nouns << noun;
        };
        check(names.service, rule.services, u"service"_s);
        check(names.runbook, rule.runbooks, u"runbook"_s);
        check(names.tier, rule.tiers, u"tier"_s);
        if (nouns.isEmpty())
            continue;
        QStringList keys;
        for (const QString &noun : std::as_const(nouns))
            keys << noun + u's';
        const QString verbName = policyVerbName(verb);
        m_reader.report().add(neverApplies, PolicyWarning, at,
            u"`%1` names no %2: this rule never %3 it"_s.arg(
                verbName, nouns.join(u" or "_s), rule.effect == PolicyRule::Effect::Deny ? u"denies"_s : u"allows"_s),
            u"give `%1` a rule of its own without `%2` (docs/team.md, \"Verbs\": what each verb names)"_s.arg(
                verbName, keys.join(u"`, `"_s)));
    }
}

std::optional<QList<const YamlNode *>> PolicyReader::textItems(const YamlNode &node, const QString &what)
{
    if (!m_reader.expectList(node, what, u"write a list: `[a, b]`, or one `- item` per line"_s))
        return std::nullopt;
    if (node.items.isEmpty()) {
        problem(emptyList, node.location, u"%1 is empty: the rule would apply to nothing"_s.arg(what),
            u"list at least one item, or remove the rule"_s);
        return std::nullopt;
    }
    QList<const YamlNode *> out;
    for (const auto &item : node.items) {
        if (m_reader.text(*item, u"each item of "_s + what))
            out << item.get();
    }
    return out;
}

QList<PolicyVerb> PolicyReader::readVerbs(const YamlNode &node, const QString &what)
{
    QList<PolicyVerb> verbs;
    const auto items = textItems(node, what);
    for (const YamlNode *item : items.value_or(QList<const YamlNode *> {})) {
        if (const auto verb = policyVerbFromName(item->scalar)) {
            if (!verbs.contains(*verb))
                verbs << *verb;
            continue;
        }
        problem(unknownVerb, item->location, u"unknown verb `%1` in %2"_s.arg(item->scalar, what),
            didYouMeanHint(
                item->scalar, policyVerbNames(), u"the verbs are: %1"_s.arg(policyVerbNames().join(u", "_s))));
    }
    return verbs;
}

QStringList PolicyReader::readSubjects(const YamlNode &node)
{
    QStringList subjects;
    const auto items = textItems(node, u"`subjects`"_s);
    for (const YamlNode *item : items.value_or(QList<const YamlNode *> {})) {
        const QString &s = item->scalar;
        if (s == u"*"_s) {
            subjects << s;
        } else if (s.startsWith(u"group:"_s)) {
            const QString group = s.mid(6);
            if (m_groups.contains(group)) {
                subjects << s;
                continue;
            }
            const QStringList known(m_groups.begin(), m_groups.end());
            problem(undefinedGroup, item->location, u"group `%1` is not defined under `groups:`"_s.arg(group),
                didYouMeanHint(group, known,
                    u"define it: `groups: { %1: [alice] }`, or `%1: []` when only tokens name its members"_s.arg(
                        group.isEmpty() ? u"NAME"_s : group)));
        } else if (const QString p = ApiTokens::subjectProblem(s); !p.isEmpty()) {
            problem(invalidSubject, item->location, u"subject: "_s + p,
                u"a subject is a user name as its token names it, `group:NAME`, or `*` for everyone"_s);
        } else {
            subjects << s;
        }
    }
    return subjects;
}

QStringList PolicyReader::readGlobs(const YamlNode &node, QStringView key)
{
    QStringList globs;
    const QString what = u"`%1`"_s.arg(key);
    const auto items = textItems(node, what);
    for (const YamlNode *item : items.value_or(QList<const YamlNode *> {})) {
        const QString &glob = item->scalar;
        if (glob.isEmpty() || glob.size() > maxGlobLength) {
            problem(invalidGlob, item->location,
                u"an item of %1 is %2"_s.arg(what, glob.isEmpty() ? u"empty"_s : u"too long"_s),
                u"write a name, or a glob with `*` and `?`, of 1 to %1 characters"_s.arg(maxGlobLength));
            continue;
        }
        if (key == u"tiers") {
            const bool matchesATier = std::any_of(policyTierNames().begin(), policyTierNames().end(),
                [&](const QString &t) { return globMatches(glob, t); });
            if (!matchesATier) {
                problem(invalidGlob, item->location, u"`%1` in `tiers` matches no tier"_s.arg(glob),
                    didYouMeanHint(
                        glob, policyTierNames(), u"the tiers are: %1"_s.arg(policyTierNames().join(u", "_s))));
                continue;
            }
        } else if (const auto bad = std::find_if(glob.begin(), glob.end(),
                       [&](QChar c) { return c != u'*' && c != u'?' && !fitsObjectName(key, c); });
                   bad != glob.end()) {
            problem(invalidGlob, item->location,
                u"`%1` in %2 holds `%3`, which no %4 name has"_s.arg(
                    glob, what, QString(*bad), key == u"services" ? u"service"_s : u"runbook"_s),
                key == u"services"
                    ? u"services are lowercase DNS names; `*` and `?` are the only wildcards (no regular expressions)"_s
                    : u"runbook names are letters, digits, `_` and `-`; `*` and `?` are the only wildcards"_s);
            continue;
        }
        globs << glob;
    }
    return globs;
}

} // namespace antibody

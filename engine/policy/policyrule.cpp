#include "engine/policy/policyrule.h"

#include "engine/policy/policyglob.h"
#include "engine/runbook/actioncatalog.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

const QString groupPrefix = u"group:"_s;

// Absent globs cover any object and none; listed ones only a named object, `*` also none.
bool fieldCovers(const QStringList &globs, const QString &value)
{
    if (globs.isEmpty())
        return true;
    return std::any_of(globs.begin(), globs.end(),
        [&](const QString &glob) { return value.isEmpty() ? glob == u"*"_s : globMatches(glob, value); });
}

} // namespace

const QStringList &policyTierNames()
{
    static const QStringList names { tierText(Tier::Safe), tierText(Tier::Approve), tierText(Tier::Never) };
    return names;
}

QString PolicyRule::matchingSubject(const QString &subject, const QSet<QString> &groups) const
{
    if (subject.isEmpty())
        return {};
    for (const QString &s : subjects) {
        if (s == u"*"_s || s == subject || (s.startsWith(groupPrefix) && groups.contains(s.mid(groupPrefix.size()))))
            return s;
    }
    return {};
}

bool PolicyRule::covers(PolicyVerb verb, const PolicyObject &object) const
{
    return verbs.contains(verb) && fieldCovers(services, object.service) && fieldCovers(runbooks, object.runbook)
        && fieldCovers(tiers, object.tier);
}

QString PolicyRule::summary() const
{
    QStringList verbNames;
    for (PolicyVerb verb : verbs)
        verbNames << policyVerbName(verb);
    QString text = u"%1 %2 to %3"_s.arg(
        effect == Effect::Allow ? u"allow"_s : u"deny"_s, verbNames.join(u", "_s), subjects.join(u", "_s));
    QStringList objects;
    const auto add = [&](const QString &noun, const QStringList &globs) {
        if (!globs.isEmpty())
            objects << noun + u' ' + globs.join(u", "_s);
    };
    add(u"services"_s, services);
    add(u"runbooks"_s, runbooks);
    add(u"tiers"_s, tiers);
    if (!objects.isEmpty())
        text += u" on "_s + objects.join(u"; "_s);
    return text;
}

} // namespace antibody

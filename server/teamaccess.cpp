#include "server/teamaccess.h"

#include "engine/pipeline/engine.h"
#include "engine/runbook/actioncatalog.h"

using namespace Qt::StringLiterals;

namespace antibody {

QString ClientIdentity::text() const
{
    // The bare id: the store redacts anything shaped like a token (abt_…), even its short form.
    return tokenId.isEmpty() ? subject : u"%1 (API token id %2)"_s.arg(subject, tokenId);
}

bool TeamAccess::load(const QString &file, QStringList *problems)
{
    if (file.isEmpty()) {
        m_policy.reset();
        return true;
    }
    QStringList found;
    auto read = Policy::read(file, &found);
    if (!read) {
        *problems = found;
        return false;
    }
    *problems = found; // warnings only
    m_policy = std::move(read);
    return true;
}

int TeamAccess::approvalsFor(Tier tier) const
{
    return m_policy ? m_policy->approvalsFor(tierText(tier)) : 1;
}

PolicyDecision TeamAccess::decide(const ClientIdentity &who, PolicyVerb verb, const PolicyObject &object) const
{
    if (!m_policy)
        return PolicyDecision { true, {}, u"no policy: every identity may do everything"_s };
    return m_policy->decide(who.subject, verb, carried(verb, object), who.groups);
}

PolicyObject TeamAccess::carried(PolicyVerb verb, const PolicyObject &object)
{
    const PolicyVerbObjects names = policyVerbObjects(verb);
    return PolicyObject { names.service ? object.service : QString(), names.runbook ? object.runbook : QString(),
        names.tier ? object.tier : QString() };
}

PolicyObject TeamAccess::objectOf(const Proposal &proposal)
{
    return PolicyObject { proposal.plan.service, proposal.plan.runbook,
        proposal.plan.steps.isEmpty() ? QString() : tierText(proposal.plan.strictestTier()) };
}

void TeamAccess::audit(Engine &engine, const ClientIdentity &who, PolicyVerb verb, const PolicyObject &object,
    const PolicyDecision &decision, const QString &incidentId)
{
    QJsonObject data { { u"subject"_s, who.subject }, { u"verb"_s, policyVerbName(verb) }, { u"rule"_s, decision.rule },
        { u"reason"_s, decision.explanation } };
    // The token's id, public; under a key the store does not redact as a secret ("token", "credential").
    if (!who.tokenId.isEmpty())
        data.insert(u"key_id"_s, who.tokenId);
    const PolicyObject asked = carried(verb, object);
    for (const auto &[key, value] : { std::pair { u"service"_s, asked.service },
             std::pair { u"runbook"_s, asked.runbook }, std::pair { u"tier"_s, asked.tier } }) {
        if (!value.isEmpty())
            data.insert(key, value);
    }
    engine.record(EngineEvent::Kind::PolicyRefused, incidentId,
        u"the policy refused %1 to %2: %3"_s.arg(policyVerbName(verb), who.text(), decision.explanation), data);
}

} // namespace antibody

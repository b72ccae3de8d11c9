// Beside other processes on one store (a console and `antibodyctl run`, two consoles):
// the store answers who holds a problem and whether a claim may execute now, and the
// engine waits rather than race (review finding #3). Clocks of two processes differ,
// so nothing here relies on both deriving the same id at the same millisecond.
#include "engine/pipeline/enginestate.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {

void EngineState::standAside(const Alert &alert, const IncidentOpening &opening)
{
    m_heldElsewhere.insert(alert.fingerprint, { alert, opening.heldBy });
    lookAgainLater(alert.fingerprint);
    if (m_asideFor.value(alert.fingerprint) == opening.heldBy)
        return; // said once per holder
    m_asideFor.insert(alert.fingerprint, opening.heldBy);
    publish(event(EngineEvent::Kind::GuardrailBlocked, {},
        u"%1 on %2: %3; this engine stands aside and looks again every %4"_s.arg(alert.name,
            alert.service().isEmpty() ? u"the fleet"_s : alert.service(), opening.reason,
            formatDuration(m_settings.evaluationInterval)),
        { { u"held_by"_s, opening.heldBy }, { u"fingerprint"_s, alert.fingerprint } }));
}

void EngineState::lookAgainLater(const QString &fingerprint)
{
    m_ports.clock->callAfter(m_settings.evaluationInterval, guarded([this, fingerprint] {
        const auto it = m_heldElsewhere.constFind(fingerprint);
        if (it == m_heldElsewhere.constEnd())
            return; // resolved meanwhile
        const auto [alert, heldBy] = *it;
        m_heldElsewhere.erase(it);
        // Over there: handled, as this engine would have, and not this engine's to open
        // again while the same alert lingers (a later change of it is news, as here).
        if (m_ports.store->incidentEnded(heldBy)) {
            m_asideFor.remove(fingerprint);
            return;
        }
        // Still open: held by a live process (stand aside again), or by one that stopped
        // (the store hands the problem over).
        alertFiring(alert);
    }));
}

Engine::ApprovalResult EngineState::claimRefused(
    IncidentRecord &r, const ExecutionClaim &claim, const QStringList &approvers)
{
    const QString incidentId = r.incident.id;
    Proposal &p = *r.proposal;
    if (!claim.retryAt && !claim.needsApproval) {
        // Unknown proposal, or the store could not record the claim: nothing runs, a human looks.
        publish(event(EngineEvent::Kind::ApprovalRefused, incidentId, claim.reason, { { u"proposal"_s, p.id } }));
        escalate(incidentId, u"the execution could not be claimed: %1"_s.arg(claim.reason), false);
        return { Engine::ApprovalResult::Status::Refused, claim.reason };
    }
    publish(event(EngineEvent::Kind::GuardrailBlocked, incidentId, u"waiting, nothing runs yet: %1"_s.arg(claim.reason),
        { { u"proposal"_s, p.id }, { u"retry_at"_s, claim.retryAt ? formatTime(*claim.retryAt) : QString() } }));
    if (claim.needsApproval) {
        // Planned again, the `interrupted` guardrail asks a human.
        plan(incidentId, claim.reason);
        return { Engine::ApprovalResult::Status::Refused, claim.reason };
    }
    // What another process wrote: its cooldown, or its execution interrupted by a crash.
    for (const Cooldown &c : m_ports.store->loadCooldowns()) {
        if (c.until > m_cooldowns.value(c.resource).until)
            m_cooldowns.insert(c.resource, c);
    }
    recover();
    if (approvers.isEmpty())
        transition(incidentId, IncidentState::Proposed, u"waiting: %1"_s.arg(claim.reason));
    if (r.retryTimer)
        m_ports.clock->cancel(r.retryTimer);
    r.retryTimer = m_ports.clock->callAt(*claim.retryAt, guarded([this, incidentId, proposalId = p.id, approvers] {
        IncidentRecord *r = record(incidentId);
        if (!r)
            return;
        r->retryTimer = 0;
        if (!r->proposal || r->proposal->id != proposalId || r->proposal->state != Proposal::State::Pending)
            return;
        if (approvers.isEmpty() || m_ports.clock->now() >= r->proposal->expiresAt) {
            plan(incidentId, u"retry"_s);
            return;
        }
        // Approved already: it runs unless a check that needs a human blocks it meanwhile.
        // A block that clears by itself (the cooldown the claim just read) is the claim's
        // to wait out again; re-planning would drop the approval.
        refreshChecks(*r);
        const QList<GuardrailResult> &checks = r->proposal->guardrails;
        const bool needsHuman = std::any_of(checks.cbegin(), checks.cend(), [](const GuardrailResult &g) {
            return g.verdict == GuardrailResult::Verdict::Block && !Guardrails::clearsByItself(g);
        });
        if (needsHuman || r->proposal->decision.mode == Mode::Show)
            plan(incidentId, u"retry"_s);
        else
            execute(incidentId, approvers);
    }));
    // An approval stays recorded: the plan runs once this clears, within its approval window.
    return { Engine::ApprovalResult::Status::Refused,
        approvers.isEmpty() ? claim.reason : u"approved; it runs once this clears: %1"_s.arg(claim.reason) };
}

} // namespace antibody

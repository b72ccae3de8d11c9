#include "models/present/approvalgate.h"

#include "models/present/approvalroster.h"
#include "models/present/humantime.h"
#include "models/present/proposalbook.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace antibody {
void ApprovalGate::clear()
{
    const QString disconnected = m_disconnected; // a property of the link, not of the proposal shown
    const QString label = m_heldLabel;
    const QString approver = m_approver;
    *this = ApprovalGate();
    m_disconnected = disconnected;
    m_heldLabel = label;
    m_approver = approver;
}

void ApprovalGate::setDisconnected(const QString &why, const QString &label)
{
    m_disconnected = why;
    m_heldLabel = label;
}

bool ApprovalGate::heldByDisconnection() const
{
    return !m_disconnected.isEmpty()
        && (m_state == State::Armed || m_state == State::Blocked || m_state == State::Stale || m_state == State::Sent);
}

void ApprovalGate::setNotYours(const QString &why)
{
    m_notYours = why;
}

void ApprovalGate::setApprover(const QString &person)
{
    m_approver = person;
    if (m_state != State::Stale)
        settle();
}

bool ApprovalGate::approvedHere() const
{
    // This console's approval was accepted, or the plan names its person among those who
    // count (approved before a reconnect, or from another console): nothing more to click.
    return m_accepted || (!m_approver.isEmpty() && m_shown && ApprovalRoster::of(*m_shown).has(m_approver));
}

bool ApprovalGate::canRequest() const
{
    return m_state == State::Closed && m_disconnected.isEmpty() && m_shown && m_shown->state == Proposal::State::Pending
        && m_shown->decision.mode == Mode::Show && m_shown->requestedBy.isEmpty();
}

bool ApprovalGate::requestedHere() const
{
    return m_shown && !m_approver.isEmpty() && m_shown->requestedBy == m_approver;
}

QString ApprovalGate::approvedBy() const
{
    return ApprovalRoster::of(*m_shown).names();
}

QString ApprovalGate::people() const
{
    // A sentence of the roster's line: "Approved by alice; 1 more approval needed."
    const QString line = ApprovalRoster::of(*m_shown).summary();
    return line.isEmpty() ? QString() : line.left(1).toUpper() + line.mid(1) + u"."_s;
}

void ApprovalGate::show(const Proposal &proposal)
{
    m_shown = proposal;
    m_notYours.clear();
    m_replacement.reset();
    m_changes.clear();
    m_replacedEarlier = false;
    m_refusal.clear();
    m_accepted = false;
    m_acceptance.clear();
    settle();
}

void ApprovalGate::offer(const Proposal &proposal)
{
    if (!m_shown || m_shown->incidentId != proposal.incidentId) {
        if (!m_shown)
            show(proposal);
        return;
    }
    const bool samePlan = proposal.plan.fingerprint == m_shown->plan.fingerprint;
    if (proposal.id == m_shown->id && samePlan) {
        m_shown = proposal; // a state change of the plan on screen
        // The update can come before the answer to this console's approval: wait for the answer.
        const bool answerDue = m_state == State::Sent && ProposalBook::waitsForHuman(proposal) && !proposal.blocked()
            && proposal.blockReason().isEmpty();
        if (m_state != State::Stale && !answerDue)
            settle();
        return;
    }
    if (m_replacement && proposal.id == m_replacement->id) {
        m_replacement = proposal;
        return;
    }
    if (proposal.id != m_shown->id && proposal.state == Proposal::State::Superseded)
        return; // an older proposal being retired: nothing to show
    m_replacement = proposal;
    m_changes = proposal.plan.differencesFrom(m_shown->plan);
    if (m_changes.isEmpty() && m_shown->state == Proposal::State::Expired)
        // An approval binds to a plan for a bounded time: after it, the engineer looks again.
        m_changes << tr("the approval window of the plan you were reading closed at %1; the engine made the plan "
                        "again and its steps and targets read the same")
                         .arg(formatClockTime(m_shown->expiresAt));
    else if (m_changes.isEmpty())
        m_changes << tr("the plan was made again; its steps and targets read the same");
    m_state = State::Stale;
}

void ApprovalGate::acknowledge()
{
    if (m_state != State::Stale || !m_replacement)
        return;
    const QStringList changes = m_changes;
    show(*m_replacement);
    m_changes = changes;
    m_replacedEarlier = true;
}

void ApprovalGate::markSent()
{
    if (m_state == State::Armed)
        m_state = State::Sent;
}

void ApprovalGate::answered(bool accepted, const QString &message)
{
    // A refusal is kept whatever the state: the engine's update of the proposal
    // (blocked now, expired) often arrives before its answer, and the person who
    // clicked must still read why nothing happened.
    m_refusal = accepted ? QString() : message;
    if (m_state != State::Sent)
        return;
    if (accepted) {
        m_accepted = true;
        m_acceptance = message;
        m_state = State::Closed;
        return;
    }
    settle();
}

void ApprovalGate::settle()
{
    if (!m_shown) {
        m_state = State::Empty;
        return;
    }
    const Proposal &p = *m_shown;
    if (p.blocked() || !p.blockReason().isEmpty())
        m_state = State::Blocked;
    else if (ProposalBook::waitsForHuman(p) && !approvedHere())
        m_state = State::Armed;
    else
        m_state = State::Closed;
}

QString ApprovalGate::buttonText() const
{
    if (heldByDisconnection())
        return m_heldLabel.isEmpty() ? tr("Disconnected") : m_heldLabel;
    switch (m_state) {
    case State::Empty:
        return tr("Approve");
    case State::Armed:
        if (requestedHere())
            return tr("Requested by you");
        return m_notYours.isEmpty() ? tr("Approve") : tr("Not yours to approve");
    case State::Blocked:
        return tr("Blocked by a guardrail");
    case State::Stale:
        return tr("Plan changed: review it first");
    case State::Sent:
        return tr("Approving…");
    case State::Closed:
        break;
    }
    switch (m_shown->state) {
    case Proposal::State::Approved:
    case Proposal::State::Executing:
    case Proposal::State::Executed:
        return tr("Approved");
    case Proposal::State::Denied:
        return tr("Denied");
    case Proposal::State::Expired:
        return tr("Expired");
    case Proposal::State::Superseded:
        return tr("Replaced");
    case Proposal::State::Pending:
        if (approvedHere())
            return tr("Approved");
        break;
    }
    return m_shown->decision.mode == Mode::Auto ? tr("Runs automatically") : tr("Checklist only");
}

QString ApprovalGate::reason() const
{
    if (heldByDisconnection())
        return m_disconnected;
    switch (m_state) {
    case State::Empty:
        return tr("Select an incident to see its proposal.");
    case State::Armed:
        if (requestedHere())
            return tr("You requested this run: it waits for someone else's approval. %1").arg(people()).trimmed();
        if (!m_notYours.isEmpty())
            return tr("Waits for someone else's approval: %1").arg(m_notYours);
        if (!m_refusal.isEmpty())
            return refusalText();
        if (m_shown->approvalsRequired > 1 || !ApprovalRoster::of(*m_shown).counted().isEmpty())
            return people();
        return {};
    case State::Blocked:
        return m_refusal.isEmpty() ? m_shown->blockReason() : refusalText();
    case State::Stale:
        if (!m_refusal.isEmpty())
            return tr("%1 A new plan replaced the one shown: review it before approving.").arg(refusalText());
        return tr("A new plan replaced the one shown. Review the new plan before approving.");
    case State::Sent:
        return tr("Waiting for the engine to confirm.");
    case State::Closed:
        if (!m_refusal.isEmpty())
            return refusalText();
        break;
    }
    switch (m_shown->state) {
    case Proposal::State::Approved:
    case Proposal::State::Executing:
        return approvedBy().isEmpty() ? tr("Approved; the engine is executing it.")
                                      : tr("Approved by %1; the engine is executing it.").arg(approvedBy());
    case Proposal::State::Executed:
        return approvedBy().isEmpty() ? tr("Approved and executed.")
                                      : tr("Approved by %1 and executed.").arg(approvedBy());
    case Proposal::State::Denied:
        return tr("Denied; nothing was executed.");
    case Proposal::State::Expired:
        return tr("The approval window passed; the engine re-plans against the world as it is now.");
    case Proposal::State::Superseded:
        return tr("A newer plan replaced this one.");
    case Proposal::State::Pending:
        // Once the proposal's update names this approval, the roster says who and how many more.
        if (approvedHere() && !ApprovalRoster::of(*m_shown).counted().isEmpty())
            return people();
        if (m_accepted)
            return m_acceptance.isEmpty() ? tr("Approved; waiting for the engine to start.") : m_acceptance;
        break;
    }
    if (m_shown->decision.mode == Mode::Auto)
        return tr("Runs within guardrails without waiting; on-call is notified after.");
    if (canRequest())
        return tr("Level 1: the steps are a checklist for a human; nothing runs automatically. To have the engine "
                  "run them, request a run (Alt+Q): someone else then approves it.");
    return tr("Level 0–1: the steps are a checklist for a human; nothing runs automatically.");
}

QString ApprovalGate::refusalText() const
{
    return tr("The engine refused: %1").arg(m_refusal);
}

} // namespace antibody

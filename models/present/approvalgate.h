#pragma once

#include "engine/domain/proposal.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <optional>

namespace antibody {

// Decides whether the Approve button may be pressed, and for which plan. An
// approval must bind to the plan on the engineer's screen: when the engine
// re-plans while a proposal is shown, the button disarms, the new plan waits
// behind a banner that says what changed, and only once the engineer has looked
// at it does the button re-arm, for the new fingerprint only.
class ApprovalGate
{
    Q_DECLARE_TR_FUNCTIONS(ApprovalGate)

public:
    enum class State {
        Empty, // no proposal shown
        Armed, // waits for a human; Approve sends the shown fingerprint
        Blocked, // a guardrail blocks: nothing may run, approved or not
        Stale, // a newer plan arrived; the one shown can no longer be approved
        Sent, // approval sent; waiting for the engine's answer
        Closed, // does not wait for a human (approved, executing, denied, expired, automatic, checklist)
    };

    void clear();
    // Shows a proposal (the engineer selected its incident).
    void show(const Proposal &proposal);
    // An update from the engine for the incident on screen.
    void offer(const Proposal &proposal);
    // The engineer asked to see the replacement plan: it becomes the shown one.
    void acknowledge();
    void markSent();
    // The engine's answer to the approval; a refusal re-arms if the proposal still waits.
    void answered(bool accepted, const QString &message);
    // The console cannot reach the engine (a team server went away): `why`, in one line;
    // empty when it can again. Nothing may be approved or denied on what may be stale.
    // `label` is what Approve says meanwhile ("Disconnected" when empty).
    void setDisconnected(const QString &why, const QString &label = {});
    // Why this console's person may not approve the plan shown (the team server's policy);
    // empty: they may. Set after each show() or offer(): show() forgets it.
    void setNotYours(const QString &why);
    const QString &notYours() const { return m_notYours; }
    // Who approves at this console ("alice"): a plan that counts their approval already
    // waits for someone else, not for another click here.
    void setApprover(const QString &person);

    State state() const { return m_state; }
    bool canApprove() const
    {
        return m_state == State::Armed && m_disconnected.isEmpty() && m_notYours.isEmpty() && !requestedHere();
    }
    // A plan the engine only shows (a level 1 checklist) that this console's person may ask
    // it to run; someone else then approves it.
    bool canRequest() const;
    // This console's person requested the plan shown: their approval never counts.
    bool requestedHere() const;
    bool canDeny() const { return (m_state == State::Armed || m_state == State::Blocked) && m_disconnected.isEmpty(); }
    // This console's person approved the plan shown: it waits for someone else, if anyone.
    bool approvedHere() const;
    // Whether a decision would be possible, or a click awaited, but for the lost connection.
    bool heldByDisconnection() const;
    const std::optional<Proposal> &shown() const { return m_shown; }
    const std::optional<Proposal> &replacement() const { return m_replacement; }
    QString shownFingerprint() const { return m_shown ? m_shown->plan.fingerprint : QString(); }
    // For the banner: how the replacement differs from the plan shown (while Stale),
    // or how the plan shown differs from the one it replaced (after acknowledge()).
    const QStringList &changes() const { return m_changes; }
    bool replacedEarlierPlan() const { return m_replacedEarlier; }

    QString buttonText() const;
    // Why the button is in its state, in one line; empty when armed and nothing to add.
    QString reason() const;

private:
    void settle();
    QString refusalText() const;
    QString approvedBy() const;
    QString people() const;

    State m_state = State::Empty;
    std::optional<Proposal> m_shown;
    std::optional<Proposal> m_replacement;
    QStringList m_changes;
    bool m_replacedEarlier = false;
    QString m_refusal;
    bool m_accepted = false; // this console's approval was accepted (the proposal's update may still be on its way)
    QString m_acceptance; // what the engine said when it accepted: "1 more approver needed"
    QString m_disconnected; // why the engine cannot be reached; empty while it can
    QString m_heldLabel;
    QString m_approver;
    QString m_notYours;
};

} // namespace antibody

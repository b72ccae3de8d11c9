#pragma once

#include "models/present/approvalgate.h"

#include <QPointer>
#include <QWidget>

class QFrame;
class QLabel;
class QLineEdit;
class QPushButton;

namespace antibody {

class EngineCommands;

// Approve (one click, or Ctrl+Return) and Deny (with a reason) for the proposal
// on screen, Request a run (with a reason) for a checklist the engine only shows, with the banner that appears when the
// engine re-plans under the engineer's eyes. The approval always carries the fingerprint of the plan shown.
class ApprovalBar : public QWidget
{
    Q_OBJECT
public:
    explicit ApprovalBar(EngineCommands *commands, QWidget *parent = nullptr);

    void showProposal(const Proposal &proposal);
    void offer(const Proposal &proposal);
    void clear();
    // Why this console's person may not approve the plan shown; empty: they may.
    void setNotYours(const QString &why);
    const ApprovalGate &gate() const { return m_gate; }
    // "Approving runs reset_pool on checkout-svc-1, checkout-svc-2 now."
    static QString whatApprovalDoes(const Proposal &proposal);

Q_SIGNALS:
    // The proposal to render changed (a new one was shown, or the engineer asked to see the replacement).
    void shownChanged();

private:
    void approve();
    // The reason row serves a denial and a request: what it asks for, and what its button sends.
    enum class Asking { Nothing, Denial, Request };
    void startDeny();
    void startRequest();
    void ask(Asking what);
    void confirmReason();
    void cancelDeny();
    void onAnswered(const QString &proposalId, bool accepted, const QString &message);
    void refresh();

    QPointer<EngineCommands> m_commands;
    ApprovalGate m_gate;
    QFrame *m_banner;
    QLabel *m_bannerText;
    QPushButton *m_review;
    QLabel *m_reason;
    QPushButton *m_approve;
    QPushButton *m_deny;
    QPushButton *m_request;
    QWidget *m_denyRow;
    QLineEdit *m_denyReason;
    QPushButton *m_confirmDeny;
    Asking m_asking = Asking::Nothing;
    bool m_denialSent = false;
    bool m_requestSent = false;
};

} // namespace antibody

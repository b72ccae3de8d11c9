#include "ui/approvalbar.h"

#include "models/link/enginecommands.h"
#include "models/present/connectionnotice.h"
#include "ui/consolepalette.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {

ApprovalBar::ApprovalBar(EngineCommands *commands, QWidget *parent)
    : QWidget(parent)
    , m_commands(commands)
    , m_banner(new QFrame(this))
    , m_bannerText(new QLabel(m_banner))
    , m_review(new QPushButton(tr("Show the new plan"), m_banner))
    , m_reason(new QLabel(this))
    , m_approve(new QPushButton(tr("Approve"), this))
    , m_deny(new QPushButton(tr("&Deny…"), this))
    , m_request(new QPushButton(tr("Re&quest a run…"), this))
    , m_denyRow(new QWidget(this))
    , m_denyReason(new QLineEdit(m_denyRow))
    , m_confirmDeny(new QPushButton(tr("Deny"), m_denyRow))
{
    m_banner->setObjectName(u"planChangedBanner"_s);
    m_banner->setFrameShape(QFrame::StyledPanel);
    m_banner->setAutoFillBackground(true);
    m_bannerText->setObjectName(u"planChangedText"_s);
    m_bannerText->setWordWrap(true);
    m_bannerText->setTextFormat(Qt::RichText);
    m_review->setObjectName(u"reviewPlanButton"_s);
    auto *bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->addWidget(m_bannerText, 1);
    bannerLayout->addWidget(m_review, 0, Qt::AlignTop);
    m_banner->hide();

    m_reason->setObjectName(u"approvalReason"_s);
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_approve->setObjectName(u"approveButton"_s);
    m_approve->setDefault(true);
    m_approve->setMinimumWidth(160);
    m_approve->setMinimumHeight(34);
    QFont bold = m_approve->font();
    bold.setBold(true);
    m_approve->setFont(bold);
    m_approve->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_approve->setToolTip(tr("Approve the plan shown (Ctrl+Return)"));
    m_deny->setObjectName(u"denyButton"_s);
    m_deny->setToolTip(tr("Deny, with a reason for the audit log"));
    m_request->setObjectName(u"requestRunButton"_s);
    m_request->setToolTip(tr("Ask the engine to run this checklist, with a reason; someone else approves it "
                             "(Alt+Q)"));

    m_denyRow->setObjectName(u"denyRow"_s);
    m_denyReason->setObjectName(u"denyReason"_s);
    m_denyReason->setPlaceholderText(tr("Why deny? The reason goes into the audit log."));
    m_denyReason->setMaxLength(500);
    m_confirmDeny->setObjectName(u"confirmDenyButton"_s);
    auto *cancel = new QPushButton(tr("Cancel"), m_denyRow);
    cancel->setObjectName(u"cancelDenyButton"_s);
    auto *denyLayout = new QHBoxLayout(m_denyRow);
    denyLayout->setContentsMargins(0, 0, 0, 0);
    denyLayout->addWidget(m_denyReason, 1);
    denyLayout->addWidget(m_confirmDeny);
    denyLayout->addWidget(cancel);
    m_denyRow->hide();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_reason, 1);
    buttons->addWidget(m_request);
    buttons->addWidget(m_deny);
    buttons->addWidget(m_approve);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_banner);
    layout->addLayout(buttons);
    layout->addWidget(m_denyRow);

    // Keypad Enter too: the key under a tired hand.
    auto *enter = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), this);
    connect(enter, &QShortcut::activated, this, &ApprovalBar::approve);
    connect(m_approve, &QPushButton::clicked, this, &ApprovalBar::approve);
    connect(m_deny, &QPushButton::clicked, this, &ApprovalBar::startDeny);
    connect(m_request, &QPushButton::clicked, this, &ApprovalBar::startRequest);
    connect(m_confirmDeny, &QPushButton::clicked, this, &ApprovalBar::confirmReason);
    connect(m_denyReason, &QLineEdit::returnPressed, this, &ApprovalBar::confirmReason);
    connect(m_denyReason, &QLineEdit::textChanged, this, [this] { refresh(); });
    connect(cancel, &QPushButton::clicked, this, &ApprovalBar::cancelDeny);
    connect(m_review, &QPushButton::clicked, this, [this] {
        m_gate.acknowledge();
        refresh();
        Q_EMIT shownChanged();
    });
    if (m_commands) {
        connect(m_commands, &EngineCommands::answered, this, &ApprovalBar::onAnswered);
        connect(m_commands, &EngineCommands::connectionChanged, this, [this](const ConnectionState &state) {
            m_gate.setDisconnected(ConnectionNotice::approvalBlock(state), ConnectionNotice::approvalLabel(state));
            m_gate.setApprover(m_commands->approver()); // a team server names who it admitted as it connects
            refresh();
        });
        m_gate.setDisconnected(ConnectionNotice::approvalBlock(m_commands->connection()),
            ConnectionNotice::approvalLabel(m_commands->connection()));
        m_gate.setApprover(m_commands->approver());
    }
    refresh();
}

void ApprovalBar::showProposal(const Proposal &proposal)
{
    m_gate.show(proposal);
    m_denialSent = false;
    m_requestSent = false;
    cancelDeny();
    Q_EMIT shownChanged();
}

void ApprovalBar::offer(const Proposal &proposal)
{
    const QString before = m_gate.shown() ? m_gate.shown()->id : QString();
    m_gate.offer(proposal);
    refresh();
    if (m_gate.shown() && m_gate.shown()->id == proposal.id && m_gate.state() != ApprovalGate::State::Stale)
        Q_EMIT shownChanged(); // the plan on screen changed state: re-render it
    else if (before.isEmpty() && m_gate.shown())
        Q_EMIT shownChanged();
}

void ApprovalBar::setNotYours(const QString &why)
{
    if (why == m_gate.notYours())
        return;
    m_gate.setNotYours(why);
    refresh();
    Q_EMIT shownChanged(); // the card's headline says whose approval it waits for
}

void ApprovalBar::clear()
{
    m_gate.clear();
    cancelDeny();
    Q_EMIT shownChanged();
}

void ApprovalBar::approve()
{
    if (!m_gate.canApprove() || !m_commands || !isVisible())
        return;
    const QString id = m_gate.shown()->id;
    const QString fingerprint = m_gate.shownFingerprint();
    m_gate.markSent();
    refresh();
    m_commands->approve(id, fingerprint);
}

void ApprovalBar::startDeny()
{
    if (m_gate.canDeny())
        ask(Asking::Denial);
}

void ApprovalBar::startRequest()
{
    if (m_gate.canRequest() && !m_requestSent && isVisible())
        ask(Asking::Request);
}

void ApprovalBar::ask(Asking what)
{
    m_asking = what;
    const bool denial = what == Asking::Denial;
    m_denyReason->setPlaceholderText(denial
            ? tr("Why deny? The reason goes into the audit log.")
            : tr("Why should the engine run it? Whoever approves it reads this, and so does the audit log."));
    m_confirmDeny->setText(denial ? tr("Deny") : tr("Request"));
    m_denyRow->show();
    m_denyReason->setFocus();
    refresh();
}

void ApprovalBar::confirmReason()
{
    const QString reason = m_denyReason->text().trimmed();
    if (reason.isEmpty() || !m_commands || !m_gate.shown())
        return;
    if (m_asking == Asking::Denial && m_gate.canDeny()) {
        m_denialSent = true;
        m_commands->deny(m_gate.shown()->id, m_gate.shownFingerprint(), reason);
    } else if (m_asking == Asking::Request && m_gate.canRequest()) {
        m_requestSent = true;
        m_commands->request(m_gate.shown()->id, m_gate.shownFingerprint(), reason);
    } else {
        return;
    }
    cancelDeny();
}

void ApprovalBar::cancelDeny()
{
    m_asking = Asking::Nothing;
    m_denyReason->clear();
    m_denyRow->hide();
    refresh();
}

void ApprovalBar::onAnswered(const QString &proposalId, bool accepted, const QString &message)
{
    if (!m_gate.shown() || m_gate.shown()->id != proposalId)
        return;
    // The answer arrived: the bar says what it was (denied, or why not) from the gate;
    // after a refusal the engineer may try again.
    m_denialSent = false;
    m_requestSent = false;
    m_gate.answered(accepted, message);
    refresh();
}

QString ApprovalBar::whatApprovalDoes(const Proposal &proposal)
{
    QStringList parts;
    for (const PlannedStep &s : proposal.plan.steps) {
        if (s.effect != Effect::Mutates)
            continue;
        if (s.blastRadius && !s.blastRadius->chosen.isEmpty())
            parts << tr("%1 on %2").arg(s.name, s.blastRadius->chosen.join(u", "_s));
        else
            parts << s.name;
    }
    if (parts.isEmpty())
        return tr("Approving runs the plan's steps; none of them changes a system.");
    return tr("Approving runs %1 now.").arg(parts.join(u"; "_s));
}

void ApprovalBar::refresh()
{
    const ConsolePalette colours = ConsolePalette::from(palette());
    const bool stale = m_gate.state() == ApprovalGate::State::Stale;
    const bool replaced = m_gate.replacedEarlierPlan() && !m_gate.changes().isEmpty();
    m_banner->setVisible(stale || replaced);
    if (stale || replaced) {
        QPalette p = m_banner->palette();
        p.setColor(QPalette::Window, colours.bannerBackground);
        p.setColor(QPalette::WindowText, colours.bannerText);
        m_banner->setPalette(p);
        QString items;
        for (const QString &change : m_gate.changes())
            items += u"<li>%1</li>"_s.arg(change.toHtmlEscaped());
        m_bannerText->setText(stale
                ? tr("<b>The engine made a new plan while you were reading this one.</b> What changed:<ul>%1</ul>"
                     "The plan below can no longer be approved.")
                      .arg(items)
                : tr("<b>This plan replaced the one you were reading.</b> What changed:<ul>%1</ul>").arg(items));
    }
    m_review->setVisible(stale);

    m_approve->setText(m_gate.buttonText());
    m_approve->setEnabled(m_gate.canApprove());
    QString reason = m_denialSent ? tr("Denial sent; waiting for the engine.")
        : m_requestSent           ? tr("Request sent; waiting for the engine.")
                                  : m_gate.reason();
    if (reason.isEmpty() && m_gate.canApprove())
        reason = whatApprovalDoes(*m_gate.shown());
    m_reason->setText(reason);
    m_approve->setToolTip(m_gate.canApprove() ? tr("Approve the plan shown (Ctrl+Return)") : reason);
    const bool blocked = m_gate.state() == ApprovalGate::State::Blocked || m_gate.heldByDisconnection();
    m_reason->setStyleSheet(blocked ? u"color: %1; font-weight: bold;"_s.arg(colours.blocked.name()) : QString());
    m_deny->setEnabled(m_gate.canDeny() && !m_denialSent && m_denyRow->isHidden());
    m_request->setVisible(m_gate.canRequest());
    m_request->setEnabled(!m_requestSent && m_denyRow->isHidden());
    m_confirmDeny->setEnabled(!m_denyReason->text().trimmed().isEmpty());
}

} // namespace antibody

#include "ui/proposalcard.h"

#include "engine/pipeline/diagnosisfindings.h"
#include "models/present/approvalroster.h"
#include "models/present/humantime.h"
#include "ui/approvalbar.h"
#include "ui/consolepalette.h"
#include "ui/guardrailchecklist.h"
#include "ui/panellabels.h"
#include "ui/planstepsview.h"

#include <QFrame>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {

ProposalCard::ProposalCard(EngineCommands *commands, QWidget *parent)
    : QWidget(parent)
    , m_scroll(new QScrollArea(this))
    , m_bar(new ApprovalBar(commands, this))
{
    auto *content = new QWidget;
    m_title = selectableLabel(content, u"proposalRunbook"_s);
    m_mode = selectableLabel(content, u"proposalMode"_s);
    m_approvals = selectableLabel(content, u"proposalApprovals"_s);
    m_viewersLabel = selectableLabel(content, u"proposalViewers"_s);
    // Names come from other people's consoles: shown as text, never as markup.
    m_approvals->setTextFormat(Qt::PlainText);
    m_viewersLabel->setTextFormat(Qt::RichText);
    m_trigger = selectableLabel(content, u"proposalTrigger"_s);
    m_reasons = selectableLabel(content, u"proposalReasons"_s);
    m_diagnosis = selectableLabel(content, u"proposalDiagnosis"_s);
    m_fingerprint = selectableLabel(content, u"proposalFingerprint"_s);
    m_fingerprint->setForegroundRole(QPalette::PlaceholderText);
    m_progressLabel = selectableLabel(content, u"executionProgress"_s);
    m_steps = new PlanStepsView(content);
    m_steps->setObjectName(u"planSteps"_s);
    m_guardrails = new GuardrailChecklist(content);
    m_guardrails->setObjectName(u"guardrails"_s);

    auto *layout = new QVBoxLayout(content);
    layout->addWidget(m_title);
    layout->addWidget(m_mode);
    layout->addWidget(m_approvals);
    layout->addWidget(m_viewersLabel);
    layout->addWidget(m_trigger);
    layout->addWidget(m_reasons);
    layout->addWidget(m_diagnosis);
    layout->addWidget(m_progressLabel);
    layout->addWidget(sectionTitle(tr("Plan"), content));
    layout->addWidget(m_steps);
    layout->addWidget(sectionTitle(tr("Guardrails"), content));
    layout->addWidget(m_guardrails);
    layout->addWidget(m_fingerprint);
    layout->addStretch(1);
    m_scroll->setWidget(content);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_scroll, 1);
    auto *line = new QFrame(this);
    line->setFrameShape(QFrame::HLine);
    outer->addWidget(line);
    outer->addWidget(m_bar);
    connect(m_bar, &ApprovalBar::shownChanged, this, &ProposalCard::render);
    render();
}

QString ProposalCard::modeHeadline(const Proposal &proposal)
{
    if (proposal.blocked())
        return tr("Blocked: nothing will run; a human is paged");
    switch (proposal.decision.mode) {
    case Mode::Approve:
        return proposal.state == Proposal::State::Pending ? tr("Waits for your approval") : tr("Needed approval");
    case Mode::Auto:
        return tr("Runs automatically within guardrails; on-call is notified after");
    case Mode::Show:
        return tr("Checklist: a human runs these steps");
    case Mode::Blocked:
        break;
    }
    return {};
}

void ProposalCard::setIncident(const Incident &incident, const Runbook *runbook)
{
    m_incident = incident;
    m_runbook = runbook ? std::optional<Runbook>(*runbook) : std::nullopt;
    renderContext();
}

void ProposalCard::showProposal(const Proposal &proposal)
{
    m_progress.reset();
    m_bar->showProposal(proposal);
}

void ProposalCard::offer(const Proposal &proposal)
{
    m_bar->offer(proposal);
}

void ProposalCard::clear()
{
    m_progress.reset();
    m_bar->clear();
}

void ProposalCard::setProgress(const ExecutionProgress &progress)
{
    m_progress = progress;
    m_steps->setProgress(progress);
    m_progressLabel->setVisible(progress.started());
    m_progressLabel->setText(u"<b>%1</b>"_s.arg(progress.summary().toHtmlEscaped()));
}

void ProposalCard::setNow(TimePoint now)
{
    m_now = now;
    renderPeople();
}

void ProposalCard::setViewers(const QStringList &viewers)
{
    m_viewers = viewers;
    renderPeople();
}

void ProposalCard::renderPeople()
{
    const auto &shown = m_bar->gate().shown();
    if (shown) {
        const Proposal &p = *shown;
        const ConsolePalette colours = ConsolePalette::from(palette());
        const QColor modeColour = p.blocked()  ? colours.blocked
            : p.decision.mode == Mode::Approve ? colours.waiting
            : p.decision.mode == Mode::Auto    ? colours.ok
                                               : colours.muted;
        // Once this console's person approved, or when the policy does not let them, the
        // plan waits for someone else, not for them.
        const ApprovalGate &gate = m_bar->gate();
        const QString headline = p.decision.mode == Mode::Approve && p.state == Proposal::State::Pending && !p.blocked()
                && (gate.approvedHere() || !gate.notYours().isEmpty() || gate.requestedHere())
            ? (gate.requestedHere() ? tr("Requested by you: waits for another person's approval")
                                    : tr("Waits for another person's approval"))
            : modeHeadline(p);
        m_mode->setText(u"<b style='color:%1'>%2</b> · %3"_s.arg(
            modeColour.name(), headline.toHtmlEscaped(), proposalStateText(p.state)));
    }
    const QString approvals
        = shown && shown->decision.mode == Mode::Approve ? ApprovalRoster::of(*shown).detail(m_now) : QString();
    m_approvals->setText(approvals);
    m_approvals->setVisible(!approvals.isEmpty());
    // Someone else on it already: talk before two people act on one incident.
    m_viewersLabel->setText(m_viewers.isEmpty()
            ? QString()
            : u"<b>%1</b>"_s.arg(tr("Also looking: %1").arg(m_viewers.join(u", "_s)).toHtmlEscaped()));
    m_viewersLabel->setVisible(!m_viewers.isEmpty());
}

void ProposalCard::renderContext()
{
    QString trigger;
    if (m_runbook && !m_runbook->trigger.text.isEmpty())
        trigger = tr("Trigger: <code>%1</code>").arg(m_runbook->trigger.text.toHtmlEscaped());
    else if (m_incident)
        trigger = tr("Alert: <code>%1</code>").arg(m_incident->title.toHtmlEscaped());
    if (m_incident)
        trigger += tr(" · confidence <b>%1</b>").arg(confidenceText(m_incident->confidence));
    m_trigger->setText(trigger);
    QStringList findings;
    if (m_incident) {
        for (const QString &finding : diagnosisFindings(*m_incident, m_runbook ? &*m_runbook : nullptr).mid(0, 8))
            findings << finding.toHtmlEscaped();
    }
    m_diagnosis->setText(
        findings.isEmpty() ? tr("Diagnosis: not collected yet") : tr("Diagnosis: %1").arg(findings.join(u" · "_s)));
}

void ProposalCard::render()
{
    const auto &shown = m_bar->gate().shown();
    m_scroll->widget()->setVisible(shown.has_value());
    if (!shown) {
        m_renderedKey.clear();
        return;
    }
    const Proposal &p = *shown;
    renderContext();
    renderPeople(); // approvals arrive without a change of plan or state
    // The mode too: a requested checklist becomes a plan that waits, with its reasons.
    const QString key = u"%1|%2|%3|%4"_s.arg(p.id, p.plan.fingerprint).arg(int(p.state)).arg(int(p.decision.mode));
    if (key == m_renderedKey)
        return; // the same plan in the same state: keep the widgets (and the engineer's scroll position)
    m_renderedKey = key;
    m_title->setText(u"<span style='font-size:large'><b>%1</b></span>"_s.arg(p.plan.runbook.toHtmlEscaped()));

    m_reasons->setText(p.decision.reasons.isEmpty() ? QString() : tr("Why: %1").arg(p.decision.reasons.join(u"; "_s)));

    m_fingerprint->setText(tr("Plan %1 · made %2 UTC on data from %3 UTC · expires %4 UTC")
                               .arg(p.plan.shortFingerprint(), formatClockTime(p.plan.madeAt),
                                   formatClockTime(p.plan.dataAsOf), formatClockTime(p.expiresAt)));
    m_steps->setPlan(p.plan);
    if (m_progress)
        m_steps->setProgress(*m_progress);
    m_progressLabel->setVisible(m_progress && m_progress->started());
    m_guardrails->setGuardrails(p.guardrails);
}

} // namespace antibody

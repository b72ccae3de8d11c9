#include "ui/editor/dryrunpanel.h"

#include "models/present/humantime.h"
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
DryRunPanel::DryRunPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"dryRunPanel"_s);
    auto *scroll = new QScrollArea(this);
    m_body = new QWidget;
    m_status = selectableLabel(this, u"dryRunStatus"_s);
    m_mode = selectableLabel(m_body, u"dryRunMode"_s);
    m_subject = selectableLabel(m_body, u"dryRunSubject"_s);
    m_skipped = selectableLabel(m_body, u"dryRunSkipped"_s);
    m_footer = selectableLabel(m_body, u"dryRunFooter"_s);
    m_footer->setForegroundRole(QPalette::PlaceholderText);
    m_steps = new PlanStepsView(m_body);
    m_steps->setObjectName(u"dryRunPlan"_s);
    m_guardrails = new GuardrailChecklist(m_body);
    m_guardrails->setObjectName(u"dryRunGuardrails"_s);

    auto *layout = new QVBoxLayout(m_body);
    layout->addWidget(m_mode);
    layout->addWidget(m_subject);
    layout->addWidget(sectionTitle(tr("Plan"), m_body));
    layout->addWidget(m_steps);
    layout->addWidget(m_skipped);
    layout->addWidget(sectionTitle(tr("Guardrails"), m_body));
    layout->addWidget(m_guardrails);
    layout->addWidget(m_footer);
    layout->addStretch(1);
    scroll->setWidget(m_body);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_status);
    outer->addWidget(scroll, 1);
    clear();
}

QString DryRunPanel::headline(const Proposal &proposal)
{
    if (proposal.blocked())
        return tr("Would be blocked: nothing would run, a human would be paged");
    switch (proposal.decision.mode) {
    case Mode::Auto:
        return tr("Would run automatically within guardrails; on-call notified after");
    case Mode::Approve:
        return tr("Would wait for a human's approval");
    case Mode::Show:
        return tr("Would be shown as a checklist for a human to run");
    case Mode::Blocked:
        break;
    }
    return {};
}

void DryRunPanel::clear()
{
    m_status->setText(tr("Dry run shows what this runbook would do to the fleet now, executing nothing. "
                         "Press Dry run (Ctrl+D)."));
    m_body->setVisible(false);
}

void DryRunPanel::showRunning(const QString &runbook)
{
    m_status->setText(tr("Dry run of <b>%1</b>: planning against the current state…").arg(runbook.toHtmlEscaped()));
}

void DryRunPanel::showReport(const DryRunReport &report)
{
    const ConsolePalette colours = ConsolePalette::from(palette());
    if (!report.error.isEmpty()) {
        m_status->setText(tr("<span style='color:%1'><b>No dry run:</b></span> %2")
                              .arg(colours.blocked.name(), report.error.toHtmlEscaped()));
        m_body->setVisible(false);
        return;
    }
    const Proposal &p = report.proposal;
    m_status->setText(tr("Dry run of <b>%1</b> against %2 — <b>nothing was executed</b>")
                          .arg(report.runbook.toHtmlEscaped(), report.environment.toHtmlEscaped()));
    const QColor colour = p.blocked() ? colours.blocked : p.decision.mode == Mode::Auto ? colours.ok : colours.waiting;
    QString mode
        = u"<span style='color:%1; font-size:large'><b>%2</b></span>"_s.arg(colour.name(), headline(p).toHtmlEscaped());
    if (!p.decision.reasons.isEmpty()) {
        QStringList reasons;
        for (const QString &r : p.decision.reasons)
            reasons << r.toHtmlEscaped();
        mode += u"<br>"_s + tr("Why: %1").arg(reasons.join(u"; "_s));
    }
    m_mode->setText(mode);
    QStringList labels;
    for (auto it = report.subject.labels.cbegin(); it != report.subject.labels.cend(); ++it)
        labels << u"%1=\"%2\""_s.arg(it.key(), it.value());
    m_subject->setText(tr("Planned for: %1<br><code>{%2}</code>")
                           .arg(report.subject.explanation.toHtmlEscaped(), labels.join(u", "_s).toHtmlEscaped()));
    m_steps->setPlan(p.plan);
    m_skipped->setVisible(!p.plan.skipped.isEmpty());
    QStringList skipped;
    for (const QString &s : p.plan.skipped)
        skipped << s.toHtmlEscaped();
    m_skipped->setText(tr("Ruled out by the diagnosis: %1").arg(skipped.join(u"; "_s)));
    m_guardrails->setGuardrails(p.guardrails);
    m_footer->setText(tr("Plan %1 · data as of %2 UTC · runbook version %3")
                          .arg(p.plan.shortFingerprint(), formatClockTime(p.plan.dataAsOf),
                              QString::fromLatin1(report.runbookHash.toHex().left(12))));
    m_body->setVisible(true);
}

} // namespace antibody

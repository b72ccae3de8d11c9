#include "ui/planstepsview.h"

#include "engine/runbook/paramtext.h"
#include "ui/blastradiusview.h"
#include "ui/consolepalette.h"
#include "ui/hintlabel.h"

#include <QFrame>
#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {

PlanStepsView::PlanStepsView(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(6);
}

QString PlanStepsView::statusMark(const StepProgress &step)
{
    switch (step.status) {
    case StepProgress::Status::Pending:
        return tr("○ pending");
    case StepProgress::Status::Running:
        return step.pass > 1 ? tr("◐ running, pass %1").arg(step.pass) : tr("◐ running");
    case StepProgress::Status::Succeeded:
        return step.pass > 1 ? tr("✓ succeeded in %1 passes").arg(step.pass) : tr("✓ succeeded");
    case StepProgress::Status::Skipped:
        return tr("– skipped");
    default:
        return u"✗ "_s + StepProgress::statusText(step.status);
    }
}

QWidget *PlanStepsView::makeStep(int number, const PlannedStep &step)
{
    const ConsolePalette colours = ConsolePalette::from(palette());
    auto *frame = new QFrame(this);
    frame->setObjectName(u"step_"_s + step.name);
    frame->setFrameShape(QFrame::StyledPanel);
    auto *grid = new QGridLayout(frame);
    grid->setContentsMargins(8, 6, 8, 6);
    grid->setVerticalSpacing(3);
    grid->setColumnStretch(0, 1);

    const bool mutates = step.effect == Effect::Mutates;
    QString kind = tierText(step.tier) + u" · "_s + effectText(step.effect);
    auto *title = new QLabel(
        u"<b>%1. %2</b> &nbsp;%3 &nbsp;<span style='color:%4'>%5</span>"_s.arg(number).arg(step.name.toHtmlEscaped(),
            step.action.toHtmlEscaped(), (mutates ? colours.chosen : colours.muted).name(), kind.toHtmlEscaped()),
        frame);
    grid->addWidget(title, 0, 0);
    auto *status = new QLabel(tr("○ pending"), frame);
    status->setObjectName(u"stepStatus_"_s + step.name);
    grid->addWidget(status, 0, 1, Qt::AlignRight | Qt::AlignTop);
    m_statusLabels.insert(step.name, status);

    int row = 1;
    if (!step.explanation.isEmpty())
        grid->addWidget(new HintLabel(step.explanation, frame), row++, 0, 1, 2);
    if (!step.condition.isEmpty())
        grid->addWidget(new HintLabel(tr("Runs only if %1").arg(step.condition), frame), row++, 0, 1, 2);
    if (!step.params.isEmpty())
        grid->addWidget(new HintLabel(paramsText(step.action, step.params), frame), row++, 0, 1, 2);
    if (step.blastRadius) {
        const BlastRadius &radius = *step.blastRadius;
        auto *summary = new QLabel(u"<b>%1</b>"_s.arg(radius.summary().toHtmlEscaped()), frame);
        summary->setObjectName(u"blastSummary_"_s + step.name);
        summary->setWordWrap(true);
        grid->addWidget(summary, row++, 0, 1, 2);
        auto *view = new BlastRadiusView(frame);
        view->setObjectName(u"blastRadius_"_s + step.name);
        view->setBlastRadius(radius);
        m_blastViews.insert(step.name, view);
        grid->addWidget(view, row++, 0, 1, 2);
        QString touches
            = tr("Touches now: %1").arg(radius.chosen.isEmpty() ? tr("nothing") : radius.chosen.join(u", "_s));
        const int later = static_cast<int>(radius.candidates.size() - radius.chosen.size());
        if (later > 0)
            touches += tr(" · %1 more in later cycles").arg(later);
        auto *targets = new QLabel(touches, frame);
        targets->setObjectName(u"blastTargets_"_s + step.name);
        targets->setWordWrap(true);
        targets->setTextInteractionFlags(Qt::TextSelectableByMouse);
        grid->addWidget(targets, row++, 0, 1, 2);
    }
    return frame;
}

void PlanStepsView::setPlan(const Plan &plan)
{
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_statusLabels.clear();
    m_blastViews.clear();
    int number = 1;
    for (const PlannedStep &step : plan.steps)
        m_layout->addWidget(makeStep(number++, step));
}

void PlanStepsView::setProgress(const ExecutionProgress &progress)
{
    const ConsolePalette colours = ConsolePalette::from(palette());
    for (const StepProgress &s : progress.steps) {
        QLabel *label = m_statusLabels.value(s.step);
        if (!label)
            continue;
        label->setText(statusMark(s));
        QColor colour = colours.muted;
        if (s.status == StepProgress::Status::Succeeded)
            colour = colours.ok;
        else if (s.status == StepProgress::Status::Running)
            colour = colours.running;
        else if (s.finished() && s.status != StepProgress::Status::Skipped)
            colour = colours.blocked;
        label->setStyleSheet(u"color: %1; font-weight: bold;"_s.arg(colour.name()));
        label->setToolTip(s.detail);
    }
}

} // namespace antibody

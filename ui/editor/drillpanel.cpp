#include "ui/editor/drillpanel.h"

#include "models/present/humantime.h"
#include "ui/consolepalette.h"
#include "ui/panellabels.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {
DrillPanel::DrillPanel(QWidget *parent)
    : QWidget(parent)
    , m_verdict(selectableLabel(this, u"drillVerdict"_s))
    , m_scenario(selectableLabel(this, u"drillScenario"_s))
    , m_failures(selectableLabel(this, u"drillFailures"_s))
    , m_timeline(new QTreeWidget(this))
{
    setObjectName(u"drillPanel"_s);
    m_timeline->setObjectName(u"drillTimeline"_s);
    m_timeline->setHeaderLabels({ tr("At"), tr("What"), tr("Detail") });
    m_timeline->setRootIsDecorated(false);
    m_timeline->setAlternatingRowColors(true);
    m_timeline->setUniformRowHeights(true);
    m_timeline->header()->setStretchLastSection(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_verdict);
    layout->addWidget(m_scenario);
    layout->addWidget(m_failures);
    layout->addWidget(m_timeline, 1);
    clear();
}

void DrillPanel::clear()
{
    m_verdict->setText(tr("A drill runs this runbook in the simulator, in virtual time, against the scenario its "
                          "<code>drill:</code> names, and stores the result. Press Drill (Ctrl+R)."));
    m_scenario->clear();
    m_failures->clear();
    m_failures->setVisible(false);
    m_timeline->clear();
    m_timeline->setVisible(false);
}

void DrillPanel::showRunning(const QString &runbook, const QString &scenario)
{
    clear();
    m_verdict->setText(
        tr("Drilling <b>%1</b> in scenario <b>%2</b>…").arg(runbook.toHtmlEscaped(), scenario.toHtmlEscaped()));
}

void DrillPanel::showReport(const DrillReport &report)
{
    const ConsolePalette colours = ConsolePalette::from(palette());
    m_timeline->clear();
    if (!report.ran()) {
        m_verdict->setText(tr("<span style='color:%1'><b>Cannot drill:</b></span> %2")
                               .arg(colours.blocked.name(), report.error.toHtmlEscaped()));
        m_scenario->clear();
        m_failures->setVisible(false);
        m_timeline->setVisible(false);
        return;
    }
    const DrillResult &r = report.result;
    m_verdict->setText(u"<span style='color:%1; font-size:x-large'><b>%2</b></span> &nbsp;%3"_s.arg(
        (r.passed ? colours.ok : colours.blocked).name(), r.passed ? tr("PASSED") : tr("FAILED"),
        r.detail.toHtmlEscaped()));
    m_scenario->setText(
        tr("Scenario <b>%1</b>: %2<br>Expected: %3 · simulated %4 at %5 UTC%6")
            .arg(r.scenario.toHtmlEscaped(), report.scenarioDescription.toHtmlEscaped(),
                report.expectation.toHtmlEscaped(), formatAge(report.simulated),
                formatTime(r.at).left(19).replace(u'T', u' '),
                report.story.isEmpty() ? QString() : u"<br><i>%1</i>"_s.arg(report.story.toHtmlEscaped())));
    QStringList failures;
    for (const QString &f : report.failures)
        failures << u"✗ "_s + f.toHtmlEscaped();
    m_failures->setText(u"<span style='color:%1'>%2</span>"_s.arg(colours.blocked.name(), failures.join(u"<br>"_s)));
    m_failures->setVisible(!failures.isEmpty());
    const TimePoint start = report.timeline.isEmpty() ? r.at : report.timeline.front().at;
    QList<QTreeWidgetItem *> items;
    for (const EngineEvent &e : report.timeline) {
        if (e.kind == EngineEvent::Kind::StateChanged || e.kind == EngineEvent::Kind::FeedChanged
            || e.kind == EngineEvent::Kind::RunbookLoaded)
            continue; // the story, not the bookkeeping
        auto *item
            = new QTreeWidgetItem({ u"+"_s + formatAge(e.at - start), e.kindName().replace(u'_', u' '), e.detail });
        item->setToolTip(2, e.detail);
        if (e.kind == EngineEvent::Kind::Resolved)
            item->setForeground(1, colours.ok);
        else if (e.kind == EngineEvent::Kind::Escalated || e.kind == EngineEvent::Kind::GuardrailBlocked
            || e.kind == EngineEvent::Kind::BreakerOpened)
            item->setForeground(1, colours.blocked);
        items << item;
    }
    m_timeline->addTopLevelItems(items);
    m_timeline->resizeColumnToContents(0);
    m_timeline->resizeColumnToContents(1);
    m_timeline->setVisible(true);
}

} // namespace antibody

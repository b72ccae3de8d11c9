#include "ui/editor/rehearsalpanel.h"

#include "engine/rehearsal/drillreport.h"
#include "engine/rehearsal/dryrunreport.h"
#include "models/editor/actionhelp.h"
#include "models/editor/yamloutline.h"
#include "ui/editor/drillpanel.h"
#include "ui/editor/dryrunpanel.h"

#include <QTextBrowser>

using namespace Qt::StringLiterals;

namespace antibody {

RehearsalPanel::RehearsalPanel(QWidget *parent)
    : QTabWidget(parent)
    , m_help(new QTextBrowser(this))
    , m_dryRun(new DryRunPanel(this))
    , m_drill(new DrillPanel(this))
{
    setObjectName(u"editorSidePanel"_s);
    m_help->setObjectName(u"actionHelp"_s);
    m_help->setOpenLinks(false);
    addTab(m_help, tr("Action help"));
    addTab(m_dryRun, tr("Dry run"));
    addTab(m_drill, tr("Drill"));
}

void RehearsalPanel::showHelpAt(const QString &text, qsizetype offset)
{
    const YamlOutline outline(text);
    const YamlStepSpan step = outline.stepAt(offset);
    const YamlPlace place = outline.placeAt(offset);
    QString param;
    if (!place.path.isEmpty() && place.path.back() == u"params"_s) {
        param = place.key;
        if (place.kind == YamlPlace::Kind::Key) {
            // The whole key under the cursor, not just what is left of it.
            qsizetype end = place.prefixStart;
            while (end < text.size() && (text.at(end).isLetterOrNumber() || text.at(end) == u'_'))
                ++end;
            param = text.mid(place.prefixStart, end - place.prefixStart);
        }
    }
    if (const ActionSpec *action = ActionCatalog::instance().find(step.action))
        m_help->setHtml(ActionHelp::html(*action, param));
    else
        m_help->setHtml(ActionHelp::placeholder(step.action));
}

void RehearsalPanel::dryRunStarted(const Runbook &runbook)
{
    setCurrentWidget(m_dryRun);
    m_dryRun->showRunning(runbook.name);
}

void RehearsalPanel::showDryRun(const DryRunReport &report)
{
    m_dryRun->showReport(report);
    setCurrentWidget(m_dryRun);
}

void RehearsalPanel::drillStarted(const Runbook &runbook)
{
    setCurrentWidget(m_drill);
    QString scenario = tr("(none)");
    if (runbook.drill)
        scenario
            = runbook.drill->scenario.isEmpty() ? tr("fault %1").arg(runbook.drill->fault) : runbook.drill->scenario;
    m_drill->showRunning(runbook.name, scenario);
}

void RehearsalPanel::showDrill(const DrillReport &report)
{
    m_drill->showReport(report);
    setCurrentWidget(m_drill);
}

void RehearsalPanel::clearResults()
{
    m_dryRun->clear();
    m_drill->clear();
}

} // namespace antibody

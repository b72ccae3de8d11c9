#include "ui/incidentview.h"

#include "engine/core/severity.h"
#include "models/eventfilter.h"
#include "models/jsontreemodel.h"
#include "models/link/consolemodels.h"
#include "models/link/enginecommands.h"
#include "models/present/escalationbrief.h"
#include "models/present/executionprogress.h"
#include "models/present/groupedalerts.h"
#include "models/present/humantime.h"
#include "ui/approvalbar.h"
#include "ui/consolepalette.h"
#include "ui/escalationview.h"
#include "ui/incidentcharts.h"
#include "ui/proposalcard.h"
#include "ui/recordtable.h"

#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {

IncidentView::IncidentView(ConsoleModels *models, EngineCommands *commands, MetricReader *reader, QWidget *parent)
    : QWidget(parent)
    , m_models(models)
    , m_commands(commands)
    , m_header(new QLabel(this))
    , m_labels(new QLabel(this))
    , m_alerts(new QLabel(this))
    , m_left(new QStackedWidget(this))
    , m_noProposal(new QLabel(m_left))
    , m_card(new ProposalCard(commands, m_left))
    , m_tabs(new QTabWidget(this))
    , m_charts(new IncidentCharts(reader, m_tabs))
    , m_timeline(new EventFilter(this))
    , m_timelineView(new RecordTable(u"timeline"_s, m_timeline, m_tabs))
    , m_diagnostics(new JsonTreeModel(this))
    , m_diagnosticsView(new QTreeView(m_tabs))
    , m_escalation(new EscalationView(m_left))
{
    m_header->setObjectName(u"incidentHeader"_s);
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_labels->setObjectName(u"alertLabels"_s);
    m_labels->setWordWrap(true);
    m_labels->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_labels->setForegroundRole(QPalette::PlaceholderText);
    m_alerts->setObjectName(u"groupedAlerts"_s);
    m_alerts->setWordWrap(true);
    m_alerts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_alerts->hide();
    m_noProposal->setObjectName(u"noProposal"_s);
    m_noProposal->setWordWrap(true);
    m_noProposal->setAlignment(Qt::AlignCenter);
    m_card->setObjectName(u"proposalCard"_s);
    m_left->addWidget(m_noProposal);
    m_left->addWidget(m_card);
    m_left->addWidget(m_escalation);

    m_timeline->setSourceModel(models->events());
    m_timeline->setIncident(u"\x01"_s); // nothing until an incident is shown
    m_timelineView->hideColumn(EventLogModel::IncidentColumn);
    m_timelineView->setWordWrap(true);
    m_diagnosticsView->setObjectName(u"diagnostics"_s);
    m_diagnosticsView->setModel(m_diagnostics);
    m_diagnosticsView->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_diagnosticsView->setAlternatingRowColors(true);
    m_escalation->setObjectName(u"escalationView"_s);

    m_charts->setObjectName(u"incidentCharts"_s);
    m_tabs->setObjectName(u"incidentTabs"_s);
    m_tabs->addTab(m_charts, tr("Metrics"));
    m_tabs->addTab(m_timelineView, tr("Timeline"));
    m_tabs->addTab(m_diagnosticsView, tr("Diagnostics"));

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(u"incidentSplitter"_s);
    split->addWidget(m_left);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_header);
    layout->addWidget(m_labels);
    layout->addWidget(m_alerts);
    layout->addWidget(split, 1);

    connect(models->incidents(), &IncidentModel::incidentsUpdated, this, [this](const QStringList &ids) {
        if (ids.contains(m_id))
            refreshIncident();
    });
    connect(models->proposals(), &ProposalBook::proposalUpdated, this,
        [this](const Proposal &p) { onProposalUpdated(p.incidentId); });
    connect(models, &ConsoleModels::incidentEventsAdded, this, [this](const QStringList &ids) {
        if (ids.contains(m_id))
            refreshEvents();
    });
    connect(models, &ConsoleModels::nowChanged, this, &IncidentView::refreshHeader);
    connect(models, &ConsoleModels::runbooksChanged, this, &IncidentView::refreshIncident);
    connect(models, &ConsoleModels::viewersChanged, this, &IncidentView::refreshViewers);
    showIncident({});
}

void IncidentView::showIncident(const QString &id)
{
    m_id = id;
    m_proposalId.clear();
    m_diagnosticsShown = QJsonObject { { u"\x01"_s, true } }; // differs from any real bundle: load on first refresh
    m_timeline->setIncident(id.isEmpty() ? u"\x01"_s : id);
    m_card->clear();
    m_left->setCurrentWidget(m_noProposal);
    refreshViewers();
    if (m_commands)
        m_commands->setOpenIncident(id);
    if (id.isEmpty()) {
        m_header->setText(tr("<b>No incident selected.</b> Incidents appear on the left as the engine reports them."));
        m_labels->clear();
        m_alerts->hide();
        m_noProposal->setText(tr("Nothing selected."));
        m_left->setCurrentWidget(m_noProposal);
        return;
    }
    refreshIncident();
    refreshEvents();
}

void IncidentView::refreshHeader()
{
    const Incident *incident = m_models->incidents()->incident(m_id);
    if (!incident)
        return;
    m_card->setNow(m_models->now());
    const ConsolePalette colours = ConsolePalette::from(palette());
    const QColor severity = colours.severity(int(severityRank(incident->severity)));
    const QColor state = colours.incidentState(int(incident->state));
    const QString reason = incident->history.isEmpty() ? QString() : incident->history.back().reason;
    m_header->setText(
        u"<span style='font-size:large'><b style='color:%1'>%2</b> &nbsp;<b>%3</b> on <b>%4</b></span><br>"
        "<b style='color:%5'>%6</b> · level %7 · detected %8 UTC, %9 ago · %10<br>%11"_s
            .arg(severity.name(), incident->severity.toUpper().toHtmlEscaped(), incident->title.toHtmlEscaped(),
                incident->service.toHtmlEscaped(), state.name(), incidentStateText(incident->state).toHtmlEscaped())
            .arg(incident->level)
            .arg(formatClockTime(incident->detectedAt), formatAge(m_models->now() - incident->detectedAt),
                incident->id.toHtmlEscaped(), reason.toHtmlEscaped())
        // A break-glass run marks its incident for review: said where the eye lands first.
        + (incident->annotations.contains(u"review"_s)
                ? u"<br><b style='color:%1'>%2</b>"_s.arg(colours.critical.name(),
                    tr("Marked for review: %1").arg(incident->annotations.value(u"review"_s)).toHtmlEscaped())
                : QString()));
    QStringList labels;
    for (auto it = incident->labels.cbegin(); it != incident->labels.cend(); ++it)
        labels << u"%1=%2"_s.arg(it.key(), it.value());
    for (auto it = incident->annotations.cbegin(); it != incident->annotations.cend(); ++it) {
        if (it.key() != u"review"_s) // in the header
            labels << u"%1: %2"_s.arg(it.key(), it.value());
    }
    m_labels->setText(labels.join(u"   "_s));
    const QStringList grouped = groupedAlertLines(*incident);
    QString items;
    // A few lines at most: the card below is what the engineer came for; every alert
    // stays in the Diagnostics tab.
    constexpr qsizetype shownAlerts = 4;
    for (const QString &line : grouped.mid(0, shownAlerts))
        items += u"<li>%1</li>"_s.arg(line.toHtmlEscaped());
    if (grouped.size() > shownAlerts)
        items += u"<li>%1</li>"_s.arg(
            tr("and %1 more (Diagnostics › alerts)").arg(grouped.size() - shownAlerts).toHtmlEscaped());
    m_alerts->setText(
        tr("<b>%n alerts of this one problem:</b><ul style='margin:0'>%1</ul>", nullptr, int(grouped.size()))
            .arg(items));
    m_alerts->setVisible(!grouped.isEmpty());
}

void IncidentView::refreshIncident()
{
    const Incident *incident = m_models->incidents()->incident(m_id);
    if (!incident)
        return;
    refreshHeader();
    const Runbook *runbook = m_models->runbook(incident->runbook);
    m_card->setIncident(*incident, runbook);
    m_charts->setIncident(*incident, runbook);
    if (incident->diagnostics != m_diagnosticsShown) { // a reset collapses what the engineer opened
        m_diagnosticsShown = incident->diagnostics;
        m_diagnostics->setDocument(incident->diagnostics);
        m_diagnosticsView->expandToDepth(0);
    }
    onProposalUpdated(m_id);

    // A paged human reads why first: the escalation brief takes the proposal's place.
    const bool escalated = incident->state == IncidentState::Escalated || incident->state == IncidentState::Interrupted;
    if (escalated) {
        const auto proposal = m_proposalId.isEmpty() ? std::nullopt : m_models->proposals()->proposal(m_proposalId);
        const auto progress
            = proposal ? ExecutionProgress::of(proposal->plan, m_models->eventsOf(m_id)) : ExecutionProgress {};
        m_escalation->setBrief(EscalationBrief::of(*incident, proposal, progress, runbook));
        m_left->setCurrentWidget(m_escalation);
    }
    if (!m_card->approvalBar()->gate().shown()) {
        m_noProposal->setText(incident->runbook.isEmpty()
                ? tr("No runbook matches this alert (level 0: alert only). Nothing will be proposed; investigate by "
                     "hand.")
                : tr("The engine is diagnosing; its proposal appears here when the plan is made."));
    }
}

void IncidentView::onProposalUpdated(const QString &incidentId)
{
    if (incidentId != m_id || m_id.isEmpty())
        return;
    const Incident *incident = m_models->incidents()->incident(m_id);
    std::optional<Proposal> latest;
    if (incident && !incident->proposalId.isEmpty())
        latest = m_models->proposals()->proposal(incident->proposalId);
    if (!latest)
        latest = m_models->proposals()->latestFor(m_id);
    if (!latest)
        return;
    if (m_proposalId.isEmpty()) {
        m_card->showProposal(*latest);
    } else {
        // Every version the book knows of: the gate decides whether it is the same
        // plan changing state or a new plan that must wait behind the banner.
        m_card->offer(*latest);
    }
    m_proposalId = latest->id;
    if (const auto &shown = m_card->approvalBar()->gate().shown())
        m_card->approvalBar()->setNotYours(m_models->proposals()->notYours(shown->id));
    if (m_left->currentWidget() != m_escalation)
        m_left->setCurrentWidget(m_card);
    refreshEvents();
}

void IncidentView::refreshViewers()
{
    m_card->setViewers(m_id.isEmpty() ? QStringList() : m_models->viewersOf(m_id));
}

void IncidentView::refreshEvents()
{
    const QList<EngineEvent> events = m_models->eventsOf(m_id);
    m_charts->setEvents(events);
    if (const auto &shown = m_card->approvalBar()->gate().shown()) {
        // Only what happened since this plan was made: an earlier plan's run is history, not progress.
        QList<EngineEvent> since;
        for (const EngineEvent &e : events) {
            if (e.at >= shown->plan.madeAt)
                since << e;
        }
        m_card->setProgress(ExecutionProgress::of(shown->plan, since));
    }
    QScrollBar *bar = m_timelineView->verticalScrollBar();
    if (bar->value() >= bar->maximum() - 2)
        m_timelineView->scrollToBottom(); // follow new events unless the engineer scrolled back
}

} // namespace antibody

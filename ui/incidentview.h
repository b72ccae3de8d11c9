#pragma once

#include <QJsonObject>
#include <QPointer>
#include <QString>
#include <QWidget>

class QLabel;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTreeView;

namespace antibody {

class ConsoleModels;
class EngineCommands;
class EscalationView;
class EventFilter;
class IncidentCharts;
class JsonTreeModel;
class MetricReader;
class ProposalCard;

// One incident, everything about it: what fired, what the engine proposes (or
// did, or why it paged a human), its metrics, its timeline, its diagnostics.
class IncidentView : public QWidget
{
    Q_OBJECT
public:
    IncidentView(ConsoleModels *models, EngineCommands *commands, MetricReader *reader, QWidget *parent = nullptr);

    void showIncident(const QString &id);
    QString incidentId() const { return m_id; }
    ProposalCard *card() const { return m_card; }
    IncidentCharts *charts() const { return m_charts; }

private:
    void refreshHeader(); // cheap: every clock tick
    void refreshIncident();
    void refreshEvents();
    void onProposalUpdated(const QString &incidentId);
    void refreshViewers();

    ConsoleModels *m_models;
    QPointer<EngineCommands> m_commands;
    QString m_id;
    QString m_proposalId;
    QLabel *m_header;
    QLabel *m_labels;
    QLabel *m_alerts; // the alerts grouped into this incident, when more than one
    QStackedWidget *m_left;
    QLabel *m_noProposal;
    ProposalCard *m_card;
    QTabWidget *m_tabs;
    IncidentCharts *m_charts;
    EventFilter *m_timeline;
    QTableView *m_timelineView;
    JsonTreeModel *m_diagnostics;
    QTreeView *m_diagnosticsView;
    QJsonObject m_diagnosticsShown;
    EscalationView *m_escalation;
};

} // namespace antibody

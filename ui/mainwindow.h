#pragma once

#include "ui/theme.h"

#include <QMainWindow>

class QActionGroup;
class QLabel;
class QMenu;
class QSplitter;
class QTabWidget;

namespace antibody {

class ActivityPanel;
class ApprovalTray;
class AuditPanel;
class BreakerPanel;
class ConnectionBanner;
class ConsoleModels;
class EditorView;
class EngineCommands;
class IncidentList;
class IncidentView;
class MetricReader;
class MttrPanel;
class RunbookCommands;

// The console's window: the incident list and the selected incident, and tabs
// for the activity feed, circuit breakers, the audit log, MTTR and (given the
// engine's runbook commands) the runbook editor. Everything frequent has a key;
// the window remembers its size, layout, tab and theme.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum class Tab { Incidents, Activity, Breakers, Audit, Mttr, Runbooks };

    MainWindow(ConsoleModels *models, EngineCommands *commands, MetricReader *reader,
        RunbookCommands *runbooks = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    void openIncident(const QString &id);
    void showTab(Tab tab);
    // A line in the status bar while the engine starts, or when it could not.
    void setEngineStatus(const QString &status);
    void restoreWindowState();

    IncidentList *incidentList() const { return m_list; }
    IncidentView *incidentView() const { return m_view; }
    AuditPanel *auditPanel() const { return m_audit; }
    BreakerPanel *breakerPanel() const { return m_breakers; }
    ApprovalTray *tray() const { return m_tray; }
    ConnectionBanner *connectionBanner() const { return m_connectionBanner; }
    QTabWidget *tabs() const { return m_tabs; }
    EditorView *editor() const { return m_editor; } // null without runbook commands
    // File: the console on a team server adds Sign in and Sign out there, above Quit.
    QMenu *fileMenu() const { return m_file; }
    QAction *quitAction() const { return m_quit; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void nextWaitingApproval();
    void refreshStatus();
    void refreshTitles();
    void refreshConnection();
    void showShortcuts();
    void setTheme(Theme::Choice choice);

    ConsoleModels *m_models;
    EngineCommands *m_commands;
    ConnectionBanner *m_connectionBanner;
    QTabWidget *m_tabs;
    QSplitter *m_split;
    IncidentList *m_list;
    IncidentView *m_view;
    ActivityPanel *m_activity;
    BreakerPanel *m_breakers;
    AuditPanel *m_audit;
    MttrPanel *m_mttr;
    EditorView *m_editor = nullptr;
    ApprovalTray *m_tray;
    QLabel *m_feeds;
    QLabel *m_clock;
    QLabel *m_approvals;
    QLabel *m_engineStatus;
    QActionGroup *m_themes = nullptr;
    QMenu *m_file = nullptr;
    QAction *m_quit = nullptr;
};

} // namespace antibody

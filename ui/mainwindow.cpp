#include "ui/mainwindow.h"

#include "models/link/consolemodels.h"
#include "models/link/enginecommands.h"
#include "models/present/connectionnotice.h"
#include "models/present/humantime.h"
#include "ui/activitypanel.h"
#include "ui/approvaltray.h"
#include "ui/auditpanel.h"
#include "ui/breakerpanel.h"
#include "ui/connectionbanner.h"
#include "ui/consolepalette.h"
#include "ui/editor/editorview.h"
#include "ui/incidentlist.h"
#include "ui/incidentview.h"
#include "ui/mttrpanel.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {

MainWindow::MainWindow(
    ConsoleModels *models, EngineCommands *commands, MetricReader *reader, RunbookCommands *runbooks, QWidget *parent)
    : QMainWindow(parent)
    , m_models(models)
    , m_commands(commands)
    , m_connectionBanner(new ConnectionBanner(this))
    , m_tabs(new QTabWidget(this))
    , m_split(new QSplitter(Qt::Vertical, m_tabs))
    , m_list(new IncidentList(models->incidents(), m_split))
    , m_view(new IncidentView(models, commands, reader, m_split))
    , m_activity(new ActivityPanel(models->activity(), m_tabs))
    , m_breakers(new BreakerPanel(models->breakers(), commands, m_tabs))
    , m_audit(new AuditPanel(models->events(), m_tabs))
    , m_mttr(new MttrPanel(models->mttr(), models->incidents(), m_tabs))
    , m_tray(new ApprovalTray(models->proposals(), QIcon(u":/icons/antibody.svg"_s), this))
    , m_feeds(new QLabel(this))
    , m_clock(new QLabel(this))
    , m_approvals(new QLabel(this))
    , m_engineStatus(new QLabel(this))
{
    setObjectName(u"mainWindow"_s);
    setWindowIcon(QIcon(u":/icons/antibody.svg"_s));
    m_tabs->setObjectName(u"mainTabs"_s);
    m_split->setObjectName(u"mainSplitter"_s);
    m_list->setObjectName(u"incidentList"_s);
    m_view->setObjectName(u"incidentView"_s);
    m_activity->setObjectName(u"activityPanel"_s);
    m_breakers->setObjectName(u"breakerPanel"_s);
    m_audit->setObjectName(u"auditPanel"_s);
    m_mttr->setObjectName(u"mttrPanel"_s);
    m_split->addWidget(m_list);
    m_split->addWidget(m_view);
    // The list on top, full width so every column reads; the incident below it.
    m_split->setStretchFactor(0, 1);
    m_split->setStretchFactor(1, 4);
    m_split->setSizes({ 190, 640 }); // about six incidents above the fold; the splitter remembers the engineer's choice
    m_split->setChildrenCollapsible(false);
    m_tabs->addTab(m_split, tr("Incidents"));
    m_tabs->addTab(m_activity, tr("Activity"));
    m_tabs->addTab(m_breakers, tr("Circuit breakers"));
    m_tabs->addTab(m_audit, tr("Audit log"));
    m_tabs->addTab(m_mttr, tr("MTTR"));
    if (runbooks) {
        m_editor = new EditorView(runbooks, m_tabs);
        m_editor->setObjectName(u"runbookEditor"_s);
        m_tabs->addTab(m_editor, tr("Runbooks"));
        m_editor->guardClose(this); // unsaved runbook changes are asked about before the window closes
        connect(models, &ConsoleModels::runbooksChanged, m_editor,
            [this, models] { m_editor->setLiveRunbooks(models->runbooks()); });
        connect(models, &ConsoleModels::nowChanged, m_editor, [this, models] { m_editor->setNow(models->now()); });
        connect(m_editor, &EditorView::statusMessage, this,
            [this](const QString &m) { statusBar()->showMessage(m, 8000); });
    }
    m_tabs->setDocumentMode(true);
    // The connection banner above everything: a console that shows a team server it
    // cannot reach must say so wherever the engineer looks.
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_connectionBanner);
    centralLayout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_feeds->setObjectName(u"feedStatus"_s);
    m_clock->setObjectName(u"engineClock"_s);
    m_approvals->setObjectName(u"pendingApprovals"_s);
    m_engineStatus->setObjectName(u"engineStatus"_s);
    statusBar()->addWidget(m_engineStatus);
    statusBar()->addWidget(m_feeds, 1);
    statusBar()->addPermanentWidget(m_approvals);
    statusBar()->addPermanentWidget(m_clock);
    buildMenus();

    connect(m_list, &IncidentList::currentIncidentChanged, m_view, &IncidentView::showIncident);
    connect(m_activity, &ActivityPanel::openIncident, this, &MainWindow::openIncident);
    connect(m_mttr, &MttrPanel::openIncident, this, &MainWindow::openIncident);
    connect(m_tray, &ApprovalTray::openIncident, this, &MainWindow::openIncident);
    connect(m_tray, &ApprovalTray::showWindow, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    connect(m_tray, &ApprovalTray::notified, this, [this] { QApplication::alert(this); });
    connect(models->feeds(), &FeedHealthModel::healthChanged, this, &MainWindow::refreshStatus);
    connect(models, &ConsoleModels::nowChanged, this, &MainWindow::refreshStatus);
    connect(models->proposals(), &ProposalBook::waitingCountChanged, this, &MainWindow::refreshTitles);
    connect(models->breakers(), &QAbstractItemModel::dataChanged, this, &MainWindow::refreshTitles);
    connect(models->breakers(), &QAbstractItemModel::rowsInserted, this, &MainWindow::refreshTitles);
    if (m_commands)
        connect(m_commands, &EngineCommands::connectionChanged, this, &MainWindow::refreshConnection);
    refreshStatus();
    refreshConnection();
    resize(1400, 860);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    m_file = menuBar()->addMenu(tr("&File"));
    m_file->addAction(tr("&Export audit log…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, [this] {
        showTab(Tab::Audit);
        m_audit->exportShown();
    });
    m_file->addSeparator();
    m_quit = m_file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QList<std::pair<QString, Tab>> tabs { { tr("&Incidents"), Tab::Incidents }, { tr("&Activity"), Tab::Activity },
        { tr("Circuit &breakers"), Tab::Breakers }, { tr("Au&dit log"), Tab::Audit }, { tr("&MTTR"), Tab::Mttr } };
    if (m_editor)
        tabs << std::pair { tr("&Runbooks"), Tab::Runbooks };
    for (qsizetype i = 0; i < tabs.size(); ++i) {
        const Tab tab = tabs.at(i).second;
        view->addAction(
            tabs.at(i).first, QKeySequence(Qt::CTRL | (Qt::Key_1 + int(i))), this, [this, tab] { showTab(tab); });
    }
    view->addSeparator();
    QMenu *theme = view->addMenu(tr("&Theme"));
    m_themes = new QActionGroup(this);
    for (auto [label, choice] : { std::pair { tr("Follow the &system"), Theme::Choice::System },
             std::pair { tr("&Light"), Theme::Choice::Light }, std::pair { tr("&Dark"), Theme::Choice::Dark } }) {
        QAction *action = theme->addAction(label);
        action->setCheckable(true);
        action->setData(Theme::name(choice));
        m_themes->addAction(action);
        connect(action, &QAction::triggered, this, [this, chosen = choice] { setTheme(chosen); });
    }

    QMenu *go = menuBar()->addMenu(tr("&Go"));
    go->addAction(tr("&Search incidents"), QKeySequence::Find, this, [this] {
        showTab(Tab::Incidents);
        m_list->focusSearch();
    });
    go->addAction(tr("&Next approval waiting"), QKeySequence(Qt::Key_F8), this, &MainWindow::nextWaitingApproval);
    go->addAction(tr("Incident &list"), QKeySequence(Qt::Key_F6), this, [this] {
        showTab(Tab::Incidents);
        m_list->setFocus();
    });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), QKeySequence::HelpContents, this, &MainWindow::showShortcuts);
    help->addAction(tr("&About Antibody"), this, [this] {
        QMessageBox::about(this, tr("About Antibody"),
            tr("<b>Antibody %1</b><br>Incident response for on-call engineers: heals what it safely can, "
               "asks one click for what is risky, never touches what is forensic.")
                .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::showShortcuts()
{
    QMessageBox::information(this, tr("Keyboard shortcuts"),
        tr("<table cellspacing=6>"
           "<tr><td><b>Ctrl+Return</b></td><td>Approve the plan shown</td></tr>"
           "<tr><td><b>Alt+D</b></td><td>Deny (with a reason)</td></tr>"
           "<tr><td><b>Alt+Q</b></td><td>Request a run of a checklist (with a reason); someone else approves "
           "it</td></tr>"
           "<tr><td><b>F8</b></td><td>Next incident waiting for approval</td></tr>"
           "<tr><td><b>Ctrl+F</b> or <b>/</b></td><td>Search incidents; Esc returns to the list</td></tr>"
           "<tr><td><b>F6</b></td><td>Incident list</td></tr>"
           "<tr><td><b>Ctrl+1 … Ctrl+6</b></td><td>Incidents, Activity, Breakers, Audit log, MTTR, Runbooks</td></tr>"
           "<tr><td><b>Ctrl+S</b>, <b>Ctrl+D</b>, <b>Ctrl+R</b></td><td>In the runbook editor: save, dry run, "
           "drill</td></tr>"
           "<tr><td><b>Ctrl+E</b></td><td>Export the audit log</td></tr>"
           "<tr><td><b>Ctrl+Shift+I</b>, <b>Ctrl+Shift+O</b></td><td>On a team server: sign in, sign out</td></tr>"
           "</table>"));
}

void MainWindow::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

void MainWindow::openIncident(const QString &id)
{
    showTab(Tab::Incidents);
    m_models->flush(); // it may still be in a coalescing batch
    m_list->selectIncident(id);
}

void MainWindow::nextWaitingApproval()
{
    const QList<Proposal> waiting = m_models->proposals()->waiting();
    if (waiting.isEmpty()) {
        statusBar()->showMessage(tr("Nothing waits for approval."), 4000);
        return;
    }
    // The one after the incident shown, wrapping around: F8 walks the queue.
    qsizetype next = 0;
    for (qsizetype i = 0; i < waiting.size(); ++i) {
        if (waiting.at(i).incidentId == m_view->incidentId()) {
            next = (i + 1) % waiting.size();
            break;
        }
    }
    openIncident(waiting.at(next).incidentId);
}

void MainWindow::setEngineStatus(const QString &status)
{
    m_engineStatus->setText(status);
    m_engineStatus->setVisible(!status.isEmpty());
}

void MainWindow::refreshStatus()
{
    const ConsolePalette colours = ConsolePalette::from(palette());
    const auto worst = m_models->feeds()->worstState();
    QColor colour = m_models->feeds()->feeds().isEmpty() ? colours.muted
        : worst == FeedHealth::State::Healthy            ? colours.ok
        : worst == FeedHealth::State::Degraded           ? colours.waiting
                                                         : colours.blocked;
    QString text = m_models->feeds()->summary();
    if (worst != FeedHealth::State::Healthy)
        text = tr("%1 — the engine will not act on stale data").arg(text);
    if (m_commands && !m_commands->connection().reachable()) {
        // What the server said before it went away is no news: no green dot for it.
        text = tr("feeds unknown while disconnected");
        colour = colours.muted;
    }
    m_feeds->setText(u"<span style='color:%1'>●</span> %2"_s.arg(colour.name(), text.toHtmlEscaped()));
    m_feeds->setToolTip(m_models->feeds()->feeds().isEmpty() ? QString() : text);
    if (m_models->now().time_since_epoch().count() > 0)
        m_clock->setText(tr("engine time %1 UTC").arg(formatClockTime(m_models->now())));
}

void MainWindow::refreshTitles()
{
    const int waiting = m_models->proposals()->waitingCount();
    const int open = m_models->breakers()->openCount();
    m_tabs->setTabText(int(Tab::Incidents), waiting > 0 ? tr("Incidents (%1 waiting)").arg(waiting) : tr("Incidents"));
    m_tabs->setTabText(
        int(Tab::Breakers), open > 0 ? tr("Circuit breakers (%1 open)").arg(open) : tr("Circuit breakers"));
    m_approvals->setText(waiting == 0 ? tr("no approval waiting")
            : waiting == 1            ? tr("<b>1 approval waiting</b> (F8)")
                                      : tr("<b>%1 approvals waiting</b> (F8)").arg(waiting));
    setWindowTitle(ConnectionNotice::title(m_commands ? m_commands->connection() : ConnectionState {}, waiting));
}

void MainWindow::refreshConnection()
{
    const ConnectionState state = m_commands ? m_commands->connection() : ConnectionState {};
    m_connectionBanner->setState(state);
    if (state.remote()) // in bold: which engine this window shows is the first thing to know
        setEngineStatus(u"<b>%1</b>"_s.arg(ConnectionNotice::status(state, m_commands->approver()).toHtmlEscaped()));
    refreshStatus();
    refreshTitles();
}

void MainWindow::setTheme(Theme::Choice choice)
{
    Theme::apply(choice);
    QSettings().setValue(u"theme"_s, Theme::name(choice));
    for (QAction *a : m_themes->actions())
        a->setChecked(a->data().toString() == Theme::name(choice));
    refreshStatus();
}

void MainWindow::restoreWindowState()
{
    QSettings settings;
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    restoreState(settings.value(u"window/state"_s).toByteArray());
    m_split->restoreState(settings.value(u"window/incidentSplitter"_s).toByteArray());
    m_tabs->setCurrentIndex(std::clamp(settings.value(u"window/tab"_s, 0).toInt(), 0, m_tabs->count() - 1));
    const auto theme = Theme::fromName(settings.value(u"theme"_s, u"system"_s).toString());
    if (theme != Theme::Choice::System)
        Theme::apply(theme);
    for (QAction *a : m_themes->actions())
        a->setChecked(a->data().toString() == Theme::name(theme));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/state"_s, saveState());
    settings.setValue(u"window/incidentSplitter"_s, m_split->saveState());
    settings.setValue(u"window/tab"_s, m_tabs->currentIndex());
    event->accept();
}

} // namespace antibody

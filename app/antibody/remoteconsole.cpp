#include "remoteconsole.h"

#include <QMenu>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace antibody {

RemoteConsole::RemoteConsole(ConsoleModels *models, Options options, QObject *parent)
    : QObject(parent)
    , m_link(models, std::move(options.link))
    , m_signIn(&m_link, &m_keyring, std::move(options.environmentToken))
    , m_window(models, &m_link, &m_link)
    , m_dialog(&m_window)
{
    m_dialog.setWindowModality(Qt::WindowModal);
    m_signInAction = new QAction(tr("Sign &in to the team server…"), this);
    m_signInAction->setObjectName(u"signInAction"_s);
    m_signInAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    m_signOutAction = new QAction(tr("Sign &out of the team server"), this);
    m_signOutAction->setObjectName(u"signOutAction"_s);
    m_signOutAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_signOutAction->setToolTip(tr("Deletes your API token from the desktop keyring and disconnects"));
    m_window.fileMenu()->insertAction(m_window.quitAction(), m_signInAction);
    m_window.fileMenu()->insertAction(m_window.quitAction(), m_signOutAction);
    m_window.fileMenu()->insertSeparator(m_window.quitAction());
    // The window's shortcuts work wherever the focus is in it, menu bar shown or not.
    m_window.addAction(m_signInAction);
    m_window.addAction(m_signOutAction);

    connect(m_signInAction, &QAction::triggered, &m_signIn, &ServerSignIn::ask);
    connect(m_signOutAction, &QAction::triggered, &m_signIn, &ServerSignIn::signOut);
    connect(&m_signIn, &ServerSignIn::signInNeeded, this, &RemoteConsole::showSignIn);
    connect(&m_signIn, &ServerSignIn::signedIn, &m_dialog, [this] {
        if (m_dialog.isVisible())
            m_dialog.accept();
    });
    connect(&m_signIn, &ServerSignIn::notice, &m_window,
        [this](const QString &text) { m_window.statusBar()->showMessage(text, 15'000); });
    connect(&m_dialog, &SignInDialog::connectRequested, &m_signIn, [this](const QString &token, bool keep) {
        m_dialog.connecting();
        m_signIn.signIn(token, keep);
    });
    connect(&m_dialog, &QDialog::rejected, &m_signIn, &ServerSignIn::cancel);
    connect(&m_link, &EngineCommands::connectionChanged, this, &RemoteConsole::refreshActions);
    refreshActions();
}

RemoteConsole::~RemoteConsole()
{
    m_link.stop();
}

void RemoteConsole::start()
{
    m_signIn.start();
}

void RemoteConsole::stop()
{
    m_link.stop();
}

void RemoteConsole::showSignIn(const QString &reason)
{
    m_dialog.ask(m_link.connection().server, reason, m_signIn.keyringProblem());
    if (!m_dialog.isVisible())
        m_dialog.open();
    m_dialog.raise();
    m_dialog.activateWindow();
}

void RemoteConsole::refreshActions()
{
    // Signing in again while connected would need a second identity on one console: sign out first.
    const ConnectionState state = m_link.connection();
    m_signInAction->setEnabled(state.phase != ConnectionState::Phase::Connected);
    m_signOutAction->setEnabled(state.phase != ConnectionState::Phase::SignInNeeded);
}

} // namespace antibody

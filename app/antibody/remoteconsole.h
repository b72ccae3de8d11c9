#pragma once

#include "client/serverlink.h"
#include "client/serversignin.h"
#include "client/tokenkeyring.h"
#include "ui/mainwindow.h"
#include "ui/signindialog.h"

#include <memory>

class QAction;

namespace antibody {

class ConsoleModels;

// `antibody --server URL` put together: the link to the team server, the window on it,
// and the sign-in with the person's API token (the keyring, the dialog, File › Sign in and
// Sign out). main() and the end-to-end tests build the console alike through it.
class RemoteConsole : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        ServerLink::Options link;
        QString environmentToken; // ANTIBODY_TOKEN, used when the keyring holds no token for this server
    };

    RemoteConsole(ConsoleModels *models, Options options, QObject *parent = nullptr);
    ~RemoteConsole() override;

    // Reads the keyring, then connects.
    void start();
    void stop();

    ServerLink *link() { return &m_link; }
    ServerSignIn *signIn() { return &m_signIn; }
    MainWindow *window() { return &m_window; }
    SignInDialog *signInDialog() { return &m_dialog; }
    QAction *signInAction() const { return m_signInAction; }
    QAction *signOutAction() const { return m_signOutAction; }

private:
    void showSignIn(const QString &reason);
    void refreshActions();

    ServerLink m_link;
    TokenKeyring m_keyring;
    ServerSignIn m_signIn;
    MainWindow m_window;
    SignInDialog m_dialog; // a child of the window: over it, and closed with it
    QAction *m_signInAction = nullptr;
    QAction *m_signOutAction = nullptr;
};

} // namespace antibody

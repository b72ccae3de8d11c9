#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace antibody {

// "Sign in to <server>": what the team server said when it refused this console, a field
// for the person's API token (shown as dots), "Keep it in the desktop keyring" (checked,
// unless no keyring answers: then it says the token is for this session only, and why),
// Connect and Cancel. Enter connects, Esc cancels. The dialog stays open while the
// console tries the token, so that a refusal is read where the token was typed.
class SignInDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SignInDialog(QWidget *parent = nullptr);

    // Asks for a token for `server`: `reason`, the server's words (empty: none yet);
    // `keyringProblem`, why the keyring cannot keep it (empty: it can).
    void ask(const QString &server, const QString &reason, const QString &keyringProblem);
    // The token went to the server: the field waits for its answer.
    void connecting();

    QString reason() const;

Q_SIGNALS:
    // Connect: the token typed, and whether to keep it in the keyring once the server welcomes it.
    void connectRequested(const QString &token, bool keep);

public Q_SLOTS:
    // Forgets the typed token whichever way the dialog closes.
    void done(int result) override;

private:
    void refreshButtons();

    QLabel *m_heading;
    QLabel *m_reason;
    QLineEdit *m_token;
    QCheckBox *m_keep;
    QLabel *m_keyringNote;
    QLabel *m_progress;
    QPushButton *m_connect;
    QString m_server;
    bool m_connecting = false;
};

} // namespace antibody

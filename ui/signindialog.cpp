#include "ui/signindialog.h"

#include "models/present/connectionnotice.h"
#include "ui/hintlabel.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {

SignInDialog::SignInDialog(QWidget *parent)
    : QDialog(parent)
    , m_heading(new QLabel(this))
    , m_reason(new QLabel(this))
    , m_token(new QLineEdit(this))
    , m_keep(new QCheckBox(tr("&Keep it in the desktop keyring"), this))
    , m_keyringNote(new HintLabel(QString(), this))
    , m_progress(new HintLabel(QString(), this))
{
    setObjectName(u"signInDialog"_s);
    m_heading->setObjectName(u"signInHeading"_s);
    m_reason->setObjectName(u"signInReason"_s);
    m_token->setObjectName(u"signInToken"_s);
    m_keep->setObjectName(u"signInKeep"_s);
    m_keyringNote->setObjectName(u"signInKeyringNote"_s);
    m_progress->setObjectName(u"signInProgress"_s);

    m_heading->setTextFormat(Qt::RichText);
    // Plain text: the reason is the server's words, and a server's words are not markup.
    m_reason->setTextFormat(Qt::PlainText);
    m_keyringNote->setTextFormat(Qt::PlainText);
    m_progress->setTextFormat(Qt::PlainText);
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse); // the reason can be pasted to the admin
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(u"abt_…"_s);
    m_token->setMinimumWidth(460);
    m_keep->setChecked(true);
    m_keep->setToolTip(tr("Stored once the server accepts it, in the keyring your desktop session unlocks "
                          "(GNOME Keyring, KWallet); never in a file. File › Sign out deletes it."));
    m_keyringNote->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_connect = buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    m_connect->setObjectName(u"signInConnect"_s);
    m_connect->setDefault(true); // Enter connects
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(u"signInCancel"_s);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_reason);
    layout->addSpacing(6);
    auto *field = new QLabel(tr("Your API &token (an admin creates it with <tt>antibodyctl token create</tt>):"), this);
    field->setBuddy(m_token);
    layout->addWidget(field);
    layout->addWidget(m_token);
    layout->addWidget(m_keep);
    layout->addWidget(m_keyringNote);
    layout->addWidget(m_progress);
    layout->addWidget(buttons);

    connect(m_token, &QLineEdit::textChanged, this, &SignInDialog::refreshButtons);
    // Not accept(): the dialog stays open until the server answers (connecting()).
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        const QString token = m_token->text().trimmed();
        if (token.isEmpty() || m_connecting)
            return;
        Q_EMIT connectRequested(token, m_keep->isEnabled() && m_keep->isChecked());
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    refreshButtons();
}

void SignInDialog::ask(const QString &server, const QString &reason, const QString &keyringProblem)
{
    m_server = server;
    m_connecting = false;
    const QString host = ConnectionNotice::hostOf(server);
    setWindowTitle(tr("Sign in to %1").arg(host));
    m_heading->setText(tr("<b>Sign in to %1</b>").arg(server.toHtmlEscaped()));
    m_reason->setText(reason.isEmpty() ? tr("Sign in with the API token an admin created for you.")
                                       : tr("The server said: %1").arg(reason));
    m_token->clear();
    m_token->setEnabled(true);
    m_keep->setEnabled(keyringProblem.isEmpty());
    m_keep->setChecked(keyringProblem.isEmpty());
    m_keyringNote->setText(keyringProblem.isEmpty()
            ? QString()
            : tr("The token is used for this session only: %1. It is never written to a file; you will be asked "
                 "for it again when the console starts next time.")
                  .arg(keyringProblem));
    m_keyringNote->setVisible(!keyringProblem.isEmpty());
    m_progress->clear();
    m_progress->hide();
    refreshButtons();
    m_token->setFocus();
}

void SignInDialog::connecting()
{
    m_connecting = true;
    m_token->setEnabled(false);
    m_progress->setText(tr("Connecting to %1 with this token…").arg(m_server));
    m_progress->show();
    refreshButtons();
}

QString SignInDialog::reason() const
{
    return m_reason->text();
}

void SignInDialog::done(int result)
{
    m_token->clear();
    m_connecting = false;
    QDialog::done(result);
}

void SignInDialog::refreshButtons()
{
    m_connect->setEnabled(!m_connecting && !m_token->text().trimmed().isEmpty());
}

} // namespace antibody

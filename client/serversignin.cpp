#include "client/serversignin.h"

#include "client/serverlink.h"
#include "client/tokenkeyring.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace antibody {

ServerSignIn::ServerSignIn(ServerLink *link, TokenKeyring *keyring, QString environmentToken, QObject *parent)
    : QObject(parent)
    , m_link(link)
    , m_keyring(keyring)
    , m_environmentToken(std::move(environmentToken).trimmed())
{
    connect(m_link, &ServerLink::admitted, this, &ServerSignIn::admitted);
    connect(m_link, &ServerLink::refused, this, [this](const QString &reason) {
        m_typed.clear(); // refused: never stored
        m_keep = false;
        m_refusal = reason;
        Q_EMIT signInNeeded(reason);
    });
}

QString ServerSignIn::server() const
{
    return m_link->connection().server;
}

void ServerSignIn::start()
{
    // A keyring that never answers (a D-Bus service hung, an event loop without GLib for
    // libsecret) must not keep the console from connecting: after 15 s it goes on without.
    QTimer::singleShot(15'000, this, [this] {
        if (std::exchange(m_keyringRead, true))
            return; // it answered
        m_keyringProblem = tr("the desktop keyring did not answer within 15 s");
        qWarning("antibody: %s: a token typed in is used for this session only", qPrintable(m_keyringProblem));
        useEnvironmentToken();
        m_link->start();
    });
    m_keyring->read(server(), [this](const TokenKeyring::Outcome &stored) {
        if (std::exchange(m_keyringRead, true))
            return; // too late: the console went on without it
        if (stored.kind == TokenKeyring::Outcome::Kind::Done && !stored.token.trimmed().isEmpty()) {
            m_source = Source::Keyring;
            m_link->setToken(stored.token.trimmed());
        } else {
            if (stored.kind == TokenKeyring::Outcome::Kind::Unavailable) {
                m_keyringProblem = stored.problem;
                qWarning("antibody: %s: a token typed in is used for this session only", qPrintable(stored.problem));
            }
            useEnvironmentToken();
        }
        m_link->start();
    });
}

void ServerSignIn::useEnvironmentToken()
{
    if (m_environmentToken.isEmpty())
        return;
    m_source = Source::Environment;
    m_link->setToken(m_environmentToken);
}

void ServerSignIn::signIn(const QString &token, bool keep)
{
    m_typed = token.trimmed();
    m_keep = keep && m_keyringProblem.isEmpty();
    m_source = Source::Typed;
    m_link->setToken(m_typed);
    m_link->signIn();
}

void ServerSignIn::cancel()
{
    // Nothing typed under way: the link goes on as it was (waiting for a sign-in, or
    // reconnecting with the token it had, when the dialog was opened from the menu).
    if (m_typed.isEmpty())
        return;
    m_typed.clear();
    m_keep = false;
    m_source = Source::None;
    m_link->signOut(tr("you cancelled the sign-in"));
}

void ServerSignIn::signOut()
{
    const QString where = server();
    m_typed.clear();
    m_keep = false;
    m_source = Source::None;
    m_announced.clear();
    m_refusal.clear();
    m_link->signOut(tr("you signed out"));
    m_keyring->forget(where, [this, where](const TokenKeyring::Outcome &forgotten) {
        if (forgotten.kind == TokenKeyring::Outcome::Kind::Unavailable)
            Q_EMIT notice(tr("Signed out of %1; %2, so no token was kept there.").arg(where, forgotten.problem));
        else
            Q_EMIT notice(tr("Signed out of %1: the desktop keyring holds no token for it now.").arg(where));
    });
}

void ServerSignIn::ask()
{
    // What the server said when it last refused; a sign-out or a dropped connection is not its word.
    Q_EMIT signInNeeded(m_refusal);
}

void ServerSignIn::admitted(const QString &subject)
{
    m_refusal.clear();
    Q_EMIT signedIn(subject);
    // Once per sign-in, not at every reconnect: who the server knows this console as.
    if (std::exchange(m_announced, subject) != subject)
        qInfo("antibody: signed in to %s as %s", qPrintable(server()), qPrintable(subject));
    if (m_typed.isEmpty())
        return; // a token from the keyring or the environment, or a reconnect: nothing to keep
    const QString token = std::exchange(m_typed, {});
    if (!std::exchange(m_keep, false)) {
        Q_EMIT notice(m_keyringProblem.isEmpty()
                ? tr("Signed in to %1 as %2; the token is used for this session only, as you asked.")
                      .arg(server(), subject)
                : tr("Signed in to %1 as %2; %3, so the token is used for this session only.")
                      .arg(server(), subject, m_keyringProblem));
        return;
    }
    const QString where = server();
    m_keyring->store(where, token, [this, where, subject](const TokenKeyring::Outcome &stored) {
        if (stored.kind == TokenKeyring::Outcome::Kind::Unavailable) {
            m_keyringProblem = stored.problem;
            Q_EMIT notice(tr("Signed in to %1 as %2; %3, so the token is used for this session only.")
                              .arg(where, subject, stored.problem));
            return;
        }
        m_source = Source::Keyring;
        Q_EMIT notice(tr("Signed in to %1 as %2; the token is kept in the desktop keyring.").arg(where, subject));
    });
}

} // namespace antibody

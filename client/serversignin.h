#pragma once

#include <QObject>
#include <QString>

namespace antibody {

class ServerLink;
class TokenKeyring;

// How the console signs in to a team server with the person's API token (docs/console.md):
// the token the desktop keyring keeps for this server, else ANTIBODY_TOKEN, else none. When
// the server refuses the hello (no token where one is required; a token unknown, expired
// or revoked), `signInNeeded` carries the server's reason for the person to read, and the
// link waits. A token the person types is stored in the keyring once the server has
// welcomed it, and only if they asked; when no keyring answers it is kept in memory for
// this session and the person is told why. Sign-out deletes the stored token and
// disconnects. The token never goes to a file, a log line or a notice.
class ServerSignIn : public QObject
{
    Q_OBJECT
public:
    // Where the token in use came from.
    enum class Source { None, Keyring, Environment, Typed };

    // `environmentToken`: ANTIBODY_TOKEN as the process got it (empty: not set).
    ServerSignIn(ServerLink *link, TokenKeyring *keyring, QString environmentToken, QObject *parent = nullptr);

    // Reads the keyring, then starts the link with the token found (or none).
    void start();
    // The person typed `token`; `keep`: store it in the keyring once the server welcomes it.
    void signIn(const QString &token, bool keep);
    // The person closed the sign-in without a token: a sign-in under way is abandoned.
    void cancel();
    // Deletes this server's token from the keyring and disconnects until the next sign-in.
    void signOut();
    // Asks for a token again (File › Sign in): `signInNeeded` with what the server said when
    // it last refused (empty after a sign-in or sign-out).
    void ask();

    Source source() const { return m_source; }
    // Why the keyring cannot keep a token now (empty: it can, as far as the console knows).
    QString keyringProblem() const { return m_keyringProblem; }
    QString server() const;

Q_SIGNALS:
    // The console needs a token from the person: `reason` is what the server said.
    void signInNeeded(const QString &reason);
    // The server welcomed the token (or the name, without one) as `subject`.
    void signedIn(const QString &subject);
    // A sentence for the status line: the token kept, used for this session only, deleted.
    void notice(const QString &text);

private:
    void admitted(const QString &subject);
    void useEnvironmentToken();

    ServerLink *m_link;
    TokenKeyring *m_keyring;
    QString m_environmentToken;
    QString m_typed; // the token typed, until the server welcomed or refused it
    bool m_keep = false;
    Source m_source = Source::None;
    QString m_keyringProblem;
    QString m_announced; // the subject last said on stderr
    QString m_refusal; // what the server said when it last refused this console
    bool m_keyringRead = false; // the keyring answered, or the console stopped waiting for it
};

} // namespace antibody

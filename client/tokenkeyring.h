#pragma once

#include <QObject>
#include <QString>
#include <functional>

namespace antibody {

// The person's API token for a team server, kept in the desktop's keyring (the Secret
// Service on Linux: GNOME Keyring, KWallet) through qtkeychain, under the service
// "antibody" and the server's URL as the key, so that two servers keep two tokens.
// Never a plain file: qtkeychain's insecure fallback (QSettings) stays off, and when
// no keyring answers, the caller is told why and keeps the token in memory only.
// Every call returns at once; the keyring answers later, on this thread.
class TokenKeyring : public QObject
{
    Q_OBJECT
public:
    struct Outcome
    {
        enum class Kind {
            Done, // read (with `token`), stored or deleted
            NotStored, // a read or delete found no token for this server
            Unavailable, // no keyring answered, or it refused: `problem` says why in plain words
        };
        Kind kind = Kind::Done;
        QString token;
        QString problem;
    };
    using Done = std::function<void(const Outcome &)>;

    explicit TokenKeyring(QObject *parent = nullptr);

    void read(const QString &server, Done done);
    // Replaces whatever the keyring holds for `server`.
    void store(const QString &server, const QString &token, Done done);
    void forget(const QString &server, Done done);

    static const QString service; // "antibody"
};

} // namespace antibody

#include "client/tokenkeyring.h"

#include <QCoreApplication>
#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace antibody {

const QString TokenKeyring::service = u"antibody"_s;

namespace {

// Starts `job` for `server` and hands its outcome to `done` on `context`'s thread.
void run(QKeychain::Job *job, const QString &server, QObject *context, TokenKeyring::Done done)
{
    job->setKey(server);
    job->setAutoDelete(true);
    // Off, and said so: with it on, qtkeychain writes the token into a QSettings file in
    // clear text whenever no keyring answers. A token in a file is what this class prevents.
    job->setInsecureFallback(false);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *finished) {
        TokenKeyring::Outcome outcome;
        switch (finished->error()) {
        case QKeychain::NoError:
            if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(finished))
                outcome.token = read->textData();
            break;
        case QKeychain::EntryNotFound:
            outcome.kind = TokenKeyring::Outcome::Kind::NotStored;
            break;
        default:
            // NoBackendAvailable, AccessDenied, a Secret Service that is not there (OtherError
            // with D-Bus's words): all mean the token cannot be kept here now.
            outcome.kind = TokenKeyring::Outcome::Kind::Unavailable;
            outcome.problem = QCoreApplication::translate("TokenKeyring", "the desktop keyring cannot be reached (%1)")
                                  .arg(finished->errorString());
            break;
        }
        done(outcome);
    });
    job->start();
}

} // namespace

TokenKeyring::TokenKeyring(QObject *parent)
    : QObject(parent)
{
}

void TokenKeyring::read(const QString &server, Done done)
{
    run(new QKeychain::ReadPasswordJob(service), server, this, std::move(done));
}

void TokenKeyring::store(const QString &server, const QString &token, Done done)
{
    // Whatever this server's key holds goes first: a write replaces only an item of
    // qtkeychain's own schema, and one put there otherwise (secret-tool, an older client)
    // would stay beside the new token, and a read could find either.
    forget(server, [this, server, token, done = std::move(done)](const Outcome &cleared) {
        if (cleared.kind == Outcome::Kind::Unavailable) {
            done(cleared);
            return;
        }
        auto *job = new QKeychain::WritePasswordJob(service);
        job->setTextData(token);
        run(job, server, this, done);
    });
}

void TokenKeyring::forget(const QString &server, Done done)
{
    run(new QKeychain::DeletePasswordJob(service), server, this, std::move(done));
}

} // namespace antibody

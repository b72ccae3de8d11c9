#pragma once

#include "connectors/config/configuration.h"
#include "connectors/work/cancellation.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace antibody {

// One run of a team's renewal command (certbot, acme.sh, step ca renew...), blocking,
// on a worker thread. It runs as an argument vector, never through a shell, in a
// minimal environment, from /, with no input, in a process group of its own: at the
// timeout (or when the executor shuts down) the whole group is killed, so a script's
// children go too. Its output is read as it comes and only the last few kilobytes are
// kept, so a command that prints megabytes costs no memory; of those, one short line
// (the last, with secret-looking parts redacted) goes into the error when it fails.
class RenewalCommand
{
public:
    struct Outcome
    {
        bool ok = false;
        QString error; // for a human: what ran, how it ended, its last line
        qint64 elapsedMs = 0;
    };

    // The program argv[0] names: a path as given (it must be an executable file), or a
    // bare name found on Antibody's PATH. Empty, with `error` saying why, when none.
    static QString resolveProgram(const QString &argv0, QString *error);
    // PATH, HOME and LANG, the configuration's pass_env, and which certificate is meant
    // (ANTIBODY_CERTIFICATE, ANTIBODY_CERTIFICATE_NAME, ANTIBODY_SERVICE): nothing else.
    static QProcessEnvironment environment(const CertificateConfig &certificate, const QStringList &passEnv);
    static Outcome run(
        const CertificateConfig &certificate, const QStringList &passEnv, const Cancellation &cancellation);
    // The line of `output` worth showing: its last non-empty one, control characters
    // removed, secrets redacted, at most 200 characters.
    static QString lastLine(const QByteArray &output);
};

} // namespace antibody

#pragma once

#include "app/antibodyctl/serverconnection.h"

#include <QString>
#include <QStringList>
#include <functional>

namespace antibody::ctl {

class OptionReader;

// What every `--server` command reads besides its own options: the server's URL, the
// CA to trust, the name the person acts under, the timeout and --json. One place, so
// that `incidents`, `watch`, `approve`, `deny` and `audit` word them and check them alike.
struct ServerOptions
{
    ServerConnection::Options connection;
    bool json = false;
    bool help = false; // --help or -h: the command prints its help and asks nothing
    QString tokenFile; // --token-file: read in check(); else ANTIBODY_TOKEN, else none

    // Where an API token comes from when no --token-file is given.
    static constexpr char tokenVariable[] = "ANTIBODY_TOKEN";

    // Whether `--server` is among the arguments: the command then asks a server
    // instead of the local store.
    static bool requested(const QStringList &args);
    // `antibodyctl --server URL <command> ...` is `antibodyctl <command> --server URL ...`.
    static QStringList commandFirst(const QStringList &args);

    // Takes the option the reader stands on when it is one of these; true when it did.
    // `error` is set when its value is missing or wrong.
    bool take(OptionReader &reader, QString *error);
    // After the arguments: the URL given and usable, the token read; empty when all is well.
    QString check();
    // The API token from --token-file (a file only its owner can read) or the environment;
    // empty when all is well or none is given, else what is wrong and what to do.
    QString readToken();
    // A whole number from `least` to `most` as the value of the option the reader stands
    // on (`what` says what it counts, for the error). False, with `error` set, when not.
    static bool takeNumber(
        OptionReader &reader, qint64 least, qint64 most, const QString &what, qint64 *out, QString *error);

    // Reads every argument: these options, --help, and the command's own through `own`
    // (true when it took the one the reader stands on; it may set the error). Then check().
    // Empty when all is well, else what is wrong with which argument.
    QString read(
        const QStringList &args, const QString &command, const std::function<bool(OptionReader &, QString *)> &own);

    // The lines of a command's --help that describe these options.
    static const char helpText[];
};

} // namespace antibody::ctl

#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace antibody {

// Whether the console can reach the engine it shows. The in-process engine is always
// there (Local); a team server is reached over the network and can go away, and while
// it is away nothing the console shows is current and no decision can be sent.
struct ConnectionState
{
    enum class Phase {
        Local, // the engine runs in this process
        Connecting, // the first attempt to reach the team server
        Connected, // the server's snapshot has arrived; its events stream in
        Reconnecting, // the connection dropped or never came up: `reason`, next try at `nextTry`
        // The server refused this console's token (or its lack of one), or the person signed
        // out: `reason`. Nothing is tried again until the person signs in.
        SignInNeeded,
    };

    Phase phase = Phase::Local;
    QString server; // wss://host:8443; empty for the in-process engine
    QString reason; // Reconnecting, SignInNeeded: why the console is not connected, in plain words
    QDateTime nextTry; // Reconnecting: when the link tries again (wall clock); invalid while it tries
    QString problem; // what the server sent that this console could not read (stays while connected)
    // Connected to a server that stands by (its leader lease is another's): it decides
    // nothing, and `leader` says who does (empty: not known yet).
    bool standingBy = false;
    QString leader;

    bool remote() const { return !server.isEmpty(); }
    // Whether the console hears the engine's server now.
    bool reachable() const { return phase == Phase::Local || phase == Phase::Connected; }
    // Only a console that hears the engine now, on a server that leads, may decide for it.
    bool canDecide() const { return reachable() && !standingBy; }
    bool operator==(const ConnectionState &) const = default;
};

} // namespace antibody

Q_DECLARE_METATYPE(antibody::ConnectionState)

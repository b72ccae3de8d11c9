#pragma once

#include "models/link/connectionstate.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace antibody {

// What the console says about the engine it shows and whether it can reach it: the
// window title, the status line, the banner while a team server is out of reach, and
// the line on the approval bar. Written for someone woken at 3 a.m.: which server,
// what went wrong in plain words, and when the console tries again.
class ConnectionNotice
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionNotice)

public:
    // The window title: "Antibody — team server ops.example:8443 — 2 waiting for approval".
    static QString title(const ConnectionState &state, int waiting);
    // The status line: which engine this console shows, and as whom it decides.
    static QString status(const ConnectionState &state, const QString &approver);
    // The banner above the tabs (rich text); empty when there is nothing to say.
    static QString banner(const ConnectionState &state, const QDateTime &now);
    // Why Approve and Deny are disabled; empty while the engine can be reached.
    static QString approvalBlock(const ConnectionState &state);
    // What the disabled Approve says: "Disconnected", or "Standing by" on a standby.
    static QString approvalLabel(const ConnectionState &state);
    // "ops.example:8443" from "wss://ops.example:8443".
    static QString hostOf(const QString &server);
};

} // namespace antibody

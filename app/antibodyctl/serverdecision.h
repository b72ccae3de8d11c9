#pragma once

#include "app/antibodyctl/command.h"

namespace antibody::ctl {

// The decisions a person sends to the team's server (--server URL), one flow for all:
// read the arguments, connect, refuse at once when the server stands by (naming the
// leader), find what the id names in the server's state, send the command, and print
// the server's answer, as a sentence or with --json as one object. Exit 0: done; 1:
// refused (by the server; what the id names is not there, not waiting, or over; the
// person said no); 2: a usage error, or the server could not be asked or did not answer.
enum class ServerDecision {
    // The plan the person read: given with --fingerprint, or shown and confirmed on a
    // terminal (never without one, so that a script cannot approve a plan nobody read).
    Approve,
    // The plan refused, with the reason the next person reads.
    Deny,
    // An open incident: the engine runs no further step for it and hands it to a person.
    Cancel,
    // A circuit breaker closed again: its runbook may run automatically again.
    ResetBreaker,
    // A runbook file installed on the server (and every server of its store), run from then on.
    InstallRunbook,
    // Break-glass: the plan read runs now, below the approvals it needs, with a reason;
    // the incident is marked for review and the team's notifiers hear it at once.
    BreakGlass,
    // A shown plan (a level 1 checklist) the engine is asked to run, with a reason: it then
    // waits for approval by someone other than the requester.
    Request,
};

int decideOnServer(ServerDecision decision, const QStringList &args, Io &io);

} // namespace antibody::ctl

// antibodyctl install-runbook FILE --server URL: a runbook installed on the team's server,
// checked there as lint checks it and against the server's policy, run from then on.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/serverdecision.h"

namespace antibody::ctl {

int runInstallRunbook(const QStringList &args, Io &io)
{
    return decideOnServer(ServerDecision::InstallRunbook, args, io);
}

} // namespace antibody::ctl

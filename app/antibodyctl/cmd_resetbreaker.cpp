// antibodyctl reset-breaker NAME --server URL: a runbook's circuit breaker closed again on
// the team's server, by a person the audit trail names.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/serverdecision.h"

namespace antibody::ctl {

int runResetBreaker(const QStringList &args, Io &io)
{
    return decideOnServer(ServerDecision::ResetBreaker, args, io);
}

} // namespace antibody::ctl

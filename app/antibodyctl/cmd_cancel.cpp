// antibodyctl cancel INCIDENT --server URL: an open incident taken out of the engine's
// hands on the team's server: no further step runs for it, and a person handles it.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/serverdecision.h"

namespace antibody::ctl {

int runCancel(const QStringList &args, Io &io)
{
    return decideOnServer(ServerDecision::Cancel, args, io);
}

} // namespace antibody::ctl

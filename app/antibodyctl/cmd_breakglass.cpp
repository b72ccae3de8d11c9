// antibodyctl break-glass INCIDENT --server URL --reason TEXT: the plan read runs now with
// one person's approval, below what it needs; marked for review, the team told at once.
// antibodyctl request INCIDENT --server URL --reason TEXT: a shown plan waits for someone
// else's approval instead of being run by hand.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/serverdecision.h"

namespace antibody::ctl {

int runBreakGlass(const QStringList &args, Io &io)
{
    return decideOnServer(ServerDecision::BreakGlass, args, io);
}

int runRequest(const QStringList &args, Io &io)
{
    return decideOnServer(ServerDecision::Request, args, io);
}

} // namespace antibody::ctl

// antibodyctl break-glass INCIDENT --server URL --reason TEXT: the plan read runs now with
// one person's approval, below what it needs; marked for review, the team told at once.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/serverdecision.h"

namespace antibody::ctl {

int runBreakGlass(const QStringList &args, Io &io)
{
    return decideOnServer(ServerDecision::BreakGlass, args, io);
}

} // namespace antibody::ctl

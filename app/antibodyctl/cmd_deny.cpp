// antibodyctl deny ID --server URL --reason TEXT: a plan refused, with the reason the
// next person reads. Only against a server: locally, plans expire or are approved.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/serverdecision.h"

namespace antibody::ctl {

int runDeny(const QStringList &args, Io &io)
{
    return decideOnServer(ServerDecision::Deny, args, io);
}

} // namespace antibody::ctl

// antibodyctl deny ID --server URL --reason TEXT: a plan refused, with the reason the
// next person reads. Only against a server: locally, plans expire or are approved.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/serverdecision.h"
#include "app/antibodyctl/serveroptions.h"

namespace antibody::ctl {

int runDeny(const QStringList &args, Io &io)
{
    const bool help = args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"));
    if (!help && !ServerOptions::requested(args)) {
        io.err << "antibodyctl deny: --server URL is required: a denial goes to the team's antibody-server\n"
                  "usage: antibodyctl deny INCIDENT|PROPOSAL --server URL --reason TEXT [--fingerprint SHA256]\n";
        return UsageError;
    }
    return denyOnServer(args, io);
}

} // namespace antibody::ctl

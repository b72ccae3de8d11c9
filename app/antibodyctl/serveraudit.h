#pragma once

#include "app/antibodyctl/command.h"

namespace antibody::ctl {

// `antibodyctl audit --server URL [--after N] [--limit N]`: the events of the team
// server's audit trail by number, as text or JSON, in pages a script can walk.
int auditOnServer(const QStringList &args, Io &io);

} // namespace antibody::ctl

#pragma once

#include "app/antibodyctl/command.h"

namespace antibody::ctl {

// `antibodyctl approve|deny ID --server URL`: a decision on a plan the team's server
// holds. An approval names the fingerprint of the plan the person read: given with
// --fingerprint, or the plan shown and confirmed on a terminal (never without one, so
// that a script cannot approve a plan nobody read). A denial needs a reason.
int approveOnServer(const QStringList &args, Io &io);
int denyOnServer(const QStringList &args, Io &io);

} // namespace antibody::ctl

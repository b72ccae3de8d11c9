#pragma once

#include "app/antibodyctl/command.h"
#include "app/antibodyctl/teamsnapshot.h"

namespace antibody::ctl {

// A plan the team's server holds, as a person reads it before approving: its steps,
// each step's blast radius and targets, the guardrails, the approvals so far and when
// the window closes, and the command that approves exactly it from a script.
void showServerPlan(const TeamSnapshot::Found &found, const QString &url, Io &io);

// Asks on the terminal; true on "yes". Blocks: nothing else is going on while a person reads.
bool confirmedOnTerminal(const QString &question, Io &io);

} // namespace antibody::ctl

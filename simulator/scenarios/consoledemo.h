#pragma once

#include "simulator/scenarios/scenario.h"

namespace antibody::sim {

// The console's demo with no configuration: one script over the default fleet in
// which, at the console's pace, a new user sees within the first real minute the
// four situations the console is for: a Level 3 auto-heal (the seed's pool leak),
// a Level 2 proposal waiting with its blast radius (region failover), a circuit
// breaker opening with a page (a crash loop restarts cannot fix) and a
// never-automate escalation (data corruption). It is not in scenarios(): it is
// no drill and has no single outcome to hold a run to; `antibodyctl simulate
// --scenario console-demo` plays it in the terminal. Its horizon ends what a run
// records, not the world: the console's engine goes on after it.
const Scenario &consoleDemo();

// Simulated seconds per real second in the demo: the breaker needs three failed
// restarts within its 10-minute window, which must fit in a minute of watching.
inline constexpr double consoleDemoPace = 12.0;

} // namespace antibody::sim

#pragma once

#include "engine/core/time.h"

#include <QString>

namespace antibody {

// Durations rounded for a glance: "45s", "3m 12s", "2h 05m", "3d 4h". The exact
// value lives in tooltips and the audit log; a list column needs two units at most.
QString formatAge(Duration d);

// "03:04:05" in UTC: the engine's timeline is UTC everywhere, so the console's
// times line up with the CLI, the audit export and the monitoring system's.
QString formatClockTime(TimePoint t);

} // namespace antibody

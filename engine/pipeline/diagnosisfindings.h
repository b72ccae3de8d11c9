#pragma once

#include "engine/domain/incident.h"
#include "engine/runbook/runbook.h"

#include <QStringList>

namespace antibody {

// What the diagnosis found, as a person reads it: one short sentence per finding,
// for the proposal card, the escalation brief and the timeline.
//
//   query_metrics        "error rate 31.7% (max 51.3% over 10 min), read 5 s ago"
//   collect_diagnostics  "likely cause: pool saturation", "connection pool 97% in use"
//   anything else        "pool_size = 20" ("step.fact = value" when two steps share the name)
//
// With the runbook known, only its diagnosis steps speak (the read-only steps before
// the first that acts, Planner::diagnosisSteps), in its order; what later steps leave
// is the execution's story. Step outcomes (succeeded, failed, ...) are bookkeeping and
// never said. The metric's name and window come from the step's evidence in the
// incident's diagnostics, or from the runbook's step when the evidence has none;
// whether its values read as a percentage or in seconds is metricUnit()'s rule, the
// one the charts follow.
QStringList diagnosisFindings(const Incident &incident, const Runbook *runbook);

} // namespace antibody

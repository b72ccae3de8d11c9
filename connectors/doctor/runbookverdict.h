#pragma once

#include "connectors/doctor/doctorreport.h"
#include "connectors/doctor/runbookneeds.h"
#include "connectors/doctor/worldfacts.h"

namespace antibody {

// One runbook's verdict from what the world said: each alert, symptom, metric and step
// it needs, found (with the series count) or missing, at the runbook's line.
RunbookVerdict runbookVerdict(
    const Configuration &config, const WorldFacts &facts, const Runbook &runbook, const RunbookNeeds &needs);

} // namespace antibody

#pragma once

#include "engine/rehearsal/dryrunreport.h"
#include "engine/runbook/runbook.h"

#include <QString>

namespace antibody::sim {

// `antibodyctl dry-run`: plays the scenario on a fresh simulated fleet until the
// runbook's trigger holds (and has held for its `for:`), then asks the engine for
// the proposal it would make then, with guardrails and mode. The runbook is not
// live in that engine: nothing is executed, and only the read-only diagnosis steps
// run, as a dry run does. With no scenario given, the one the runbook's drill
// names; with none there either, the quiet fleet.
class SimulatedDryRun
{
public:
    static DryRunReport run(const Runbook &runbook, const QString &scenario = {});
};

} // namespace antibody::sim

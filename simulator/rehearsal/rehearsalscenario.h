#pragma once

#include "engine/runbook/runbook.h"
#include "simulator/scenarios/scenario.h"

#include <QString>
#include <optional>

namespace antibody::sim {

// Which scenario a runbook is rehearsed in: `name` when given, else the one its
// `drill:` names (a scenario, or a fault: the first scenario that injects that kind
// of fault, docs/simulator.md). Empty, with `error` saying what to write, when there is none.
std::optional<Scenario> rehearsalScenario(const Runbook &runbook, const QString &name, QString *error);

// The default fleet with nothing wrong: what a dry run plans against when neither
// the command line nor the runbook names a scenario.
Scenario quietFleet();

} // namespace antibody::sim

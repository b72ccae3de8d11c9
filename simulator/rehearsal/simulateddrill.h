#pragma once

#include "engine/rehearsal/drillreport.h"
#include "engine/runbook/runbook.h"

#include <QList>

namespace antibody::sim {

// A runbook's drill: the scenario (or fault) its `drill:` names, played on a fresh
// simulated fleet in virtual time with the runbook live in an engine, until the
// first incident the runbook opens is resolved or escalated (or the scenario's
// horizon passes), then judged by DrillVerdict. Approvals are given as they are
// asked for, as a human on a drill would, so the whole runbook is exercised; the
// approval gate itself is the engine's suites' business. Thread-safe: each call
// builds its own world, so the console runs drills on a worker thread.
class SimulatedDrill
{
public:
    // `drilledAt` stamps the result: the time of whoever asked (the system clock for
    // antibodyctl, the console's clock in the console), not the scenario's virtual time,
    // so "drilled in the last 30 days" means what it says. `others`: runbooks live
    // beside it (none by default: the drill judges this one).
    static DrillReport run(const Runbook &runbook, TimePoint drilledAt, const QList<Runbook> &others = {});
};

} // namespace antibody::sim

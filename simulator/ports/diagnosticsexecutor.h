#pragma once

#include "simulator/ports/simulatedexecutor.h"

namespace antibody::sim {

// collect_diagnostics on the simulated fleet: a few seconds of checks, then the
// catalog's facts and a one-line summary of what each check found.
class DiagnosticsExecutor : public SimulatedExecutor
{
public:
    explicit DiagnosticsExecutor(World &world);

protected:
    void run(const ActionRequest &request, Done done) override;
};

} // namespace antibody::sim

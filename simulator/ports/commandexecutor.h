#pragma once

#include "simulator/ports/simulatedexecutor.h"

namespace antibody::sim {

// run_command on the simulated fleet. There is no host to run a program on, and
// the simulator will not run a runbook's argv on the machine it runs on: the
// step fails, visibly, saying so.
class CommandExecutor : public SimulatedExecutor
{
public:
    explicit CommandExecutor(World &world);

protected:
    void run(const ActionRequest &request, Done done) override;
};

} // namespace antibody::sim

#pragma once

#include "simulator/ports/simulatedexecutor.h"

namespace antibody::sim {

// The hosts family on the simulated fleet: isolate_host cuts a host off the
// network and out of load balancing while it keeps running (evidence survives);
// terminate_host destroys it, and with it the evidence (the world records that).
class HostExecutor : public SimulatedExecutor
{
public:
    explicit HostExecutor(World &world);

protected:
    void run(const ActionRequest &request, Done done) override;
};

} // namespace antibody::sim

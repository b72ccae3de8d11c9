#pragma once

#include "simulator/ports/simulatedexecutor.h"

namespace antibody::sim {

// failover_region on the simulated fleet: the region's traffic weight moves to
// another serving region over 30 s (DNS TTLs expiring), then the region is drained.
class TrafficExecutor : public SimulatedExecutor
{
public:
    explicit TrafficExecutor(World &world);

protected:
    void run(const ActionRequest &request, Done done) override;
};

} // namespace antibody::sim

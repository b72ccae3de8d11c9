#pragma once

#include "simulator/ports/simulatedexecutor.h"

namespace antibody::sim {

// The database family on the simulated orders-db: terminate_connections
// (re-checks each session's state and age at the moment of the kill, never
// touches the remediator's own session or excluded applications) and
// failover_database (refused, not failed, while the replica lags beyond the bound).
class DatabaseExecutor : public SimulatedExecutor
{
public:
    explicit DatabaseExecutor(World &world);

protected:
    void run(const ActionRequest &request, Done done) override;

private:
    void terminate(const ActionRequest &request, Done done);
    void failover(const ActionRequest &request, Done done);
};

} // namespace antibody::sim

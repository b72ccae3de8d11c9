#pragma once

#include "simulator/ports/simulatedexecutor.h"

namespace antibody::sim {

// renew_certificate on the simulated fleet: an order to the issuer takes a few
// seconds and extends validity to 90 days; an issuer that refuses (a fault)
// fails the step with its answer.
class CertificateExecutor : public SimulatedExecutor
{
public:
    explicit CertificateExecutor(World &world);

protected:
    void run(const ActionRequest &request, Done done) override;
};

} // namespace antibody::sim

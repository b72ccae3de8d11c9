#pragma once

namespace antibody::sim {

// The payment provider as payments-svc sees it: what a replay of its hung calls would cost.
struct Payments
{
    int inFlight = 0; // transactions sent to the provider, answer not yet received
    int duplicateCharges = 0; // what a replay of in-flight transactions costs
    bool providerHanging = false;
};

} // namespace antibody::sim

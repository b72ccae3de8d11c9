#include "simulator/ports/diagnosticsexecutor.h"

#include "simulator/ports/diagnosis.h"
#include "simulator/world/world.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {

DiagnosticsExecutor::DiagnosticsExecutor(World &world)
    : SimulatedExecutor(world, u"diagnostics"_s)
{
}

void DiagnosticsExecutor::run(const ActionRequest &request, Done done)
{
    if (!world().fleet().service(request.service)) {
        finishAfter(
            0s, std::move(done), failed(u"the simulated fleet has no service '%1' to diagnose"_s.arg(request.service)));
        return;
    }
    const QStringList checks = listParam(request.params, u"checks"_s);
    // The checks take a few seconds; what they report is the fleet as it is when they finish.
    later(4s, [this, request, checks, done = std::move(done)] {
        const Diagnosis d = diagnose(world().fleet(), request.service, checks, now());
        ActionResult r;
        r.ok = true;
        r.facts = d.facts;
        r.detail = d.summary();
        done(r);
    });
}

} // namespace antibody::sim

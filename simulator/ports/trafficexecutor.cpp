#include "simulator/ports/trafficexecutor.h"

#include "simulator/world/world.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {
namespace {

constexpr Duration shiftTime = 30s;

} // namespace

TrafficExecutor::TrafficExecutor(World &world)
    : SimulatedExecutor(world, u"traffic"_s)
{
}

void TrafficExecutor::run(const ActionRequest &request, Done done)
{
    FleetState &fleet = world().fleet();
    QString from = request.params.value(u"from"_s).toString();
    if (from.isEmpty() && !request.targets.isEmpty())
        from = request.targets.front();
    const Region *source = fleet.region(from);
    if (!source) {
        finishAfter(0s, std::move(done), failed(u"the simulated fleet has no region '%1'"_s.arg(from)));
        return;
    }
    if (source->weight <= 0) {
        finishAfter(0s, std::move(done), failed(u"%1 is already drained"_s.arg(from)));
        return;
    }
    QString to = request.params.value(u"to"_s).toString();
    for (const Region &r : fleet.regions) {
        if (to.isEmpty() && r.name != from && r.state == u"serving"_s)
            to = r.name;
    }
    const Region *destination = fleet.region(to);
    if (!destination || destination->name == from || destination->state != u"serving"_s) {
        finishAfter(0s, std::move(done),
            refused(to.isEmpty() ? u"nowhere to move %1's traffic: no other region is serving"_s.arg(from)
                                 : u"%1 cannot take %2's traffic: it is %3"_s.arg(
                                     to, from, destination ? destination->state : u"unknown"_s)));
        return;
    }
    // Weights move in steps as resolvers' cached answers expire.
    const double moving = source->weight;
    const TimePoint start = now();
    auto poll = [this, from, to, moving, start]() -> std::optional<ActionResult> {
        Region *src = world().fleet().region(from);
        Region *dst = world().fleet().region(to);
        const double progress = std::min(1.0, toSeconds(now() - start) / toSeconds(shiftTime));
        const double target = moving * (1.0 - progress);
        dst->weight += src->weight - target;
        src->weight = target;
        if (progress < 1.0)
            return std::nullopt;
        src->state = u"drained"_s;
        ActionResult r;
        r.ok = true;
        r.affected = { from };
        r.facts = { { u"serving_region"_s, to } };
        r.detail = u"moved %1's traffic to %2 over %3; %1 is drained"_s.arg(from, to, formatDuration(shiftTime));
        return r;
    };
    watch(
        shiftTime + 5s, std::move(poll), [] { return failed(u"the traffic shift did not complete"_s); },
        std::move(done));
}

} // namespace antibody::sim

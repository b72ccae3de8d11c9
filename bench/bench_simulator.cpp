// How fast the simulated fleet runs on a virtual clock: the end-to-end tests,
// drills and `simulate` all spend their time here.
#include "bench/benchmark.h"
#include "engine/core/virtualclock.h"
#include "simulator/scenarios/simulatedenvironment.h"

#include <QElapsedTimer>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

double virtualSecondsPerSecond(const antibody::sim::Scenario *scenario, antibody::Duration length)
{
    antibody::VirtualClock clock(*antibody::parseTime(u"2026-11-27T19:30:00Z"));
    antibody::sim::SimulatedEnvironment env(clock, 1);
    if (scenario)
        env.play(*scenario);
    QElapsedTimer t;
    t.start();
    clock.advanceBy(length);
    return antibody::toSeconds(length) / (static_cast<double>(t.nsecsElapsed()) / 1e9);
}

} // namespace

ANTIBODY_BENCHMARK(simulator)
{
    antibody::bench::report(u"simulator_default_fleet"_s, virtualSecondsPerSecond(nullptr, 6h), u"virtual_s/s"_s);
    antibody::bench::report(u"simulator_checkout_saturation"_s,
        virtualSecondsPerSecond(antibody::sim::findScenario(u"checkout-cpu-saturation"), 1h), u"virtual_s/s"_s);
}

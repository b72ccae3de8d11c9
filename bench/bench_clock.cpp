// How fast virtual time runs: the simulator and the engine's tests depend on it.
#include "bench/benchmark.h"
#include "engine/core/virtualclock.h"

#include <QElapsedTimer>

using namespace Qt::StringLiterals;

ANTIBODY_BENCHMARK(virtual_clock_timers)
{
    antibody::VirtualClock clock;
    constexpr int range = 1'000'000;
    // --quick samples the same range of i (every 20th), so its arithmetic meets the same values.
    const int step = range / antibody::bench::scaled(range);
    int timers = 0;
    int fired = 0;
    QElapsedTimer t;
    t.start();
    // Delays spread over 100 s in a scrambled order. i * 7919 passes INT_MAX at i = 271,183:
    // in int that is undefined behaviour (the ci build grew past 10 GB on it), so in 64 bits.
    for (int i = 0; i < range; i += step, ++timers)
        clock.callAfter(antibody::Duration { (qint64 { i } * 7919) % 100'000 }, [&fired] { ++fired; });
    while (clock.runNext()) { }
    const double ns = static_cast<double>(t.nsecsElapsed()) / timers;
    antibody::bench::report(u"virtual_clock_schedule_and_run"_s, ns, u"ns/timer"_s);
    if (fired != timers)
        antibody::bench::report(u"virtual_clock_lost_timers"_s, timers - fired, u"timers"_s);
}

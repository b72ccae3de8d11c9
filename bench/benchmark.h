#pragma once

#include <QList>
#include <QString>
#include <chrono>
#include <functional>

namespace antibody::bench {

// One figure: `name value unit`, e.g. "lint_1000_runbooks 412.3 ms".
void report(const QString &name, double value, const QString &unit);

// A figure with the target it is held to: `name value unit (target < T unit: met|MISSED)`.
void reportAgainst(const QString &name, double value, const QString &unit, double target);

// Every duration the benchmarks measure across processes and sockets: monotonic.
using SteadyClock = std::chrono::steady_clock;

// The value at fraction `p` of the sorted values (0.5 the median, 1 the largest); 0 when empty.
double percentile(QList<double> values, double p);
double millisecondsBetween(SteadyClock::time_point from, SteadyClock::time_point to);

// Runs the event loop until `done()` is true (true) or `timeoutMs` passed (false). It
// sleeps until the next event rather than spinning, so a handler that stamps a time
// stamps it when the bytes arrive, and the processes measured keep the cores.
bool waitFor(const std::function<bool()> &done, int timeoutMs);
// The same for a question that costs something to ask (a process, an HTTP request):
// asked every `intervalMs`, the event loop turning in between.
bool pollUntil(const std::function<bool()> &done, int intervalMs, int timeoutMs);

// `antibody_bench --quick`: each benchmark does a twentieth of its work, so that the
// sanitizer build runs all of their code in seconds (bench/CMakeLists.txt). The
// figures then mean nothing; the point is that the code ran.
bool quick();
// `full`, or with --quick a twentieth of it (at least 1).
int scaled(int full);

// Registers a benchmark at static-initialization time; each bench_*.cpp adds one or more.
struct Registration
{
    Registration(const char *name, std::function<void()> run);
};

#define ANTIBODY_BENCHMARK_CAT2(a, b) a##b
#define ANTIBODY_BENCHMARK_CAT(a, b) ANTIBODY_BENCHMARK_CAT2(a, b)
#define ANTIBODY_BENCHMARK(name)                                                                                       \
    static void ANTIBODY_BENCHMARK_CAT(bench_, name)();                                                                \
    static const ::antibody::bench::Registration ANTIBODY_BENCHMARK_CAT(registration_, name)(                          \
        #name, &ANTIBODY_BENCHMARK_CAT(bench_, name));                                                                 \
    static void ANTIBODY_BENCHMARK_CAT(bench_, name)()

} // namespace antibody::bench

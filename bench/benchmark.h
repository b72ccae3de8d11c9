#pragma once

#include <QString>
#include <functional>

namespace antibody::bench {

// One figure: `name value unit`, e.g. "lint_1000_runbooks 412.3 ms".
void report(const QString &name, double value, const QString &unit);

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

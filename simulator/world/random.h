#pragma once

#include <QtGlobal>
#include <random>

namespace antibody::sim {

// The simulator's one source of chance: a 64-bit Mersenne Twister from a fixed
// seed. The transforms to doubles and normals are written out here instead of
// using <random>'s distributions, whose output the standard leaves to each
// library: the same seed gives the same world, bit for bit, on any toolchain.
class Random
{
public:
    explicit Random(quint64 seed)
        : m_engine(seed)
    {
    }

    // Uniform in [0, 1).
    double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
    double uniform(double low, double high) { return low + (high - low) * uniform(); }
    bool chance(double probability) { return uniform() < probability; }
    // Standard normal (Box-Muller), scaled.
    double normal(double mean, double sigma);
    // A whole number in [low, high].
    qint64 between(qint64 low, qint64 high);

private:
    std::mt19937_64 m_engine;
};

} // namespace antibody::sim

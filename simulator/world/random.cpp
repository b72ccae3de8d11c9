#include "simulator/world/random.h"

#include <cmath>
#include <numbers>

namespace antibody::sim {

double Random::normal(double mean, double sigma)
{
    // 1 - uniform() is in (0, 1]: the logarithm never sees zero.
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return mean + sigma * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

qint64 Random::between(qint64 low, qint64 high)
{
    if (high <= low)
        return low;
    const auto span = static_cast<quint64>(high - low) + 1;
    return low + static_cast<qint64>(m_engine() % span);
}

} // namespace antibody::sim

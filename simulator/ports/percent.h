#pragma once

#include <QString>
#include <cmath>

namespace antibody::sim {

// A fraction as the simulator's diagnoses and results word it: 0.934 -> "93%".
inline QString percent(double fraction)
{
    return QStringLiteral("%1%").arg(std::lround(fraction * 100.0));
}

} // namespace antibody::sim

#include "engine/ports/metricsource.h"

namespace antibody {

MetricSource::~MetricSource() = default; // anchors the port's vtable in one object file

std::optional<TimePoint> MetricResult::newest() const
{
    std::optional<TimePoint> out;
    for (const Sample &s : samples) {
        if (!out || s.at > *out)
            out = s.at;
    }
    return out;
}

} // namespace antibody

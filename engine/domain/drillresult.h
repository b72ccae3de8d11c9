#pragma once

#include "engine/core/time.h"

#include <QString>
#include <optional>

namespace antibody {

// One run of a runbook's drill: did the scenario end the way the runbook promises?
struct DrillResult
{
    QString runbook;
    QString scenario;
    bool passed = false;
    QString outcome; // resolved, escalated, ...
    std::optional<Duration> mttr; // detection to resolution, when it resolved
    TimePoint at;
    QString detail; // one sentence: why it passed or failed
};

} // namespace antibody

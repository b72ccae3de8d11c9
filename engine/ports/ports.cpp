// Out-of-line destructors anchor each port's vtable in one object file.
#include "engine/ports/actionexecutor.h"
#include "engine/ports/alertsource.h"
#include "engine/ports/metricsource.h"
#include "engine/ports/notifier.h"
#include "engine/ports/workloadstate.h"

using namespace Qt::StringLiterals;

namespace antibody {

AlertSource::~AlertSource() = default;
MetricSource::~MetricSource() = default;
ActionExecutor::~ActionExecutor() = default;
Notifier::~Notifier() = default;

QString WorkloadRevision::text() const
{
    if (templateHash.isEmpty())
        return u"revision %1"_s.arg(number);
    return u"revision %1 (template %2)"_s.arg(number, templateHash);
}

std::optional<TimePoint> MetricResult::newest() const
{
    std::optional<TimePoint> out;
    for (const Sample &s : samples) {
        if (!out || s.at > *out)
            out = s.at;
    }
    return out;
}

QString feedStateText(FeedHealth::State s)
{
    switch (s) {
    case FeedHealth::State::Healthy:
        return u"healthy"_s;
    case FeedHealth::State::Degraded:
        return u"degraded"_s;
    case FeedHealth::State::Down:
        return u"down"_s;
    }
    return {};
}

} // namespace antibody

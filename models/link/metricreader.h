#pragma once

#include "engine/core/time.h"
#include "engine/ports/metricsource.h"

#include <QList>
#include <QObject>
#include <functional>

namespace antibody {

// Reads the recent past of some metrics for the charts, wherever the metric
// source lives (the engine's thread): the answer comes back on the GUI thread,
// with the engine's "now" so that the charts line up with the engine's clock.
class MetricReader
{
public:
    struct Window
    {
        TimePoint now;
        QList<RangeResult> results; // one per query, in order
    };

    virtual ~MetricReader();
    // `done` runs on `context`'s thread, and not at all if `context` is gone.
    virtual void readWindow(const QList<MetricQuery> &queries, Duration span, Duration step, QObject *context,
        std::function<void(const Window &)> done)
        = 0;
};

} // namespace antibody

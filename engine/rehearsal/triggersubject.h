#pragma once

#include "engine/core/clock.h"
#include "engine/core/labels.h"
#include "engine/ports/metricsource.h"
#include "engine/runbook/runbook.h"

#include <QList>
#include <QString>
#include <functional>

namespace antibody {

// The alert a dry run pretends fired: the labels the runbook would see if its
// trigger fired now, and in words why these.
struct TriggerSubject
{
    Labels labels;
    QString explanation; // "db_connection_pool_utilization is 95% on orders-db (> 90%): the trigger holds now"
    bool holdsNow = false;
};

// Finds the subject, in this order: an alert firing now that the trigger matches
// (`firing`: the labels of every firing alert, or of every open incident); for a
// metric trigger, the service whose series is furthest past (or closest to) its
// threshold, read from `metrics` now; else the labels the trigger names itself.
// `done` runs on the engine's thread (the clock's and the metric source's), never
// inside this call.
void findTriggerSubject(const Runbook &runbook, Clock &clock, MetricSource *metrics, const QList<Labels> &firing,
    std::function<void(const TriggerSubject &)> done);

} // namespace antibody

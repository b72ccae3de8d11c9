#pragma once

#include "engine/runbook/measure.h"
#include "engine/runbook/runbook.h"

#include <QString>

namespace antibody {

// How a metric's values read to a person: as a percentage (a fraction of a whole),
// in seconds, or as plain numbers. The console's charts and the diagnosis sentences
// both ask here, so an axis in % and "error rate 31.7%" never disagree.
//
// The runbook knows its metrics best: a trigger or a wait_for_metric goal on the
// metric written as "90%" makes it a percentage, "1s" or "300ms" seconds, and a plain
// bound above 1 ("traffic_ratio > 2", "request_rate > 1000") a plain number, since a
// fraction never needs one. When the runbook says nothing, the name does (the
// vocabulary's conventions, docs/vocabulary.md): *_seconds are seconds; *_ratio,
// *utilization* and *_rate are fractions; everything else is a plain number.
Measure::Kind metricUnit(const QString &metricName, const Runbook *runbook);

// The metric's name in a selector: "db_pool_utilization" for
// `db_pool_utilization{service="orders-db"}`; empty for PromQL and comparisons.
QString metricNameOf(const QString &selector);

} // namespace antibody

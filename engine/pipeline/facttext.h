#pragma once

#include "engine/core/time.h"
#include "engine/runbook/measure.h"

#include <QString>
#include <QVariant>

namespace antibody {

// How a diagnosis fact reads to a person: measurements to four significant digits
// ("0.3046", not "0.3045828217986316"), whole numbers in full, NaN and ∞ as such,
// the rest as it is.
QString factText(const QVariant &value);

// A number in its unit: "31.7%" for a fraction, "1.681 s" or "250 ms" for seconds,
// factText() for the rest. NaN and ∞ carry no unit.
QString measureText(double value, Measure::Kind unit);

// Durations as said aloud, two units at most: "250 ms", "5 s", "1 min 1 s", "10 min", "2 h 5 min".
QString spokenDuration(Duration d);

// Text from outside (an executor's fact, a PromQL expression) on one line and at
// most `limit` characters, cut with "…".
QString clippedText(const QString &text, qsizetype limit = 60);

// The bookkeeping facts every step leaves (`diagnose.failed = false`,
// `.skipped`, `.succeeded`, `.timed_out`): conditions need them, people do not.
bool isStepOutcomeFact(const QString &key);

} // namespace antibody

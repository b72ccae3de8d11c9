#pragma once

#include <QString>
#include <QVariant>

namespace antibody {

// How a diagnosis fact reads to a person: measurements to four significant digits
// ("0.3046", not "0.3045828217986316"), whole numbers in full, the rest as it is.
QString factText(const QVariant &value);

// The bookkeeping facts every step leaves (`diagnose.failed = false`,
// `.skipped`, `.succeeded`, `.timed_out`): conditions need them, people do not.
bool isStepOutcomeFact(const QString &key);

} // namespace antibody

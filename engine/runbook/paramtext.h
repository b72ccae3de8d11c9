#pragma once

#include <QString>
#include <QVariantMap>

namespace antibody {

// A plan step's parameters as a person reads them on a proposal, from the values the
// planner normalized: durations as "10m" (not 600000), fractions as "15%", lists joined;
// in the order the catalog lists the action's parameters, then any others by name.
QString paramsText(const QString &action, const QVariantMap &params);

} // namespace antibody

#pragma once

#include "engine/domain/incident.h"

#include <QStringList>

namespace antibody {

// The alerts grouped into one incident, one line each as a person reads them:
// "HighErrorRate on orders-svc: orders-svc error rate at 12%". Empty when the
// incident holds a single alert: its title already says it.
QStringList groupedAlertLines(const Incident &incident);

} // namespace antibody

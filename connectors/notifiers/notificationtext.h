#pragma once

#include "engine/ports/notifier.h"

#include <QJsonObject>
#include <QString>

namespace antibody {

// One line a human reads first: "[PAGE critical] orders-db: connection pool exhausted (incident INC-7)".
QString notificationLine(const Notification &n);
// "page", "notify" or "resolve".
QString notificationKind(const Notification &n);
// The details, or a note saying they were too large to send (receivers cap request sizes).
QJsonObject boundedDetails(const QJsonObject &details, qsizetype maxBytes);

} // namespace antibody

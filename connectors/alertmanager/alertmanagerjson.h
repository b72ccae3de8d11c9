#pragma once

#include "engine/ports/alert.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace antibody::alertmanagerjson {

// Readers of Alertmanager's API v2 answers. Every field's type is checked; an
// answer with one unreadable alert is unusable as a whole (skipping the odd one
// would hide an alert that may be firing).

struct Alerts
{
    bool ok = false;
    QString error;
    QList<Alert> alerts; // observedAt unset: the source stamps it
};
// GET /api/v2/alerts
Alerts parseAlerts(const QByteArray &json);

// GET /api/v2/status: when this Alertmanager started ("uptime"), to notice restarts.
std::optional<TimePoint> parseStartedAt(const QByteArray &json, QString *error);

// RFC 3339 as Alertmanager writes it, with any number of fractional digits.
std::optional<TimePoint> parseRfc3339(const QString &text);

} // namespace antibody::alertmanagerjson

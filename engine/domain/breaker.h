#pragma once

#include "engine/core/time.h"

#include <QList>
#include <QString>
#include <optional>

namespace antibody {

// A circuit breaker per remediation type, as stored and shown (the rule: pipeline/circuitbreaker.h).
struct BreakerState
{
    enum class State { Closed, Open, HalfOpen };
    QString type; // remediation type: the runbook's name
    State state = State::Closed;
    QList<TimePoint> failures; // within the window
    std::optional<TimePoint> openedAt;
    QString lastReason;
};
QString breakerStateText(BreakerState::State s); // closed, open, half-open
// The state a stored text names; closed for any other text (a breaker that cannot tell counts nothing against a
// runbook).
BreakerState::State breakerStateFromText(const QString &text);

// A resource no remediation may touch until `until`.
struct Cooldown
{
    QString resource; // "service/checkout-svc", "database/orders-db"
    TimePoint until;
    QString reason;
};

} // namespace antibody

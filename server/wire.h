#pragma once

#include "engine/domain/breaker.h"
#include "engine/domain/incident.h"
#include "engine/domain/proposal.h"
#include "engine/ports/alert.h"
#include "engine/ports/store.h"

#include <QJsonObject>

namespace antibody::wire {

// What the client API sends of each record: JSON objects with stable keys (the
// protocol in docs/team.md). Times are milliseconds since the epoch on the engine's
// clock; states are their stored identifiers; every text has passed Redaction where
// the record came from the store.
QJsonObject incident(const Incident &incident);
QJsonObject proposal(const Proposal &proposal);
QJsonObject breaker(const BreakerState &breaker);
QJsonObject feed(const FeedHealth &feed);
QJsonObject event(const AuditLog::StoredEvent &event);

} // namespace antibody::wire

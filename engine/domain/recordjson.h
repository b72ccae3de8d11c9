#pragma once

#include "engine/domain/breaker.h"
#include "engine/domain/engineevent.h"
#include "engine/domain/incident.h"
#include "engine/domain/plan.h"
#include "engine/domain/proposal.h"
#include "engine/ports/alert.h"
#include "engine/ports/metricsource.h"

#include <QJsonArray>
#include <QJsonObject>
#include <optional>

namespace antibody::RecordJson {

// The engine's records as JSON objects and back, whole: what a console far from the
// engine needs to show an incident, its plan with every blast radius and guardrail,
// and to approve exactly the plan it shows. The team server's client API sends these
// (docs/team.md); the store keeps the plan in the same shape. A reader returns nothing,
// and says why in `error`, for an object that is not the record it should be; keys it
// does not know are ignored, so a newer server's additions do not break an older console.
QJsonObject plan(const Plan &plan);
std::optional<Plan> planFrom(const QJsonObject &json, QString *error);

QJsonObject incident(const Incident &incident);
std::optional<Incident> incidentFrom(const QJsonObject &json, QString *error);

QJsonObject proposal(const Proposal &proposal);
std::optional<Proposal> proposalFrom(const QJsonObject &json, QString *error);

QJsonObject breaker(const BreakerState &breaker);
std::optional<BreakerState> breakerFrom(const QJsonObject &json, QString *error);

QJsonObject feed(const FeedHealth &feed);
std::optional<FeedHealth> feedFrom(const QJsonObject &json, QString *error);

// An event as the stream carries it (seq, at, kind, incident, detail, data).
std::optional<EngineEvent> eventFrom(const QJsonObject &json, QString *error);
std::optional<EngineEvent::Kind> kindFromName(QStringView name);

// The series of a range read, as the client API's `query_range` answer carries them:
// [{"labels": {...}, "points": [[at, value], ...]}]. A value that is not finite is
// left out (JSON has no NaN): the chart shows a gap there.
QJsonArray rangeSeries(const QList<RangeSeries> &series);
std::optional<QList<RangeSeries>> rangeSeriesFrom(const QJsonValue &json, QString *error);

} // namespace antibody::RecordJson

#pragma once

#include "engine/ports/metricsource.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>

namespace antibody::prometheusjson {

// Readers of the Prometheus HTTP API's answers (api/v1). Each checks every
// field's type and returns an error naming what is wrong instead of trusting
// the server: a proxy, a wrong URL or a broken server can answer anything.

struct Instant
{
    bool ok = false;
    QString error;
    QList<Sample> samples; // `at` is the evaluation time; the source replaces it with the sample time
    int droppedNaN = 0; // NaN values (0/0 and the like) carry no information and are left out
};
// /api/v1/query: a vector or a scalar.
Instant parseInstant(const QByteArray &json);

// /api/v1/query_range: a matrix.
RangeResult parseRange(const QByteArray &json);

struct Rules
{
    bool ok = false;
    QString error;
    QMap<QString, QString> recording; // record name -> its expression
    QStringList alerting; // the names of the alerting rules, each once
};
// /api/v1/rules
Rules parseRules(const QByteArray &json);

// Unix seconds (a `timestamp()` value, a sample's time) as a time point, or nothing
// when it cannot be one: NaN, an infinity, before 1970 or after 2500. Casting such a
// value to an integer would be undefined behaviour.
std::optional<TimePoint> timeFromSeconds(double seconds);

// The "errorType: error" of an error answer, or empty when it is not one.
QString apiError(const QByteArray &json);

} // namespace antibody::prometheusjson

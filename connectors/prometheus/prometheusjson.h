#pragma once

#include "engine/ports/metricsource.h"

#include <QByteArray>
#include <QMap>
#include <QString>

namespace antibody::prometheusjson {

// Readers of the Prometheus HTTP API's answers (api/v1). Each checks every
// field's type and returns an error naming what is wrong instead of trusting
// the server: a proxy, a wrong URL or a broken server can answer anything.

struct Instant {
    bool ok = false;
    QString error;
    QList<Sample> samples; // `at` is the evaluation time; the source replaces it with the sample time
    int droppedNaN = 0;    // NaN values (0/0 and the like) carry no information and are left out
};
// /api/v1/query: a vector or a scalar.
Instant parseInstant(const QByteArray &json);

// /api/v1/query_range: a matrix.
RangeResult parseRange(const QByteArray &json);

struct Rules {
    bool ok = false;
    QString error;
    QMap<QString, QString> recording; // record name -> its expression
};
// /api/v1/rules
Rules parseRules(const QByteArray &json);

// The "errorType: error" of an error answer, or empty when it is not one.
QString apiError(const QByteArray &json);

} // namespace antibody::prometheusjson

#include "connectors/prometheus/prometheusjson.h"

#include "connectors/feed/jsonlabels.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace antibody::prometheusjson {
namespace {

struct Envelope
{
    QJsonObject data;
    QString error;
};

// Checks the `{"status": "success", "data": {...}}` envelope every answer shares.
Envelope open(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return { {}, u"not valid JSON (%1 at byte %2)"_s.arg(parseError.errorString()).arg(parseError.offset) };
    if (!doc.isObject())
        return { {}, u"expected a JSON object with status and data"_s };
    const QJsonObject root = doc.object();
    const QString status = root.value(u"status"_s).toString();
    if (status == u"error") {
        return { {},
            u"Prometheus refused the request: %1: %2"_s.arg(
                root.value(u"errorType"_s).toString(u"error"_s), root.value(u"error"_s).toString().left(300)) };
    }
    if (status != u"success")
        return { {},
            u"expected status \"success\", got %1"_s.arg(
                status.isEmpty() ? u"none"_s : u'"' + status.left(40) + u'"') };
    if (!root.value(u"data"_s).isObject())
        return { {}, u"\"data\" is missing or not an object"_s };
    return { root.value(u"data"_s).toObject(), {} };
}

std::optional<double> number(const QJsonValue &v)
{
    // Prometheus sends sample values as strings so that NaN and infinities survive JSON.
    if (!v.isString())
        return std::nullopt;
    const QString s = v.toString();
    if (s == u"NaN")
        return std::numeric_limits<double>::quiet_NaN();
    if (s == u"+Inf" || s == u"Inf")
        return std::numeric_limits<double>::infinity();
    if (s == u"-Inf")
        return -std::numeric_limits<double>::infinity();
    bool ok = false;
    const double d = s.toDouble(&ok);
    return ok ? std::optional<double>(d) : std::nullopt;
}

std::optional<TimePoint> timestamp(const QJsonValue &v)
{
    if (!v.isDouble())
        return std::nullopt;
    return timeFromSeconds(v.toDouble());
}

// [<unix seconds>, "<value>"]
bool point(const QJsonValue &v, TimePoint *at, double *value)
{
    if (!v.isArray())
        return false;
    const QJsonArray a = v.toArray();
    if (a.size() != 2)
        return false;
    const auto t = timestamp(a.at(0));
    const auto x = number(a.at(1));
    if (!t || !x)
        return false;
    *at = *t;
    *value = *x;
    return true;
}

} // namespace

std::optional<TimePoint> timeFromSeconds(double seconds)
{
    // Within year 1970..2500: anything else is not a Prometheus timestamp.
    if (!std::isfinite(seconds) || seconds < 0 || seconds > 16'725'225'600.0)
        return std::nullopt;
    return fromMillis(static_cast<qint64>(std::llround(seconds * 1000.0)));
}

Instant parseInstant(const QByteArray &json)
{
    Instant out;
    const Envelope e = open(json);
    if (!e.error.isEmpty()) {
        out.error = e.error;
        return out;
    }
    const QString type = e.data.value(u"resultType"_s).toString();
    const QJsonValue result = e.data.value(u"result"_s);
    if (type == u"scalar") {
        Sample s;
        if (!point(result, &s.at, &s.value)) {
            out.error = u"a scalar result must be [time, \"value\"]"_s;
            return out;
        }
        if (std::isnan(s.value))
            ++out.droppedNaN;
        else
            out.samples << s;
        out.ok = true;
        return out;
    }
    if (type == u"matrix") {
        out.error = u"the expression returns a range of values; use an instant expression (no [5m] at the end)"_s;
        return out;
    }
    if (type != u"vector") {
        out.error = type.isEmpty() ? u"\"resultType\" is missing"_s
                                   : u"the expression returns a %1, not a number"_s.arg(type.left(20));
        return out;
    }
    if (!result.isArray()) {
        out.error = u"\"result\" is not a list"_s;
        return out;
    }
    const QJsonArray items = result.toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject item = items.at(i).toObject();
        Sample s;
        if (!readJsonLabels(item.value(u"metric"_s), &s.labels) || !point(item.value(u"value"_s), &s.at, &s.value)) {
            out.error = u"result[%1] is not {\"metric\": {labels}, \"value\": [time, \"value\"]}"_s.arg(i);
            out.samples.clear();
            return out;
        }
        if (std::isnan(s.value))
            ++out.droppedNaN;
        else
            out.samples << s;
    }
    out.ok = true;
    return out;
}

RangeResult parseRange(const QByteArray &json)
{
    RangeResult out;
    const Envelope e = open(json);
    if (!e.error.isEmpty()) {
        out.error = e.error;
        return out;
    }
    if (e.data.value(u"resultType"_s).toString() != u"matrix" || !e.data.value(u"result"_s).isArray()) {
        out.error = u"expected a matrix result for a range query"_s;
        return out;
    }
    const QJsonArray items = e.data.value(u"result"_s).toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject item = items.at(i).toObject();
        RangeSeries series;
        const QJsonValue values = item.value(u"values"_s);
        if (!readJsonLabels(item.value(u"metric"_s), &series.labels) || !values.isArray()) {
            out.error = u"result[%1] is not {\"metric\": {labels}, \"values\": [[time, \"value\"], ...]}"_s.arg(i);
            out.series.clear();
            return out;
        }
        const QJsonArray points = values.toArray();
        series.points.reserve(points.size());
        for (qsizetype j = 0; j < points.size(); ++j) {
            TimePoint at;
            double value = 0;
            if (!point(points.at(j), &at, &value)) {
                out.error = u"result[%1].values[%2] is not [time, \"value\"]"_s.arg(i).arg(j);
                out.series.clear();
                return out;
            }
            if (!std::isnan(value))
                series.points.append({ at, value });
        }
        out.series << series;
    }
    out.ok = true;
    return out;
}

Rules parseRules(const QByteArray &json)
{
    Rules out;
    const Envelope e = open(json);
    if (!e.error.isEmpty()) {
        out.error = e.error;
        return out;
    }
    const QJsonValue groups = e.data.value(u"groups"_s);
    if (!groups.isArray()) {
        out.error = u"\"data.groups\" is not a list"_s;
        return out;
    }
    for (const QJsonValue &g : groups.toArray()) {
        for (const QJsonValue &r : g.toObject().value(u"rules"_s).toArray()) {
            const QJsonObject rule = r.toObject();
            const QString name = rule.value(u"name"_s).toString();
            if (rule.value(u"type"_s).toString() == u"alerting") {
                if (!name.isEmpty() && !out.alerting.contains(name))
                    out.alerting << name;
                continue;
            }
            if (rule.value(u"type"_s).toString() != u"recording")
                continue;
            const QString query = rule.value(u"query"_s).toString();
            if (!name.isEmpty() && !query.isEmpty())
                out.recording.insert(name, query);
        }
    }
    out.ok = true;
    return out;
}

QString apiError(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    const QJsonObject root = doc.object();
    if (root.value(u"status"_s).toString() != u"error")
        return {};
    return u"%1: %2"_s.arg(
        root.value(u"errorType"_s).toString(u"error"_s), root.value(u"error"_s).toString().left(300));
}

} // namespace antibody::prometheusjson

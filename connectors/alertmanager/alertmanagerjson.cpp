#include "connectors/alertmanager/alertmanagerjson.h"

#include "connectors/feed/jsonlabels.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace antibody::alertmanagerjson {
namespace {

std::optional<QJsonDocument> document(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = u"not valid JSON (%1 at byte %2)"_s.arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    return doc;
}

} // namespace

std::optional<TimePoint> parseRfc3339(const QString &text)
{
    // Qt reads at most milliseconds; Go writes up to nanoseconds and sometimes none.
    static const QRegularExpression shape(
        u"^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})(?:\\.(\\d+))?(Z|[+-]\\d{2}:\\d{2})$"_s);
    const QRegularExpressionMatch m = shape.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const QString millis = (m.captured(2) + u"000"_s).left(3);
    const auto t = parseTime(QString(m.captured(1) + u'.' + millis + m.captured(3)));
    // Alertmanager's "no end" is 0001-01-01; anything before 1970 means "not a time".
    if (!t || toMillis(*t) < 0)
        return std::nullopt;
    return t;
}

Alerts parseAlerts(const QByteArray &json)
{
    Alerts out;
    const auto doc = document(json, &out.error);
    if (!doc)
        return out;
    if (!doc->isArray()) {
        out.error = u"expected a JSON list of alerts"_s;
        return out;
    }
    const QJsonArray items = doc->array();
    out.alerts.reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject o = items.at(i).toObject();
        Alert a;
        a.source = u"alertmanager"_s;
        const QJsonValue fingerprint = o.value(u"fingerprint"_s);
        const QJsonValue startsAt = o.value(u"startsAt"_s);
        std::optional<TimePoint> starts;
        if (startsAt.isString())
            starts = parseRfc3339(startsAt.toString());
        if (!items.at(i).isObject() || !fingerprint.isString() || fingerprint.toString().isEmpty()
            || !readJsonLabels(o.value(u"labels"_s), &a.labels) || !starts) {
            out.error = u"alert [%1] lacks a fingerprint, labels or a startsAt time"_s.arg(i);
            out.alerts.clear();
            return out;
        }
        if (o.contains(u"annotations"_s) && !readJsonLabels(o.value(u"annotations"_s), &a.annotations)) {
            out.error = u"alert [%1] has annotations that are not text"_s.arg(i);
            out.alerts.clear();
            return out;
        }
        a.fingerprint = fingerprint.toString().left(128);
        a.name = a.labels.value(u"alertname"_s);
        a.startsAt = *starts;
        out.alerts << a;
    }
    out.ok = true;
    return out;
}

std::optional<TimePoint> parseStartedAt(const QByteArray &json, QString *error)
{
    const auto doc = document(json, error);
    if (!doc)
        return std::nullopt;
    const QJsonValue uptime = doc->object().value(u"uptime"_s);
    const auto t = uptime.isString() ? parseRfc3339(uptime.toString()) : std::nullopt;
    if (!t)
        *error = u"\"uptime\" is missing or not a time"_s;
    return t;
}

} // namespace antibody::alertmanagerjson

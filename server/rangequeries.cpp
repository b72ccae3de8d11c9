#include "server/rangequeries.h"

#include "engine/domain/recordjson.h"
#include "engine/pipeline/engine.h"
#include "engine/runbook/chartedmetrics.h"

#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// Clocks of two machines disagree a little: an end this far ahead of the server's now is still "now".
constexpr Duration clockSkew { 60'000 };

bool isName(const QString &text, bool metric)
{
    static const QRegularExpression metricName(u"^[a-zA-Z_:][a-zA-Z0-9_:]*$"_s);
    static const QRegularExpression labelName(u"^[a-zA-Z_][a-zA-Z0-9_]*$"_s);
    return (metric ? metricName : labelName).match(text).hasMatch();
}

// Hostile input can be long: a reason quotes enough to find it, not all of it.
QString shown(const QString &text)
{
    return text.size() > 60 ? text.left(59) + u'…' : text;
}

std::optional<Duration> positiveMillis(const QJsonValue &value)
{
    const qint64 ms = value.isDouble() ? value.toInteger(-1) : -1;
    return ms > 0 ? std::optional(Duration { ms }) : std::nullopt;
}

} // namespace

RangeQueries::RangeQueries(const Engine &engine)
    : RangeQueries(engine, Limits {})
{
}

RangeQueries::RangeQueries(const Engine &engine, Limits limits)
    : m_engine(engine)
    , m_limits(limits)
{
}

void RangeQueries::setSource(MetricSource *source, const Clock *clock)
{
    m_source = source;
    m_clock = clock;
}

std::optional<RangeQueries::Request> RangeQueries::parse(const QJsonObject &message, QString *error) const
{
    const auto refuse = [error](const QString &why) {
        *error = why;
        return std::nullopt;
    };
    if (!m_source || !m_clock)
        return refuse(u"this server reads no metrics: its configuration names no metric source"_s);

    const QString metric = message.value(u"metric"_s).toString();
    if (metric.isEmpty() || metric.size() > m_limits.maxText || !isName(metric, true))
        return refuse(u"query_range needs \"metric\": a metric's name (a PromQL expression is not accepted), got "
                      u"'%1'"_s.arg(shown(metric)));
    if (!chartedMetrics(m_engine.runbooks()).contains(metric))
        return refuse(u"no chart of this server reads '%1': it answers the metrics its runbooks and the alerts' "
                      u"vocabulary chart"_s.arg(shown(metric)));

    const QJsonValue labelsValue = message.value(u"labels"_s);
    if (!labelsValue.isUndefined() && !labelsValue.isObject())
        return refuse(u"\"labels\" must be an object of label names and values"_s);
    const QJsonObject labels = labelsValue.toObject();
    if (labels.size() > m_limits.maxLabels)
        return refuse(u"%1 labels: at most %2 narrow a chart"_s.arg(labels.size()).arg(m_limits.maxLabels));
    Labels scope;
    for (auto it = labels.constBegin(); it != labels.constEnd(); ++it) {
        const QString value = it.value().toString();
        if (it.key().size() > m_limits.maxText || !isName(it.key(), false))
            return refuse(u"'%1' is not a label name"_s.arg(shown(it.key())));
        if (!it.value().isString() || value.size() > m_limits.maxText
            || std::any_of(value.cbegin(), value.cend(), [](QChar c) { return c.category() == QChar::Other_Control; }))
            return refuse(u"the label %1 needs a value of text, at most %2 characters, on one line"_s.arg(it.key()).arg(
                m_limits.maxText));
        scope.insert(it.key(), value);
    }

    const auto span = positiveMillis(message.value(u"span_ms"_s));
    if (!span || *span > m_limits.longestSpan)
        return refuse(u"\"span_ms\" must be a window of 1 ms to %1"_s.arg(formatDuration(m_limits.longestSpan)));
    const auto step = positiveMillis(message.value(u"step_ms"_s));
    if (!step || *step < m_limits.shortestStep)
        return refuse(u"\"step_ms\" must be at least %1"_s.arg(m_limits.shortestStep.count()));
    if (*span / *step > m_limits.maxPoints)
        return refuse(
            u"%1 points a series (span_ms / step_ms): at most %2"_s.arg(*span / *step).arg(m_limits.maxPoints));

    const TimePoint now = m_clock->now();
    TimePoint to = now;
    if (const QJsonValue end = message.value(u"to"_s); !end.isUndefined()) {
        const qint64 ms = end.isDouble() ? end.toInteger(-1) : -1;
        if (ms < 0 || fromMillis(ms) > now + clockSkew)
            return refuse(
                u"\"to\" must be a time (milliseconds since the epoch) no later than the server's now, %1"_s.arg(
                    toMillis(now)));
        to = std::min(fromMillis(ms), now);
    }
    return Request { MetricQuery::selecting(metric, scope), to - *span, to, *step };
}

void RangeQueries::read(const Request &request, std::function<void(QJsonObject)> done) const
{
    const Limits limits = m_limits;
    m_source->queryRange(request.query, request.from, request.to, request.step,
        [request, limits, done = std::move(done)](const RangeResult &result) {
            if (!result.ok) {
                done(QJsonObject { { u"ok"_s, false }, { u"reason"_s, result.error } });
                return;
            }
            // A source that ignored the step, or a selector that matched a whole fleet, still
            // makes an answer of bounded size: the newest points, the first series.
            QList<RangeSeries> series = result.series.mid(0, limits.maxSeries);
            for (RangeSeries &s : series) {
                if (s.points.size() > limits.maxPoints)
                    s.points = s.points.mid(s.points.size() - limits.maxPoints);
            }
            QJsonObject out { { u"ok"_s, true }, { u"from"_s, toMillis(request.from) },
                { u"to"_s, toMillis(request.to) }, { u"step_ms"_s, qint64(request.step.count()) },
                { u"series"_s, RecordJson::rangeSeries(series) } };
            if (result.series.size() > series.size())
                out.insert(u"truncated"_s, qint64(result.series.size() - series.size()));
            done(out);
        });
}

} // namespace antibody

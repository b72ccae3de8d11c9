#include "client/rangereads.h"

#include "engine/domain/recordjson.h"
#include "engine/runbook/metricunit.h"

using namespace Qt::StringLiterals;

namespace antibody {

struct RangeReads::Window
{
    MetricReader::Window answer;
    QPointer<QObject> context;
    QObject *key = nullptr; // the context as it was asked, for m_open
    std::function<void(const MetricReader::Window &)> done;
    int waiting = 0;
    bool anyEnd = false; // some answer said where the server's window ended
};

RangeReads::RangeReads(Send send)
    : m_send(std::move(send))
{
}

RangeReads::~RangeReads() = default;

void RangeReads::read(const QList<MetricQuery> &queries, Duration span, Duration step, QObject *context,
    std::function<void(const MetricReader::Window &)> done, TimePoint fallbackNow)
{
    if (queries.isEmpty() || m_open.contains(context))
        return;
    auto window = std::make_shared<Window>();
    window->answer.now = fallbackNow;
    window->answer.results.resize(queries.size());
    window->context = context;
    window->key = context;
    window->done = std::move(done);
    m_open.insert(context, window);
    for (qsizetype i = 0; i < queries.size(); ++i) {
        const MetricQuery &q = queries.at(i);
        RangeResult &result = window->answer.results[i];
        // The server reads a metric by name and equality on labels: a query that says more
        // (PromQL, a regex) is not sent at all.
        const QString metric = metricNameOf(q.expression);
        if (metric.isEmpty() || MetricQuery::selecting(metric, q.scope).expression != q.expression) {
            result.error = u"over --server a chart reads a metric by its name and labels, not '%1'"_s.arg(q.expression);
            continue;
        }
        QJsonObject labels;
        for (auto it = q.scope.cbegin(); it != q.scope.cend(); ++it)
            labels.insert(it.key(), it.value());
        const QString id = u"m%1"_s.arg(++m_requests);
        const QJsonObject command { { u"type"_s, u"query_range"_s }, { u"request"_s, id }, { u"metric"_s, metric },
            { u"labels"_s, labels }, { u"span_ms"_s, qint64(span.count()) }, { u"step_ms"_s, qint64(step.count()) } };
        if (!m_send(command)) {
            result.error = u"the console is not connected to the team server"_s;
            continue;
        }
        m_pending.insert(id, { window, i });
        ++window->waiting;
    }
    if (window->waiting == 0)
        answerLater(window);
}

bool RangeReads::answer(const QJsonObject &reply)
{
    const auto it = m_pending.find(reply.value(u"request"_s).toString());
    if (it == m_pending.end())
        return false;
    const auto [window, index] = *it;
    m_pending.erase(it);
    RangeResult &result = window->answer.results[index];
    QString error;
    const auto series
        = reply.value(u"ok"_s).toBool() ? RecordJson::rangeSeriesFrom(reply.value(u"series"_s), &error) : std::nullopt;
    if (series) {
        result.ok = true;
        result.series = *series;
        const TimePoint end = fromMillis(reply.value(u"to"_s).toInteger());
        if (!window->anyEnd || end > window->answer.now)
            window->answer.now = end;
        window->anyEnd = true;
    } else {
        result.error
            = error.isEmpty() ? reply.value(u"reason"_s).toString() : u"the server's answer has %1"_s.arg(error);
    }
    if (--window->waiting == 0)
        answerLater(window);
    return true;
}

void RangeReads::fail(const QString &reason)
{
    const auto pending = std::exchange(m_pending, {});
    for (const auto &[window, index] : pending) {
        window->answer.results[index].error = reason;
        if (--window->waiting == 0)
            answerLater(window);
    }
}

void RangeReads::answerLater(const std::shared_ptr<Window> &window)
{
    m_open.remove(window->key);
    if (!window->context)
        return;
    // Later, as every reader answers: a chart never gets its answer inside its own call.
    QMetaObject::invokeMethod(
        window->context.data(),
        [window] {
            if (window->context)
                window->done(window->answer);
        },
        Qt::QueuedConnection);
}

} // namespace antibody

#include "connectors/prometheus/prometheussource.h"

#include "connectors/http/redaction.h"
#include "connectors/prometheus/prometheusjson.h"
#include "connectors/prometheus/promqlselectors.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

constexpr int maxRuleDepth = 5;
constexpr qint64 rulesRefreshMs = 60'000;

// Labels of the incident that narrow a result; the alert's own name and severity never do.
bool withinScope(const Labels &sample, const Labels &scope)
{
    for (auto it = scope.begin(); it != scope.end(); ++it) {
        if (it.key() == u"alertname"_s || it.key() == u"severity"_s || it.key().startsWith(u"__"_s))
            continue;
        const auto found = sample.constFind(it.key());
        if (found != sample.constEnd() && *found != it.value())
            return false;
    }
    return true;
}

// timestamp() drops the metric name: match samples by their other labels.
QString seriesKey(const Labels &labels)
{
    QString key;
    for (auto it = labels.begin(); it != labels.end(); ++it) {
        if (it.key() != u"__name__"_s)
            key += it.key() + u'\x1f' + it.value() + u'\x1e';
    }
    return key;
}

QString secondsParam(TimePoint t)
{
    return QString::number(static_cast<double>(toMillis(t)) / 1000.0, 'f', 3);
}

} // namespace

PrometheusSource::PrometheusSource(PrometheusConfig config, Clock &clock, QObject *parent)
    : AlertSource(parent)
    , m_config(std::move(config))
    , m_clock(clock)
    , m_monitor(
          u"prometheus "_s + redactedUrl(m_config.url), m_config.health.downAfterFailures, m_config.health.slowAfter)
    , m_http(this, m_config.http, u"prometheus"_s, 3)
{
}

PrometheusSource::~PrometheusSource()
{
    stop();
}

QString PrometheusSource::name() const
{
    return m_monitor.health().feed;
}

QString PrometheusSource::insecureWarning() const
{
    return m_http.insecureWarning(redactedUrl(m_config.url));
}

void PrometheusSource::query(const MetricQuery &query, std::function<void(const MetricResult &)> done)
{
    m_http.run<Read>([this, query](const Cancellation &c) { return readInstant(query, c); },
        [this, done = std::move(done)](Read read) {
            account(read);
            done(read.result);
        });
}

void PrometheusSource::queryRange(const MetricQuery &query, TimePoint from, TimePoint to, Duration step,
    std::function<void(const RangeResult &)> done)
{
    m_http.run<Read>(
        [this, query, from, to, step](const Cancellation &c) { return readRange(query, from, to, step, c); },
        [this, done = std::move(done)](Read read) {
            account(read);
            done(read.range);
        });
}

void PrometheusSource::start()
{
    if (m_probing)
        return;
    m_probing = true;
    probe();
}

void PrometheusSource::stop()
{
    m_probing = false;
    if (m_probeTimer) {
        m_clock.cancel(m_probeTimer);
        m_probeTimer = 0;
    }
}

void PrometheusSource::probe()
{
    m_probeTimer = 0;
    if (!m_probing)
        return;
    // A query Prometheus answers from memory: it checks the server and the JSON path the reads take.
    query(MetricQuery { u"vector(1)"_s, {} }, [this](const MetricResult &) {
        if (m_probing)
            m_probeTimer = m_clock.callAfter(m_config.healthInterval, [this] { probe(); });
    });
}

void PrometheusSource::account(const Read &read)
{
    const TimePoint now = m_clock.now();
    const auto changed
        = read.feedFailed ? m_monitor.failed(now, read.feedError) : m_monitor.succeeded(now, read.latency);
    if (changed)
        Q_EMIT healthChanged(*changed);
}

bool PrometheusSource::get(const QString &path, const QList<QPair<QString, QString>> &params, const Cancellation &c,
    Read &read, QByteArray &body, bool queryProblemsAreFeedFailures) const
{
    const QUrl url = apiUrl(m_config.url, path, params);
    const HttpResponse response = m_http.perform(HttpRequest::get(url), c);
    read.latency += response.elapsed;
    if (response.failure != HttpResponse::Failure::None) {
        read.feedFailed = true;
        read.feedError = response.error;
        return false;
    }
    body = response.body;
    if (response.ok())
        return true;
    const QString where = u"GET "_s + redactedUrl(url);
    const QString apiError = prometheusjson::apiError(response.body);
    // 400 and 422 are answers about the query (bad PromQL, an execution error): the server is fine.
    if (!apiError.isEmpty() && (response.status == 400 || response.status == 422) && !queryProblemsAreFeedFailures)
        return false;
    read.feedFailed = true;
    read.feedError = where + u": "_s + HttpClient::statusProblem(response, m_config.http.configKey);
    return false;
}

PrometheusSource::Read PrometheusSource::readInstant(const MetricQuery &query, const Cancellation &c) const
{
    Read read;
    const QString expression = query.expression.trimmed();
    QByteArray body;
    if (!get(u"/api/v1/query"_s, { { u"query"_s, expression } }, c, read, body, false)) {
        read.result.error = read.feedFailed
            ? read.feedError
            : u"Prometheus refused the query `%1`: %2; check the step's metric expression"_s.arg(
                expression.left(200), prometheusjson::apiError(body));
        return read;
    }
    prometheusjson::Instant instant = prometheusjson::parseInstant(body);
    if (!instant.ok) {
        read.feedFailed = true;
        read.feedError = u"GET %1: the answer to `%2` is unusable: %3"_s.arg(
            redactedUrl(m_config.url), expression.left(200), instant.error);
        read.result.error = read.feedError;
        return read;
    }
    QList<Sample> samples;
    for (Sample &s : instant.samples) {
        if (withinScope(s.labels, query.scope))
            samples << s;
    }
    if (samples.isEmpty()) {
        read.result.ok = true; // an empty answer is an answer: nothing matches right now
        return read;
    }

    // When was the data behind these values taken?
    if (isPlainSelector(expression)) {
        QByteArray stamps;
        if (!get(u"/api/v1/query"_s, { { u"query"_s, u"timestamp(%1)"_s.arg(expression) } }, c, read, stamps, true)) {
            read.result.error = read.feedError;
            return read;
        }
        const prometheusjson::Instant times = prometheusjson::parseInstant(stamps);
        QHash<QString, TimePoint> takenAt;
        for (const Sample &t : times.samples) {
            if (const auto at = prometheusjson::timeFromSeconds(t.value))
                takenAt.insert(seriesKey(t.labels), *at);
        }
        for (Sample &s : samples) {
            const auto it = takenAt.constFind(seriesKey(s.labels));
            if (it != takenAt.constEnd())
                s.at = std::min(s.at, *it);
        }
    }
    const std::optional<TimePoint> inputs = inputsTakenAt(expression, c, read);
    if (read.feedFailed) {
        read.result.error = read.feedError;
        return read;
    }
    if (inputs) {
        for (Sample &s : samples)
            s.at = std::min(s.at, *inputs);
    }
    read.result.ok = true;
    read.result.samples = samples;
    return read;
}

std::optional<TimePoint> PrometheusSource::inputsTakenAt(
    const QString &expression, const Cancellation &c, Read &read) const
{
    // Every selector the value depends on, through recording rules.
    QStringList pending = vectorSelectors(expression);
    QStringList all;
    QSet<QString> expanded;
    const QMap<QString, QString> rules = recordingRules(c);
    for (int depth = 0; depth <= maxRuleDepth && !pending.isEmpty(); ++depth) {
        QStringList next;
        for (const QString &selector : std::as_const(pending)) {
            if (!all.contains(selector))
                all << selector;
            const QString name = selectorName(selector);
            const auto rule = rules.constFind(name);
            if (rule != rules.constEnd() && !expanded.contains(name)) {
                expanded.insert(name);
                next << vectorSelectors(*rule);
            }
        }
        pending = next;
    }
    if (all.isEmpty())
        return std::nullopt; // a constant: vector(1), 42
    // One request: the newest sample of each input, and the oldest of those.
    QStringList parts;
    for (qsizetype i = 0; i < all.size(); ++i)
        parts << u"label_replace(max(timestamp(%1)), \"antibody_input\", \"%2\", \"\", \"\")"_s.arg(all[i]).arg(i);
    const QString probe = u"min(%1)"_s.arg(parts.join(u" or "_s));
    QByteArray body;
    if (!get(u"/api/v1/query"_s, { { u"query"_s, probe } }, c, read, body, true))
        return std::nullopt;
    const prometheusjson::Instant result = prometheusjson::parseInstant(body);
    if (!result.ok) {
        read.feedFailed = true;
        read.feedError
            = u"GET %1: the sample-time query is unusable: %2"_s.arg(redactedUrl(m_config.url), result.error);
        return std::nullopt;
    }
    if (result.samples.isEmpty())
        return std::nullopt;
    return prometheusjson::timeFromSeconds(result.samples.first().value);
}

QMap<QString, QString> PrometheusSource::recordingRules(const Cancellation &c) const
{
    {
        std::lock_guard lock(m_rulesMutex);
        if (m_rulesAge.isValid() && m_rulesAge.elapsed() < rulesRefreshMs)
            return m_rules;
    }
    Read scratch;
    QByteArray body;
    QMap<QString, QString> rules;
    if (get(u"/api/v1/rules"_s, { { u"type"_s, u"record"_s } }, c, scratch, body, true)) {
        const prometheusjson::Rules parsed = prometheusjson::parseRules(body);
        if (parsed.ok)
            rules = parsed.recording;
    }
    std::lock_guard lock(m_rulesMutex);
    // On failure keep what was known and try again at the next read.
    if (scratch.feedFailed)
        return m_rules;
    m_rules = rules;
    m_rulesAge.start();
    return m_rules;
}

PrometheusSource::Read PrometheusSource::readRange(
    const MetricQuery &query, TimePoint from, TimePoint to, Duration step, const Cancellation &c) const
{
    Read read;
    const QString expression = query.expression.trimmed();
    const Duration safeStep = std::max(step, Duration { 1'000 });
    QByteArray body;
    const QList<QPair<QString, QString>> params { { u"query"_s, expression }, { u"start"_s, secondsParam(from) },
        { u"end"_s, secondsParam(to) }, { u"step"_s, QString::number(toSeconds(safeStep), 'f', 3) } };
    if (!get(u"/api/v1/query_range"_s, params, c, read, body, false)) {
        read.range.error = read.feedFailed ? read.feedError
                                           : u"Prometheus refused the range query `%1`: %2"_s.arg(
                                               expression.left(200), prometheusjson::apiError(body));
        return read;
    }
    RangeResult range = prometheusjson::parseRange(body);
    if (!range.ok) {
        read.feedFailed = true;
        read.feedError = u"GET %1: the answer to `%2` is unusable: %3"_s.arg(
            redactedUrl(m_config.url), expression.left(200), range.error);
        read.range.error = read.feedError;
        return read;
    }
    QList<RangeSeries> kept;
    for (const RangeSeries &s : std::as_const(range.series)) {
        if (withinScope(s.labels, query.scope))
            kept << s;
    }
    range.series = kept;
    read.range = range;
    return read;
}

} // namespace antibody

#pragma once

#include "connectors/config/configuration.h"
#include "connectors/feed/feedmonitor.h"
#include "connectors/http/httpclient.h"
#include "engine/core/clock.h"
#include "engine/ports/alertsource.h"
#include "engine/ports/metricsource.h"

#include <QElapsedTimer>
#include <QMap>
#include <mutex>

namespace antibody {

// Prometheus as the engine's MetricSource (HTTP API v1). A step's `metric` is
// PromQL, passed through as written.
//
// Every sample carries the time its data was taken, not the time Prometheus
// evaluated the query: an instant query keeps answering with the last scraped
// value for minutes after a target stopped reporting, and a recording rule
// re-evaluates old scrapes every interval. The source therefore also reads
// `timestamp()` of the selectors the expression depends on (through recording
// rules, looked up in /api/v1/rules) and dates each value by the oldest of its
// newest inputs, so the engine's freshness guard and its "data newer than the
// last action" wait see the truth.
//
// It is also an AlertSource, because that is the port through which the engine
// learns every feed's health: started, it probes the server every health
// interval, and its reads count too. It reports no alerts (Alertmanager does).
class PrometheusSource : public AlertSource, public MetricSource
{
    Q_OBJECT
public:
    PrometheusSource(PrometheusConfig config, Clock &clock, QObject *parent = nullptr);
    ~PrometheusSource() override;

    QString name() const override;
    void query(const MetricQuery &query, std::function<void(const MetricResult &)> done) override;
    void queryRange(const MetricQuery &query, TimePoint from, TimePoint to, Duration step,
        std::function<void(const RangeResult &)> done) override;

    // AlertSource: probes the server every health interval, so the feed's health
    // stays current when no incident is reading metrics.
    void start() override;
    void stop() override;
    const FeedHealth &health() const { return m_monitor.health(); }
    // Warnings to log at every start (TLS verification off).
    QString insecureWarning() const;

    // What a worker hands back: the result, and how the exchange went for the feed's health.
    struct Read
    {
        MetricResult result;
        RangeResult range;
        bool feedFailed = false; // no usable answer: the server is down, failing or garbled
        QString feedError;
        Duration latency { 0 };
    };

private:
    Read readInstant(const MetricQuery &query, const Cancellation &cancellation) const;
    Read readRange(const MetricQuery &query, TimePoint from, TimePoint to, Duration step, const Cancellation &c) const;
    // GET an API path; on success `body` is the JSON. Fills the read's failure fields otherwise.
    bool get(const QString &path, const QList<QPair<QString, QString>> &params, const Cancellation &c, Read &read,
        QByteArray &body, bool queryProblemsAreFeedFailures) const;
    std::optional<TimePoint> inputsTakenAt(const QString &expression, const Cancellation &c, Read &read) const;
    QMap<QString, QString> recordingRules(const Cancellation &c) const;
    void account(const Read &read);
    void probe();

    PrometheusConfig m_config;
    Clock &m_clock;
    FeedMonitor m_monitor;
    Clock::TimerId m_probeTimer = 0;
    bool m_probing = false;

    // Recording rules, refreshed at most once a minute from a worker.
    mutable std::mutex m_rulesMutex;
    mutable QMap<QString, QString> m_rules;
    mutable QElapsedTimer m_rulesAge;

    HttpClient m_http; // last: destroyed first, so no worker outlives the members above
};

} // namespace antibody

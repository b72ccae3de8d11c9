#pragma once

#include "engine/core/clock.h"
#include "engine/core/lifetoken.h"
#include "engine/ports/alert.h"
#include "engine/ports/metricsource.h"
#include "engine/runbook/runbook.h"

#include <QHash>
#include <functional>
#include <memory>

namespace antibody {

// Evaluates runbooks whose trigger is a metric expression (`cpu > 90%`, or
// `any:`/`all:` of several), like a Prometheus rule: every interval, per
// service; a condition that holds for `for:` fires a synthetic alert, and its
// end resolves it. Samples older than the freshness bound never fire anything.
class TriggerEvaluator
{
public:
    using AlertSink = std::function<void(const QList<AlertChange> &)>;
    using HealthSink = std::function<void(const FeedHealth &)>;

    TriggerEvaluator(Clock &clock, MetricSource *metrics, Duration interval, Duration freshness, AlertSink alerts,
        HealthSink health);
    ~TriggerEvaluator();

    void setRunbooks(const QList<Runbook> &runbooks);
    void start();
    void stop();
    void evaluateNow();

    static QString fingerprintFor(const QString &runbook, const QString &service);

private:
    struct Series
    {
        std::optional<double> value;
        TimePoint at;
    };
    struct State
    {
        std::optional<TimePoint> since;
        bool firing = false;
        Alert alert;
    };
    void schedule();
    void conclude(quint64 round, const QHash<QString, QHash<int, QHash<QString, Sample>>> &answers);
    // A sample dated further ahead than this is from a broken clock, not the future.
    static constexpr Duration maxClockSkew { 60'000 };

    Clock &m_clock;
    MetricSource *m_metrics;
    Duration m_interval;
    Duration m_freshness;
    AlertSink m_alerts;
    HealthSink m_health;
    QList<Runbook> m_runbooks;
    QHash<QString, State> m_states; // fingerprint -> state
    Clock::TimerId m_timer = 0;
    quint64 m_round = 0;
    bool m_running = false;
    bool m_healthy = true;
    LifeToken m_life; // answers after destruction find nobody
};

} // namespace antibody

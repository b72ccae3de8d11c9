#pragma once

// In-memory test doubles for the engine's ports. They are doubles, not
// simulators: each does exactly what a test tells it, on the test's VirtualClock,
// and records what the engine asked of it.

#include "engine/core/virtualclock.h"
#include "engine/ports/actionexecutor.h"
#include "engine/ports/alertsource.h"
#include "engine/ports/metricsource.h"
#include "engine/ports/notifier.h"

#include <QHash>
#include <functional>

namespace antibody::test {

// Metrics: a value per (metric, service), either set directly or computed from a
// function of time. Samples are taken on a scrape grid, like Prometheus: a
// query returns the last scrape and its timestamp.
class TestMetrics : public MetricSource
{
public:
    explicit TestMetrics(VirtualClock &clock, Duration scrape = Duration { 5'000 });

    QString name() const override { return QStringLiteral("test metrics"); }
    void query(const MetricQuery &query, std::function<void(const MetricResult &)> done) override;
    void queryRange(const MetricQuery &query, TimePoint from, TimePoint to, Duration step,
        std::function<void(const RangeResult &)> done) override;

    void set(const QString &metric, const QString &service, double value);
    void setFunction(const QString &metric, const QString &service, std::function<double(TimePoint)> f);
    void fail(const QString &error) { m_failure = error; }
    void freeze(TimePoint at) { m_frozenAt = at; } // samples stop at `at`: stale data
    int queries() const { return m_queries; }

private:
    TimePoint scrapeTime() const;
    VirtualClock &m_clock;
    Duration m_scrape;
    QHash<QString, QHash<QString, std::function<double(TimePoint)>>> m_series; // metric -> service -> value
    QString m_failure;
    std::optional<TimePoint> m_frozenAt;
    int m_queries = 0;
};

class TestAlerts : public AlertSource
{
    Q_OBJECT
public:
    explicit TestAlerts(VirtualClock &clock);
    QString name() const override { return QStringLiteral("test alerts"); }
    void start() override { m_started = true; }
    void stop() override { m_started = false; }

    // Returns the alert's fingerprint.
    QString fire(const QString &alertname, Labels labels, std::optional<TimePoint> startsAt = std::nullopt);
    void resolve(const QString &fingerprint);
    void health(FeedHealth::State state, const QString &reason);

private:
    VirtualClock &m_clock;
    QHash<QString, Alert> m_active;
    bool m_started = false;
};

struct ExecutedAction
{
    TimePoint at;
    QString action;
    QString step;
    QString incident;
    QStringList targets;
    QVariantMap params;
    int pass = 1;
};

// One executor family with a fleet per (dimension, service) and a programmable effect.
class TestExecutor : public ActionExecutor
{
public:
    TestExecutor(VirtualClock &clock, QString family, QStringList actions);

    QString family() const override { return m_family; }
    QStringList actions() const override { return m_actions; }
    void fleet(const TargetQuery &query, std::function<void(const Fleet &)> done) override;
    void execute(const ActionRequest &request, std::function<void(const ActionResult &)> done) override;

    void setFleet(const QString &dimension, const QString &service, QList<Target> members);
    void addAction(const QString &action) { m_actions << action; }
    QList<Target> &members(const QString &dimension, const QString &service);
    // What an execution does; by default it succeeds and touches every target.
    void onExecute(std::function<ActionResult(const ActionRequest &)> effect) { m_effect = std::move(effect); }
    void setLatency(Duration d) { m_latency = d; }
    void setSilent(bool silent) { m_silent = silent; } // never answers: for timeouts

    QList<ExecutedAction> executed;
    int fleetQueries = 0;

private:
    VirtualClock &m_clock;
    QString m_family;
    QStringList m_actions;
    QHash<QString, QList<Target>> m_fleets; // dimension|service
    std::function<ActionResult(const ActionRequest &)> m_effect;
    Duration m_latency { 1'000 };
    bool m_silent = false;
};

class TestNotifier : public Notifier
{
public:
    explicit TestNotifier(VirtualClock &clock);
    QString name() const override { return QStringLiteral("test pager"); }
    void send(const Notification &n, std::function<void(const NotifyResult &)> done) override;
    QList<Notification> sent;
    int pages() const;
    bool failing = false;

private:
    VirtualClock &m_clock;
};

Target pod(
    const QString &name, double cpu = 0.5, bool healthy = true, const QString &state = QStringLiteral("running"));
Target connection(int pid, const QString &state, double seconds, const QString &application = QStringLiteral("app"));

} // namespace antibody::test

#pragma once

#include "connectors/config/configuration.h"
#include "connectors/feed/feedmonitor.h"
#include "connectors/http/httpclient.h"
#include "engine/core/clock.h"
#include "engine/ports/alertsource.h"

#include <QHash>
#include <QSet>

namespace antibody {

// Alertmanager as an AlertSource: polls GET /api/v2/alerts every poll interval
// and reports new, changed and resolved alerts by fingerprint. The API never
// lists resolved alerts: an alert is resolved when its fingerprint disappears.
//
// Two things must not look like a resolution: a failed poll (nothing is
// resolved while the feed is degraded or down; its health says so instead),
// and a restart of Alertmanager, which forgets every alert until Prometheus
// sends them again. A missing alert is held while Alertmanager has been up
// for less than `restart_grace` (its start time comes from /api/v2/status).
class AlertmanagerSource : public AlertSource
{
    Q_OBJECT
public:
    AlertmanagerSource(AlertmanagerConfig config, Clock &clock, QObject *parent = nullptr);
    ~AlertmanagerSource() override;

    QString name() const override;
    void start() override;
    void stop() override;
    // A poll now; during one, another right after it (what was pushed may be newer).
    void refresh() override;

    const FeedHealth &health() const { return m_monitor.health(); }
    QList<Alert> active() const { return m_active.values(); }
    // Non-empty when TLS verification is off: to log at every start.
    QString insecureWarning() const;

    // What one poll brought back from a worker.
    struct Poll
    {
        bool failed = false;
        QString error;
        Duration latency { 0 };
        QList<Alert> alerts;
        std::optional<TimePoint> startedAt; // read when an alert went missing, or not yet known
        bool statusUnknown = false; // wanted, but could not be read
        qsizetype beyondCap = 0; // alerts Alertmanager returned beyond max_alerts, not read
    };

private:
    Poll fetch(const QSet<QString> &known, bool wantStatus, const Cancellation &c) const;
    void pollNow();
    void absorb(const Poll &poll);
    void scheduleNext();

    AlertmanagerConfig m_config;
    Clock &m_clock;
    FeedMonitor m_monitor;
    QHash<QString, Alert> m_active;
    QHash<QString, TimePoint> m_missingSince;
    std::optional<TimePoint> m_startedAt;
    TimePoint m_graceUntil {};
    bool m_running = false;
    bool m_inFlight = false;
    bool m_again = false; // refreshed during a poll: poll again when it returns
    Clock::TimerId m_timer = 0;

    HttpClient m_http; // last: destroyed first, so no worker outlives the members above
};

} // namespace antibody

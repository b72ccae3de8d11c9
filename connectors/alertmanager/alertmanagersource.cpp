#include "connectors/alertmanager/alertmanagersource.h"

#include "connectors/alertmanager/alertmanagerjson.h"
#include "connectors/http/redaction.h"
#include "engine/core/severity.h"

#include <algorithm>
#include <tuple>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

bool sameContent(const Alert &a, const Alert &b)
{
    return a.labels == b.labels && a.annotations == b.annotations && a.startsAt == b.startsAt;
}

} // namespace

AlertmanagerSource::AlertmanagerSource(AlertmanagerConfig config, Clock &clock, QObject *parent)
    : AlertSource(parent)
    , m_config(std::move(config))
    , m_clock(clock)
    , m_monitor(
          u"alertmanager "_s + redactedUrl(m_config.url), m_config.health.downAfterFailures, m_config.health.slowAfter)
    , m_http(this, m_config.http, u"alertmanager"_s, 1)
{
}

AlertmanagerSource::~AlertmanagerSource()
{
    stop();
}

QString AlertmanagerSource::name() const
{
    return m_monitor.health().feed;
}

QString AlertmanagerSource::insecureWarning() const
{
    return m_http.insecureWarning(redactedUrl(m_config.url));
}

void AlertmanagerSource::start()
{
    if (m_running)
        return;
    m_running = true;
    pollNow();
}

void AlertmanagerSource::stop()
{
    m_running = false;
    if (m_timer)
        m_clock.cancel(m_timer);
    m_timer = 0;
}

void AlertmanagerSource::refresh()
{
    if (!m_running)
        return;
    if (m_inFlight) {
        m_again = true;
        return;
    }
    if (m_timer)
        m_clock.cancel(m_timer);
    m_timer = 0;
    pollNow();
}

void AlertmanagerSource::scheduleNext()
{
    if (m_running && !m_timer)
        m_timer = m_clock.callAfter(m_config.pollInterval, [this] {
            m_timer = 0;
            pollNow();
        });
}

void AlertmanagerSource::pollNow()
{
    if (!m_running || m_inFlight)
        return;
    m_inFlight = true;
    QSet<QString> known;
    for (auto it = m_active.keyBegin(); it != m_active.keyEnd(); ++it)
        known.insert(*it);
    const bool wantStatus = !m_startedAt.has_value();
    m_http.run<Poll>([this, known, wantStatus](const Cancellation &c) { return fetch(known, wantStatus, c); },
        [this](Poll poll) {
            m_inFlight = false;
            absorb(poll);
            if (std::exchange(m_again, false))
                refresh();
            else
                scheduleNext();
        });
}

AlertmanagerSource::Poll AlertmanagerSource::fetch(
    const QSet<QString> &known, bool wantStatus, const Cancellation &c) const
{
    Poll poll;
    const QString flag = m_config.includeSilenced ? u"true"_s : u"false"_s;
    QList<QPair<QString, QString>> params { { u"active"_s, u"true"_s }, { u"silenced"_s, flag },
        { u"inhibited"_s, flag } };
    for (const QString &matcher : m_config.filter)
        params.append({ u"filter"_s, matcher });
    const QUrl alertsUrl = apiUrl(m_config.url, u"/api/v2/alerts"_s, params);
    const HttpResponse response = m_http.perform(HttpRequest::get(alertsUrl), c);
    poll.latency = response.elapsed;
    if (!response.ok()) {
        poll.failed = true;
        poll.error = response.failure != HttpResponse::Failure::None
            ? response.error
            : u"GET %1: %2"_s.arg(redactedUrl(alertsUrl), HttpClient::statusProblem(response, m_config.http.configKey));
        return poll;
    }
    const alertmanagerjson::Alerts parsed = alertmanagerjson::parseAlerts(response.body);
    if (!parsed.ok) {
        poll.failed = true;
        poll.error = u"GET %1: the answer is unusable: %2"_s.arg(redactedUrl(alertsUrl), parsed.error);
        return poll;
    }
    poll.alerts = parsed.alerts;
    if (poll.alerts.size() > m_config.maxAlerts) {
        // A storm beyond the cap: the alerts already known first (so none of them looks
        // resolved), then the most severe, then the oldest.
        std::stable_sort(poll.alerts.begin(), poll.alerts.end(), [&known](const Alert &a, const Alert &b) {
            return std::tuple(!known.contains(a.fingerprint), severityRank(a.severity()), a.startsAt)
                < std::tuple(!known.contains(b.fingerprint), severityRank(b.severity()), b.startsAt);
        });
        poll.beyondCap = poll.alerts.size() - m_config.maxAlerts;
        poll.alerts.resize(m_config.maxAlerts);
    }

    bool someoneMissing = false;
    if (!known.isEmpty()) {
        QSet<QString> seen;
        for (const Alert &a : std::as_const(poll.alerts))
            seen.insert(a.fingerprint);
        someoneMissing = !known.isEmpty() && !seen.contains(known);
    }
    if (wantStatus || someoneMissing) {
        // Did Alertmanager restart (and so forget alerts Prometheus has not re-sent yet)?
        const HttpResponse status = m_http.perform(HttpRequest::get(apiUrl(m_config.url, u"/api/v2/status"_s)), c);
        QString error;
        if (status.ok())
            poll.startedAt = alertmanagerjson::parseStartedAt(status.body, &error);
        poll.statusUnknown = !poll.startedAt.has_value();
    }
    return poll;
}

void AlertmanagerSource::absorb(const Poll &poll)
{
    const TimePoint now = m_clock.now();
    if (poll.failed) {
        // A failed poll resolves nothing: the alerts may well still be firing.
        if (const auto changed = m_monitor.failed(now, poll.error))
            Q_EMIT healthChanged(*changed);
        return;
    }
    // Beyond the cap the feed is degraded, which holds automated actions: the engine
    // sees only part of what fires.
    const QString shortfall = poll.beyondCap == 0
        ? QString()
        : u"%1 alerts beyond the cap of %2 were not read (the most severe were; raise %3.max_alerts): nothing "
          "resolves until they fit"_s.arg(poll.beyondCap)
              .arg(m_config.maxAlerts)
              .arg(m_config.http.configKey.isEmpty() ? u"sources.alertmanager"_s : m_config.http.configKey);
    if (const auto changed = m_monitor.succeeded(now, poll.latency, shortfall))
        Q_EMIT healthChanged(*changed);

    if (poll.startedAt) {
        // Alerts missing while Alertmanager is younger than the grace are not resolved:
        // Prometheus re-sends firing alerts only every resend delay.
        m_graceUntil = std::min(*poll.startedAt, now) + m_config.restartGrace;
        m_startedAt = poll.startedAt;
    }
    const bool holdMissing = poll.statusUnknown || now < m_graceUntil || poll.beyondCap > 0;

    QList<AlertChange> changes;
    QSet<QString> seen;
    for (Alert alert : poll.alerts) {
        alert.observedAt = now;
        seen.insert(alert.fingerprint);
        m_missingSince.remove(alert.fingerprint);
        const auto it = m_active.find(alert.fingerprint);
        if (it == m_active.end()) {
            changes << AlertChange { AlertChange::Kind::Firing, alert };
            m_active.insert(alert.fingerprint, alert);
        } else if (!sameContent(*it, alert)) {
            changes << AlertChange { AlertChange::Kind::Updated, alert };
            *it = alert;
        } else {
            it->observedAt = now;
        }
    }
    for (auto it = m_active.begin(); it != m_active.end();) {
        if (seen.contains(it.key())) {
            ++it;
            continue;
        }
        if (holdMissing) {
            m_missingSince.insert(it.key(), m_missingSince.value(it.key(), now));
            ++it;
            continue;
        }
        m_missingSince.remove(it.key());
        Alert gone = it.value();
        gone.observedAt = now;
        changes << AlertChange { AlertChange::Kind::Resolved, gone };
        it = m_active.erase(it);
    }
    if (!changes.isEmpty())
        Q_EMIT alertsChanged(changes);
}

} // namespace antibody

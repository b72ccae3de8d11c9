#include "simulator/world/alertrules.h"

#include <QCryptographicHash>
#include <QSet>
#include <algorithm>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {
namespace {

constexpr Duration updateInterval = 30s; // like Alertmanager's group_interval
constexpr Duration crashLoopWindow = 10min; // KubePodCrashLooping's increase(...[10m])
constexpr Duration staleness = 5min; // how far back Prometheus looks for a sample

using Match = AlertRules::Match;
using Rule = AlertRules::Rule;

QString alertPercent(double v)
{
    return u"%1%"_s.arg(v * 100.0, 0, 'f', v < 0.1 ? 1 : 0);
}

QString seconds(double v)
{
    return u"%1 s"_s.arg(v, 0, 'f', v < 10 ? 1 : 0);
}

// The samples of one metric whose labels satisfy `keep`.
QList<Sample> select(
    const QList<Sample> &scrape, const QString &name, const std::function<bool(const Labels &)> &keep = {})
{
    QList<Sample> out;
    for (const Sample &s : scrape) {
        if (s.labels.value(u"__name__"_s) == name && (!keep || keep(s.labels)))
            out << s;
    }
    return out;
}

Labels keepLabels(const Labels &from, const QStringList &names)
{
    Labels out;
    for (const QString &n : names) {
        if (from.contains(n))
            out.insert(n, from.value(n));
    }
    return out;
}

bool serviceLevel(const Labels &l)
{
    return !l.contains(u"pod"_s) && !l.contains(u"region"_s);
}

// One alert per series of `metric` for which `match` says so.
Rule perSeries(QString name, QString severity, Duration forDuration, QString metric,
    std::function<std::optional<Match>(const Sample &)> match)
{
    return Rule { std::move(name), std::move(severity), forDuration,
        [=](const QList<Sample> &scrape, const MetricHistory &, TimePoint) {
            QList<Match> out;
            for (const Sample &s : select(scrape, metric)) {
                if (auto m = match(s))
                    out << *m;
            }
            return out;
        } };
}

// `metric > limit` on service-level series.
Rule threshold(QString name, QString severity, Duration forDuration, QString metric, double limit,
    std::function<QString(const Sample &)> summary)
{
    return perSeries(std::move(name), std::move(severity), forDuration, std::move(metric),
        [=](const Sample &s) -> std::optional<Match> {
            if (!serviceLevel(s.labels) || s.value <= limit)
                return std::nullopt;
            return Match { keepLabels(s.labels, { u"service"_s }), s.value, summary(s) };
        });
}

// The labels an alert carries: some of the series' own, plus fixed ones (a guard).
Labels labelsOf(const Sample &s, const QStringList &kept, const Labels &extra = {})
{
    Labels out = keepLabels(s.labels, kept);
    out.insert(extra);
    return out;
}

const QString errorRatio = u"service:http_server_requests:error_ratio"_s;
const QString regionErrorRatio = u"service_region:http_server_requests:error_ratio"_s;

// The edge every request enters by: its regional error ratio is the region's.
bool regionDegraded(const Sample &s)
{
    return s.labels.value(u"service"_s) == u"api-gateway"_s && s.value > 0.2;
}

QList<Match> cascade(const QList<Sample> &scrape, const MetricHistory &, TimePoint)
{
    // Several services failing at once, and no region to blame: the cause is unknown.
    const auto regional = select(scrape, regionErrorRatio);
    if (std::any_of(regional.cbegin(), regional.cend(), regionDegraded))
        return {};
    const auto failing = select(scrape, errorRatio, serviceLevel);
    QStringList names;
    for (const Sample &s : failing) {
        if (s.value > 0.1)
            names << s.labels.value(u"service"_s);
    }
    if (names.size() < 3)
        return {};
    QList<Match> out;
    for (const Sample &s : failing) {
        if (s.value > 0.1) {
            out << Match { { { u"service"_s, s.labels.value(u"service"_s) }, { u"guard"_s, u"unknown_cascade"_s } },
                s.value,
                u"%1 services failing at once (%2), no known root cause"_s.arg(names.size()).arg(names.join(u", "_s)) };
        }
    }
    return out;
}

QList<Match> paymentsInFlight(const QList<Sample> &scrape, const MetricHistory &, TimePoint)
{
    const auto errors = select(scrape, errorRatio,
        [](const Labels &l) { return serviceLevel(l) && l.value(u"service"_s) == u"payments-svc"_s; });
    const auto inFlight = select(scrape, u"payments_in_flight"_s);
    if (errors.isEmpty() || inFlight.isEmpty() || errors.front().value <= 0.2 || inFlight.front().value <= 0)
        return {};
    return { Match { { { u"service"_s, u"payments-svc"_s }, { u"guard"_s, u"transactions_in_flight"_s } },
        inFlight.front().value,
        u"payments-svc failing (%1 errors) with %2 transactions in flight"_s.arg(alertPercent(errors.front().value))
            .arg(inFlight.front().value) } };
}

// increase(kube_pod_container_status_restarts_total[10m]) >= 3: the counter now
// against its value 10 minutes ago (0 for a pod younger than that).
QList<Match> crashLooping(const QList<Sample> &scrape, const MetricHistory &history, TimePoint now)
{
    const QString counter = u"kube_pod_container_status_restarts_total"_s;
    QList<Match> out;
    for (const Sample &s : select(scrape, counter)) {
        const QString pod = s.labels.value(u"pod"_s);
        const auto before = history.instant(
            counter, { LabelMatcher { u"pod"_s, LabelMatcher::Op::Equal, pod } }, now - crashLoopWindow, staleness);
        const double restarts = s.value - (before.isEmpty() ? 0.0 : before.front().value);
        if (restarts < 3)
            continue;
        Labels labels = labelsOf(s, { u"service"_s, u"pod"_s });
        labels.insert(u"deployment"_s, s.labels.value(u"service"_s));
        out << Match { labels, restarts, u"%1 restarted %2 times in 10 minutes"_s.arg(pod).arg(restarts) };
    }
    return out;
}

QList<Rule> buildRules()
{
    QList<Rule> r;
    r << threshold(u"DbConnectionPoolExhausted"_s, u"critical"_s, 15s, u"service:pg_connection_utilization:ratio"_s,
        0.9, [](const Sample &s) {
            return u"%1 connection pool at %2 of max_connections"_s.arg(
                s.labels.value(u"service"_s), alertPercent(s.value));
        });
    r << threshold(u"HighLatency"_s, u"high"_s, 60s, u"service:http_server_request_duration_seconds:p99"_s, 1.0,
        [](const Sample &s) { return u"%1 p99 latency at %2"_s.arg(s.labels.value(u"service"_s), seconds(s.value)); });
    r << threshold(u"HighErrorRate"_s, u"critical"_s, 60s, errorRatio, 0.05, [](const Sample &s) {
        return u"%1 error rate at %2"_s.arg(s.labels.value(u"service"_s), alertPercent(s.value));
    });
    r << Rule { u"ReplicationLagHigh"_s, u"high"_s, 30s,
        [](const QList<Sample> &scrape, const MetricHistory &, TimePoint) {
            // max by (service) (pg_replication_lag) > 10
            QMap<QString, double> worst;
            for (const Sample &s : select(scrape, u"pg_replication_lag"_s)) {
                double &w = worst[s.labels.value(u"service"_s)];
                w = std::max(w, s.value);
            }
            QList<Match> out;
            for (auto it = worst.cbegin(); it != worst.cend(); ++it) {
                if (it.value() > 10.0) {
                    out << Match { { { u"service"_s, it.key() } }, it.value(),
                        u"%1 replicas %2 behind the primary"_s.arg(it.key(), seconds(it.value())) };
                }
            }
            return out;
        } };
    r << Rule { u"KubePodCrashLooping"_s, u"high"_s, 0s, crashLooping };
    r << perSeries(u"BlackboxSslCertificateWillExpireSoon"_s, u"medium"_s, 0s,
        u"instance:probe_ssl_earliest_cert_expiry:remaining_seconds"_s, [](const Sample &s) -> std::optional<Match> {
            if (s.value >= 14 * 86400.0)
                return std::nullopt;
            return Match { labelsOf(s, { u"service"_s, u"instance"_s }), s.value,
                u"certificate %1 expires in %2 days"_s.arg(s.labels.value(u"instance"_s))
                    .arg(s.value / 86400.0, 0, 'f', 1) };
        });
    r << perSeries(u"PostgreSQLDown"_s, u"critical"_s, 15s, u"pg_up"_s, [](const Sample &s) -> std::optional<Match> {
        if (s.value >= 1)
            return std::nullopt;
        return Match { labelsOf(s, { u"service"_s }), s.value,
            u"%1 primary is not answering"_s.arg(s.labels.value(u"service"_s)) };
    });
    r << perSeries(
        u"RegionDegraded"_s, u"critical"_s, 60s, regionErrorRatio, [](const Sample &s) -> std::optional<Match> {
            if (!regionDegraded(s))
                return std::nullopt;
            return Match { labelsOf(s, { u"service"_s, u"region"_s }), s.value,
                u"%1 failing %2 of requests"_s.arg(s.labels.value(u"region"_s), alertPercent(s.value)) };
        });
    r << perSeries(u"DataCorruptionSuspected"_s, u"critical"_s, 0s, u"db_checksum_failures"_s,
        [](const Sample &s) -> std::optional<Match> {
            if (s.value <= 0)
                return std::nullopt;
            return Match { labelsOf(s, { u"service"_s }, { { u"guard"_s, u"data_corruption"_s } }), s.value,
                u"%1: %2 page checksum failures"_s.arg(s.labels.value(u"service"_s)).arg(s.value) };
        });
    r << perSeries(u"SecurityIncident"_s, u"critical"_s, 0s, u"host_intrusion_signals"_s,
        [](const Sample &s) -> std::optional<Match> {
            if (s.value <= 0)
                return std::nullopt;
            return Match { labelsOf(s, { u"service"_s, u"host"_s }, { { u"guard"_s, u"security_incident"_s } }),
                s.value,
                u"intrusion signals on %1, which runs %2 pods"_s.arg(
                    s.labels.value(u"host"_s), s.labels.value(u"service"_s)) };
        });
    r << Rule { u"CascadingFailure"_s, u"critical"_s, 30s, cascade };
    r << Rule { u"PaymentsInFlight"_s, u"critical"_s, 0s, paymentsInFlight };
    return r;
}

} // namespace

AlertRules::AlertRules()
    : m_rules(buildRules())
{
}

QString AlertRules::fingerprint(const Labels &labels)
{
    QByteArray canonical;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        canonical += it.key().toUtf8() + '\x1f' + it.value().toUtf8() + '\x1e';
    return QString::fromLatin1(QCryptographicHash::hash(canonical, QCryptographicHash::Sha256).toHex().left(16));
}

QList<AlertChange> AlertRules::evaluate(const QList<Sample> &scrape, const MetricHistory &history, TimePoint now)
{
    QList<AlertChange> changes;
    QSet<QString> seen;
    for (const Rule &rule : m_rules) {
        for (const Match &m : rule.find(scrape, history, now)) {
            Labels labels = m.labels;
            labels.insert(u"alertname"_s, rule.name);
            labels.insert(u"severity"_s, rule.severity);
            const QString fp = fingerprint(labels);
            seen.insert(fp);
            auto it = m_states.find(fp);
            if (it == m_states.end()) {
                State s;
                s.alert.fingerprint = fp;
                s.alert.name = rule.name;
                s.alert.labels = labels;
                s.alert.startsAt = now;
                s.alert.source = u"simulator"_s;
                it = m_states.insert(fp, s);
            }
            Alert &a = it->alert;
            a.annotations.insert(u"summary"_s, m.summary);
            a.value = m.value;
            a.observedAt = now;
            if (!it->firing && now - a.startsAt >= rule.forDuration) {
                it->firing = true;
                it->lastSent = now;
                it->sentSummary = m.summary;
                changes << AlertChange { AlertChange::Kind::Firing, a };
            } else if (it->firing && it->sentSummary != m.summary && now - it->lastSent >= updateInterval) {
                it->lastSent = now;
                it->sentSummary = m.summary;
                changes << AlertChange { AlertChange::Kind::Updated, a };
            }
        }
    }
    for (auto it = m_states.begin(); it != m_states.end();) {
        if (seen.contains(it.key())) {
            ++it;
            continue;
        }
        if (it->firing) {
            Alert resolved = it->alert;
            resolved.observedAt = now;
            changes << AlertChange { AlertChange::Kind::Resolved, resolved };
        }
        it = m_states.erase(it);
    }
    return changes;
}

QList<Alert> AlertRules::firing() const
{
    QList<Alert> out;
    for (const State &s : m_states) {
        if (s.firing)
            out << s.alert;
    }
    return out;
}

} // namespace antibody::sim

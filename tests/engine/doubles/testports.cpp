#include "tests/engine/doubles/testports.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace antibody::test {

TestMetrics::TestMetrics(VirtualClock &clock, Duration scrape)
    : m_clock(clock)
    , m_scrape(scrape)
{
}

TimePoint TestMetrics::scrapeTime() const
{
    const qint64 ms = toMillis(m_clock.now());
    TimePoint t = fromMillis(ms - ms % m_scrape.count());
    if (m_frozenAt)
        t = std::min(t, *m_frozenAt);
    return t;
}

void TestMetrics::set(const QString &metric, const QString &service, double value)
{
    m_series[metric][service] = [value](TimePoint) { return value; };
}

void TestMetrics::setFunction(const QString &metric, const QString &service, std::function<double(TimePoint)> f)
{
    m_series[metric][service] = std::move(f);
}

void TestMetrics::query(const MetricQuery &query, std::function<void(const MetricResult &)> done)
{
    ++m_queries;
    MetricResult r;
    if (!m_failure.isEmpty()) {
        r.error = m_failure;
    } else {
        r.ok = true;
        const QString metric = query.expression.section(u'{', 0, 0).trimmed();
        const TimePoint at = scrapeTime();
        const auto series = m_series.value(metric);
        for (auto it = series.constBegin(); it != series.constEnd(); ++it) {
            if (query.expression.contains(u'{') && !query.expression.contains(u"\""_s + it.key() + u"\""_s))
                continue; // a matcher on another service
            r.samples << Sample { { { u"service"_s, it.key() } }, it.value()(at), at };
        }
    }
    m_clock.callAfter(Duration { 0 }, [done, r] { done(r); });
}

void TestMetrics::queryRange(const MetricQuery &query, TimePoint from, TimePoint to, Duration step,
    std::function<void(const RangeResult &)> done)
{
    RangeResult r;
    r.ok = m_failure.isEmpty();
    const QString metric = query.expression.section(u'{', 0, 0).trimmed();
    const auto series = m_series.value(metric);
    for (auto it = series.constBegin(); r.ok && it != series.constEnd(); ++it) {
        RangeSeries s;
        s.labels.insert(u"service"_s, it.key());
        for (TimePoint t = from; t <= to; t += step)
            s.points << std::pair { t, it.value()(t) };
        r.series << s;
    }
    m_clock.callAfter(Duration { 0 }, [done, r] { done(r); });
}

TestAlerts::TestAlerts(VirtualClock &clock)
    : m_clock(clock)
{
}

QString TestAlerts::fire(const QString &alertname, Labels labels, std::optional<TimePoint> startsAt)
{
    labels.insert(u"alertname"_s, alertname);
    QString key;
    for (auto it = labels.constBegin(); it != labels.constEnd(); ++it)
        key += it.key() + u'=' + it.value() + u',';
    Alert a;
    a.fingerprint
        = QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha1).toHex().left(16));
    a.name = alertname;
    a.labels = labels;
    a.startsAt = startsAt.value_or(m_clock.now());
    a.observedAt = m_clock.now();
    a.source = u"test"_s;
    const bool known = m_active.contains(a.fingerprint);
    m_active.insert(a.fingerprint, a);
    const QList<AlertChange> changes { { known ? AlertChange::Kind::Updated : AlertChange::Kind::Firing, a } };
    m_clock.callAfter(Duration { 0 }, [this, changes] { Q_EMIT alertsChanged(changes); });
    return a.fingerprint;
}

void TestAlerts::resolve(const QString &fingerprint)
{
    const Alert a = m_active.take(fingerprint);
    const QList<AlertChange> changes { { AlertChange::Kind::Resolved, a } };
    m_clock.callAfter(Duration { 0 }, [this, changes] { Q_EMIT alertsChanged(changes); });
}

void TestAlerts::health(FeedHealth::State state, const QString &reason)
{
    const FeedHealth h { name(), state, reason, m_clock.now() };
    m_clock.callAfter(Duration { 0 }, [this, h] { Q_EMIT healthChanged(h); });
}

TestExecutor::TestExecutor(VirtualClock &clock, QString family, QStringList actions)
    : m_clock(clock)
    , m_family(std::move(family))
    , m_actions(std::move(actions))
{
}

void TestExecutor::setFleet(const QString &dimension, const QString &service, QList<Target> members)
{
    m_fleets.insert(dimension + u'|' + service, std::move(members));
}

QList<Target> &TestExecutor::members(const QString &dimension, const QString &service)
{
    return m_fleets[dimension + u'|' + service];
}

void TestExecutor::fleet(const TargetQuery &query, std::function<void(const Fleet &)> done)
{
    ++fleetQueries;
    Fleet f;
    f.ok = true;
    f.dimension = query.dimension == u"replicas" ? u"pods"_s : query.dimension;
    f.scope = query.service;
    f.members = m_fleets.value(f.dimension + u'|' + query.service);
    f.observedAt = m_clock.now();
    m_clock.callAfter(Duration { 0 }, [done, f] { done(f); });
}

void TestExecutor::execute(const ActionRequest &request, std::function<void(const ActionResult &)> done)
{
    executed << ExecutedAction { m_clock.now(), request.action, request.step, request.incidentId, request.targets,
        request.params, request.pass };
    if (m_silent)
        return;
    ActionResult r;
    if (m_effect) {
        r = m_effect(request);
    } else {
        r.ok = true;
        r.affected = request.targets;
        r.detail = u"%1 on %2"_s.arg(request.action, request.targets.join(u", "_s));
    }
    m_clock.callAfter(m_latency, [done, r] { done(r); });
}

TestNotifier::TestNotifier(VirtualClock &clock)
    : m_clock(clock)
{
}

void TestNotifier::send(const Notification &n, std::function<void(const NotifyResult &)> done)
{
    sent << n;
    const NotifyResult r { !failing, failing ? u"the pager is down"_s : QString() };
    m_clock.callAfter(Duration { 0 }, [done, r] { done(r); });
}

int TestNotifier::pages() const
{
    return static_cast<int>(std::count_if(
        sent.begin(), sent.end(), [](const Notification &n) { return n.kind == Notification::Kind::Page; }));
}

Target pod(const QString &name, double cpu, bool healthy, const QString &state)
{
    Target t;
    t.name = name;
    t.state = state;
    t.healthy = healthy;
    t.metrics.insert(u"cpu"_s, cpu);
    t.labels.insert(u"zone"_s, u"eu-west-1a"_s);
    return t;
}

Target connection(int pid, const QString &state, double seconds, const QString &application)
{
    Target t;
    t.name = u"pid %1"_s.arg(pid);
    t.state = state;
    t.metrics.insert(u"state_seconds"_s, seconds);
    t.labels.insert(u"application"_s, application);
    return t;
}

} // namespace antibody::test

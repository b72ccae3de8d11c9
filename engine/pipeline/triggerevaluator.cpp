#include "engine/pipeline/triggerevaluator.h"

#include <QCryptographicHash>
#include <memory>

using namespace Qt::StringLiterals;

namespace antibody {

TriggerEvaluator::TriggerEvaluator(
    Clock &clock, MetricSource *metrics, Duration interval, Duration freshness, AlertSink alerts, HealthSink health)
    : m_clock(clock)
    , m_metrics(metrics)
    , m_interval(interval)
    , m_freshness(freshness)
    , m_alerts(std::move(alerts))
    , m_health(std::move(health))
{
}

QString TriggerEvaluator::fingerprintFor(const QString &runbook, const QString &service)
{
    return QString::fromLatin1(
        QCryptographicHash::hash((u"metric-trigger|"_s + runbook + u'|' + service).toUtf8(), QCryptographicHash::Sha1)
            .toHex()
            .left(16));
}

TriggerEvaluator::~TriggerEvaluator()
{
    stop();
}

void TriggerEvaluator::setRunbooks(const QList<Runbook> &runbooks)
{
    m_runbooks.clear();
    for (const Runbook &rb : runbooks) {
        if (rb.trigger.isMetric())
            m_runbooks << rb;
    }
}

void TriggerEvaluator::start()
{
    m_running = true;
    schedule();
}

void TriggerEvaluator::stop()
{
    m_running = false;
    if (m_timer)
        m_clock.cancel(m_timer);
    m_timer = 0;
}

void TriggerEvaluator::schedule()
{
    if (!m_running)
        return;
    m_timer = m_clock.callAfter(m_interval, [this] {
        m_timer = 0;
        evaluateNow();
        schedule();
    });
}

void TriggerEvaluator::evaluateNow()
{
    if (!m_metrics || m_runbooks.isEmpty())
        return;
    const quint64 round = ++m_round;
    using Answers = QHash<QString, QHash<int, QHash<QString, Sample>>>; // runbook -> expression -> service -> sample
    auto answers = std::make_shared<Answers>();
    auto outstanding = std::make_shared<int>(0);
    auto failure = std::make_shared<QString>();
    for (const Runbook &rb : std::as_const(m_runbooks))
        *outstanding += static_cast<int>(rb.trigger.expressions.size());
    for (const Runbook &rb : std::as_const(m_runbooks)) {
        for (int i = 0; i < rb.trigger.expressions.size(); ++i) {
            MetricQuery q;
            q.expression = rb.trigger.expressions.at(i).selectorText();
            m_metrics->query(q,
                m_life.guard([this, round, answers, outstanding, failure, name = rb.name, i, expr = q.expression](
                                 const MetricResult &r) {
                    if (!r.ok)
                        *failure = u"%1: %2"_s.arg(expr, r.error);
                    for (const Sample &s : r.samples)
                        (*answers)[name][i].insert(s.labels.value(u"service"_s), s);
                    if (--*outstanding == 0) {
                        if (failure->isEmpty() != m_healthy) {
                            m_healthy = failure->isEmpty();
                            m_health({ m_metrics->name(),
                                m_healthy ? FeedHealth::State::Healthy : FeedHealth::State::Degraded,
                                m_healthy ? u"queries answer again"_s : *failure, m_clock.now() });
                        }
                        conclude(round, *answers);
                    }
                }));
        }
    }
}

void TriggerEvaluator::conclude(quint64 round, const QHash<QString, QHash<int, QHash<QString, Sample>>> &answers)
{
    if (round != m_round)
        return; // a newer round started; its answers win
    const TimePoint now = m_clock.now();
    QList<AlertChange> changes;
    QSet<QString> seen;
    for (const Runbook &rb : std::as_const(m_runbooks)) {
        const auto &byExpr = answers.value(rb.name);
        QSet<QString> services;
        for (const auto &byService : byExpr)
            services.unite(QSet<QString>(byService.keyBegin(), byService.keyEnd()));
        for (const QString &service : std::as_const(services)) {
            if (!rb.appliesTo(service))
                continue; // a series of a service the runbook does not list fires nothing
            QStringList holding;
            int holds = 0;
            int known = 0; // expressions with fresh data
            double value = 0;
            for (int i = 0; i < rb.trigger.expressions.size(); ++i) {
                const TriggerExpression &e = rb.trigger.expressions.at(i);
                const auto it = byExpr.value(i).constFind(service);
                if (it == byExpr.value(i).constEnd() || now - it->at > m_freshness || it->at > now + maxClockSkew)
                    continue; // no data, stale data or data from the future: never a reason to act
                ++known;
                if (compare(it->value, *e.comparator, e.threshold.value)) {
                    ++holds;
                    value = it->value;
                    holding << u"%1 = %2 (%3 %4)"_s.arg(
                        e.name, QString::number(it->value, 'g', 4), comparatorText(*e.comparator), e.threshold.text);
                }
            }
            const qsizetype all = rb.trigger.expressions.size();
            const bool fires = rb.trigger.mode == Trigger::Mode::All ? holds == all : holds > 0;
            // Only fresh data may say a trigger stopped holding: for `any`, every expression
            // fresh and none holding; for `all`, one fresh expression that does not hold.
            const bool stopped = rb.trigger.mode == Trigger::Mode::All ? known > holds : known == all && holds == 0;
            const QString fp = fingerprintFor(rb.name, service);
            State &st = m_states[fp];
            seen.insert(fp);
            if (!fires && !stopped) {
                if (!st.firing)
                    st.since.reset(); // a `for:` that cannot be seen to hold does not count
                continue; // firing: held until fresh data decides
            }
            if (!fires) {
                st.since.reset();
                if (st.firing) {
                    st.firing = false;
                    changes << AlertChange { AlertChange::Kind::Resolved, st.alert };
                }
                continue;
            }
            if (!st.since)
                st.since = now;
            if (st.firing || now - *st.since < rb.trigger.forDuration)
                continue;
            st.firing = true;
            Alert a;
            a.fingerprint = fp;
            a.name = rb.trigger.expressions.front().name;
            a.labels = { { u"alertname"_s, a.name }, { u"runbook"_s, rb.name } };
            if (!service.isEmpty())
                a.labels.insert(u"service"_s, service);
            a.annotations.insert(
                u"summary"_s, holding.join(u", "_s) + (service.isEmpty() ? QString() : u" on "_s + service));
            a.startsAt = *st.since;
            a.observedAt = now;
            a.source = u"metric trigger"_s;
            a.value = value;
            st.alert = a;
            changes << AlertChange { AlertChange::Kind::Firing, a };
        }
    }
    // A series that vanished proves nothing either way, like a failed query: what it
    // fired stays firing until fresh data says otherwise (an exporter that died must not
    // close the incident it opened); what was pending starts over.
    for (auto it = m_states.begin(); it != m_states.end(); ++it) {
        if (!seen.contains(it.key()) && !it->firing)
            it->since.reset();
    }
    if (!changes.isEmpty())
        m_alerts(changes);
}

} // namespace antibody

#include "engine/pipeline/safeguards.h"

#include "engine/pipeline/enginecore.h"
#include "engine/pipeline/incidentrecord.h"

using namespace Qt::StringLiterals;

namespace antibody {

Safeguards::Safeguards(EngineCore &core)
    : m_core(core)
{
}

void Safeguards::restore()
{
    Store &store = m_core.store();
    m_breakers.restore(store.loadBreakers());
    for (const Cooldown &c : store.loadCooldowns())
        m_cooldowns.insert(c.resource, c);
    // The rate limit counts what ran before a restart too.
    m_automatedRuns = store.automatedRunsSince(m_core.clock().now() - m_core.settings().rateWindow);
}

void Safeguards::feedChanged(const FeedHealth &health)
{
    const FeedHealth before = m_feeds.value(health.feed);
    m_feeds.insert(health.feed, health);
    if (before.state == health.state && !before.feed.isEmpty())
        return;
    m_core.publish(m_core.event(EngineEvent::Kind::FeedChanged, {},
        u"%1 is %2: %3"_s.arg(health.feed, feedStateText(health.state), health.reason),
        { { u"feed"_s, health.feed }, { u"state"_s, feedStateText(health.state) } }));
    Q_EMIT m_core.engine().feedChanged(health);
}

GuardrailInput Safeguards::inputFor(const IncidentRecord &r, const Plan &plan, const QStringList &missing)
{
    const TimePoint now = m_core.clock().now();
    const Engine::Settings &settings = m_core.settings();
    GuardrailInput in;
    in.runbook = &r.runbook;
    in.incident = &r.incident;
    in.plan = &plan;
    in.now = now;
    const auto advanced = m_breakers.advance(r.runbook.name, r.runbook.breaker, now);
    if (advanced.changed) {
        m_core.store().saveBreaker(advanced.state);
        m_core.publish(m_core.event(EngineEvent::Kind::BreakerHalfOpen, {},
            u"breaker for %1 is half-open: %2"_s.arg(r.runbook.name, advanced.state.lastReason),
            { { u"type"_s, r.runbook.name } }));
        Q_EMIT m_core.engine().breakerChanged(advanced.state);
    }
    in.breaker = advanced.state;
    const QString resource = EngineCore::resourceOf(r.incident);
    const auto cd = m_cooldowns.constFind(resource);
    if (cd != m_cooldowns.constEnd() && cd->until > now)
        in.cooldown = *cd;
    const QString busy = m_busy.value(resource);
    if (!busy.isEmpty() && busy != r.incident.id)
        in.busyWith = busy;
    m_automatedRuns.removeIf([&](TimePoint t) { return now - t > settings.rateWindow; });
    in.automatedInWindow = static_cast<int>(m_automatedRuns.size());
    in.rateLimit = settings.rateLimit;
    in.rateWindow = settings.rateWindow;
    in.freshnessBound = settings.freshnessBound;
    for (const FeedHealth &f : std::as_const(m_feeds)) {
        if (f.state != FeedHealth::State::Healthy)
            in.unhealthyFeeds << f;
    }
    in.missingExecutors = missing;
    // From the store, not from memory: the interruption may be another process's, or a
    // previous life's of this one.
    if (const auto last = m_core.store().lastExecutionOn(resource);
        last && last->outcome == ExecutionOutcome::Interrupted)
        in.interrupted = *last;
    return in;
}

QString Safeguards::blockerBeforePass(const IncidentRecord &r, const QString &step) const
{
    if (!r.incident.guards.isEmpty()) {
        const PlannedStep *ps = r.proposal ? r.proposal->plan.step(step) : nullptr;
        if (!ps || ps->tier == Tier::Safe)
            return guardReason(*r.incident.guards.begin());
    }
    if (!r.automated)
        return {};
    if (breakerOpen(r.runbook))
        return u"the breaker for %1 opened"_s.arg(r.runbook.name);
    for (const FeedHealth &f : std::as_const(m_feeds)) {
        if (f.state != FeedHealth::State::Healthy)
            return u"%1 is %2 (%3): no action on stale data"_s.arg(f.feed, feedStateText(f.state), f.reason);
    }
    return {};
}

bool Safeguards::breakerOpen(const Runbook &runbook) const
{
    return m_breakers.state(runbook.name, runbook.breaker, m_core.clock().now()).state == BreakerState::State::Open;
}

void Safeguards::occupy(const QString &resource, const QString &incidentId, bool automated)
{
    m_busy.insert(resource, incidentId);
    if (automated)
        m_automatedRuns << m_core.clock().now();
}

void Safeguards::release(const QString &resource)
{
    m_busy.remove(resource);
}

void Safeguards::startCooldown(const QString &incidentId, const Cooldown &c, const QString &detail)
{
    m_cooldowns.insert(c.resource, c);
    m_core.store().saveCooldown(c);
    m_core.publish(m_core.event(EngineEvent::Kind::CooldownStarted, incidentId, detail,
        { { u"resource"_s, c.resource }, { u"until"_s, formatTime(c.until) } }));
}

void Safeguards::adoptStoredCooldowns()
{
    for (const Cooldown &c : m_core.store().loadCooldowns()) {
        if (c.until > m_cooldowns.value(c.resource).until)
            m_cooldowns.insert(c.resource, c);
    }
}

void Safeguards::recordSuccess(const QString &type)
{
    const auto t = m_breakers.recordSuccess(type, m_core.clock().now());
    if (!t.changed)
        return;
    m_core.store().saveBreaker(t.state);
    m_core.publish(m_core.event(EngineEvent::Kind::BreakerClosed, {},
        u"breaker for %1 closed: the remediation worked"_s.arg(type), { { u"type"_s, type } }));
    Q_EMIT m_core.engine().breakerChanged(t.state);
}

QString Safeguards::recordFailure(const QString &incidentId, const QString &type, const BreakerSpec &spec,
    const QString &reason, const QString &countsNote)
{
    const auto t = m_breakers.recordFailure(type, spec, m_core.clock().now(), reason);
    m_core.store().saveBreaker(t.state);
    Q_EMIT m_core.engine().breakerChanged(t.state);
    if (!t.changed || t.state.state != BreakerState::State::Open)
        return {};
    QString why
        = u"breaker for %1 opened: %2 failures within %3%5; automation of this remediation halts until a human resets it (or %4 pass)"_s
              .arg(type)
              .arg(t.state.failures.size())
              .arg(formatDuration(spec.window), formatDuration(spec.coolOff), countsNote);
    m_core.publish(m_core.event(EngineEvent::Kind::BreakerOpened, incidentId, why,
        { { u"type"_s, type }, { u"failures"_s, int(t.state.failures.size()) } }));
    return why;
}

void Safeguards::resetBreaker(const QString &type, const QString &who)
{
    const auto t = m_breakers.reset(type, who);
    m_core.store().saveBreaker(t.state);
    m_core.publish(m_core.event(EngineEvent::Kind::BreakerReset, {}, u"breaker for %1 reset by %2"_s.arg(type, who),
        { { u"type"_s, type }, { u"who"_s, who } }));
    Q_EMIT m_core.engine().breakerChanged(t.state);
}

} // namespace antibody

#include "engine/pipeline/circuitbreaker.h"

using namespace Qt::StringLiterals;

namespace antibody {

void CircuitBreakers::restore(const QList<BreakerState> &states)
{
    for (const BreakerState &s : states)
        m_states.insert(s.type, s);
}

void CircuitBreakers::prune(BreakerState &s, const BreakerSpec &spec, TimePoint now)
{
    s.failures.removeIf([&](TimePoint t) { return now - t > spec.window; });
}

BreakerState CircuitBreakers::state(const QString &type, const BreakerSpec &spec, TimePoint now) const
{
    BreakerState s = m_states.value(type);
    s.type = type;
    if (s.state == BreakerState::State::Open && s.openedAt && now - *s.openedAt >= spec.coolOff)
        s.state = BreakerState::State::HalfOpen;
    return s;
}

CircuitBreakers::Transition CircuitBreakers::advance(const QString &type, const BreakerSpec &spec, TimePoint now)
{
    const BreakerState before = m_states.value(type);
    BreakerState after = state(type, spec, now);
    if (after.state == before.state)
        return { after, false };
    after.lastReason = u"cool-off of %1 passed: one automated attempt may try"_s.arg(formatDuration(spec.coolOff));
    m_states.insert(type, after);
    return { after, true };
}

CircuitBreakers::Transition CircuitBreakers::recordFailure(
    const QString &type, const BreakerSpec &spec, TimePoint now, const QString &reason)
{
    BreakerState s = state(type, spec, now);
    const BreakerState::State before = m_states.value(type).state;
    prune(s, spec, now);
    s.failures << now;
    s.lastReason = reason;
    if (s.state == BreakerState::State::HalfOpen || s.failures.size() >= spec.failures) {
        s.state = BreakerState::State::Open;
        s.openedAt = now;
    }
    m_states.insert(type, s);
    return { s, s.state != before };
}

CircuitBreakers::Transition CircuitBreakers::recordSuccess(const QString &type, TimePoint now)
{
    BreakerState s = m_states.value(type);
    s.type = type;
    const BreakerState::State before = s.state;
    if (s.state
        == BreakerState::State::Open) // a human-approved run succeeded while open: keep it open until reset or cool-off
        return { s, false };
    s.state = BreakerState::State::Closed;
    s.failures.clear();
    s.openedAt.reset();
    s.lastReason = u"succeeded at %1"_s.arg(formatTime(now));
    m_states.insert(type, s);
    return { s, before != s.state };
}

CircuitBreakers::Transition CircuitBreakers::reset(const QString &type, const QString &who)
{
    BreakerState s = m_states.value(type);
    s.type = type;
    const bool changed = s.state != BreakerState::State::Closed || !s.failures.isEmpty();
    s.state = BreakerState::State::Closed;
    s.failures.clear();
    s.openedAt.reset();
    s.lastReason = u"reset by %1"_s.arg(who);
    m_states.insert(type, s);
    return { s, changed };
}

} // namespace antibody

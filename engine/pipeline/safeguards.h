#pragma once

#include "engine/pipeline/circuitbreaker.h"
#include "engine/pipeline/guardrails.h"

#include <QHash>

namespace antibody {

class EngineCore;
struct IncidentRecord;

// The state the guardrails read, kept between decisions: circuit breakers per
// remediation type, cooldowns and the one-at-a-time lease per resource, the automated
// runs in the rate window, and the health of every feed. Restored from the store at
// start; every change is stored and published.
class Safeguards
{
public:
    explicit Safeguards(EngineCore &core);

    void restore();
    QList<BreakerState> breakers() const { return m_breakers.all(); }
    QList<FeedHealth> feeds() const { return m_feeds.values(); }
    void feedChanged(const FeedHealth &health);

    // What the guardrails look at for this plan now (a breaker past its cool-off turns half-open).
    GuardrailInput inputFor(const IncidentRecord &record, const Plan &plan, const QStringList &missing);
    // Checked before every side effect: why it must not happen now, or empty.
    QString blockerBeforePass(const IncidentRecord &record, const QString &step) const;
    bool breakerOpen(const Runbook &runbook) const;

    void occupy(const QString &resource, const QString &incidentId, bool automated);
    void release(const QString &resource);
    void startCooldown(const QString &incidentId, const Cooldown &cooldown, const QString &detail);
    // Cooldowns another process wrote, taken in when they last longer than ours.
    void adoptStoredCooldowns();
    void recordSuccess(const QString &type);
    // Returns why the breaker opened, when this failure opened it; empty otherwise.
    QString recordFailure(const QString &incidentId, const QString &type, const BreakerSpec &spec,
        const QString &reason, const QString &countsNote = {});
    void resetBreaker(const QString &type, const QString &who);

private:
    EngineCore &m_core;
    CircuitBreakers m_breakers;
    QHash<QString, Cooldown> m_cooldowns;
    QHash<QString, QString> m_busy; // resource -> incident executing on it
    QList<TimePoint> m_automatedRuns;
    QHash<QString, FeedHealth> m_feeds;
};

} // namespace antibody

#include "engine/store/memorystore.h"

namespace antibody {

void MemoryStore::append(const EngineEvent &event)
{
    m_heldRecords.events << event;
}

void MemoryStore::saveBreaker(const BreakerState &breaker)
{
    m_heldRecords.breakers.insert(breaker.type, breaker);
}

QList<BreakerState> MemoryStore::loadBreakers()
{
    return m_heldRecords.breakers.values();
}

void MemoryStore::saveCooldown(const Cooldown &cooldown)
{
    m_heldRecords.cooldowns.insert(cooldown.resource, cooldown);
}

QList<Cooldown> MemoryStore::loadCooldowns()
{
    return m_heldRecords.cooldowns.values();
}

void MemoryStore::saveDrill(const DrillResult &drill)
{
    m_heldRecords.drills << drill;
}

std::optional<DrillResult> MemoryStore::lastDrill(const QString &runbook)
{
    std::optional<DrillResult> last;
    for (const DrillResult &d : std::as_const(m_heldRecords.drills)) {
        if (d.runbook == runbook && (!last || d.at >= last->at))
            last = d;
    }
    return last;
}

QList<AuditLog::StoredEvent> MemoryStore::eventsAfter(qint64 seq, int limit)
{
    QList<StoredEvent> out;
    const QList<EngineEvent> &events = m_heldRecords.events;
    for (qint64 i = std::max<qint64>(seq, 0); i < events.size() && out.size() < limit; ++i) {
        const EngineEvent &e = events.at(i);
        out << StoredEvent { i + 1, e.at, e.kindName(), e.incidentId, e.detail, e.data };
    }
    return out;
}

} // namespace antibody

#pragma once

#include "engine/store/memoryapprovals.h"
#include "engine/store/memoryexecutions.h"
#include "engine/store/memoryincidents.h"

namespace antibody {

namespace detail {
// Built before the facets that keep a reference to it (a base listed first is built first).
struct OwnsMemoryRecords
{
    MemoryRecords m_heldRecords;
};
} // namespace detail

// A Store that keeps everything in memory and forgets it with the process. For
// tests, dry runs and `simulate` without --data-dir; it keeps the same
// exactly-once and distinct-approver rules as the durable stores. The incidents,
// approvals and executions are facets of their own; the small ones are here.
class MemoryStore : private detail::OwnsMemoryRecords,
                    public Store,
                    public MemoryIncidents,
                    public MemoryApprovals,
                    public MemoryExecutions
{
public:
    MemoryStore()
        : MemoryIncidents(m_heldRecords)
        , MemoryApprovals(m_heldRecords)
        , MemoryExecutions(m_heldRecords)
    {
    }

    void append(const EngineEvent &event) override;
    void saveBreaker(const BreakerState &breaker) override;
    QList<BreakerState> loadBreakers() override;
    void saveCooldown(const Cooldown &cooldown) override;
    QList<Cooldown> loadCooldowns() override;
    void saveDrill(const DrillResult &drill) override;
    std::optional<DrillResult> lastDrill(const QString &runbook) override;
    // An event's number is its place in the list, from 1.
    QList<StoredEvent> eventsAfter(qint64 seq, int limit) override;

    const QList<EngineEvent> &events() const { return m_heldRecords.events; }
    const QHash<QString, Incident> &incidents() const { return m_heldRecords.incidents; }
    const QHash<QString, Proposal> &proposals() const { return m_heldRecords.proposals; }
    const QHash<QString, ExecutionRecord> &executions() const { return m_heldRecords.executions; }
    const QList<Approval> &denials() const { return m_heldRecords.denials; }
    const QHash<QString, QList<Alert>> &alerts() const { return m_heldRecords.alerts; }
};

} // namespace antibody

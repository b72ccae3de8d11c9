#pragma once

#include "engine/ports/store.h"
#include "engine/store/sqlitesession.h"

namespace antibody {

// SqliteStore's circuit breakers and cooldowns, committed before the call returns.
class SqliteSafeguards : public virtual SafeguardRecords, protected SqliteFacet
{
public:
    explicit SqliteSafeguards(SqliteSession &session)
        : SqliteFacet(session)
    {
    }

    void saveBreaker(const BreakerState &breaker) override;
    QList<BreakerState> loadBreakers() override;
    void saveCooldown(const Cooldown &cooldown) override;
    QList<Cooldown> loadCooldowns() override;
};

} // namespace antibody

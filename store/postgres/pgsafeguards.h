#pragma once

#include "engine/ports/store.h"
#include "store/postgres/pgsession.h"

namespace antibody {

// PostgresStore's circuit breakers and cooldowns: decisions, committed before the call
// returns, read back by the leader that takes over.
class PgSafeguards : public virtual SafeguardRecords, protected PgFacet
{
public:
    explicit PgSafeguards(PgSession &session)
        : PgFacet(session)
    {
    }

    void saveBreaker(const BreakerState &breaker) override;
    QList<BreakerState> loadBreakers() override;
    void saveCooldown(const Cooldown &cooldown) override;
    QList<Cooldown> loadCooldowns() override;
};

} // namespace antibody

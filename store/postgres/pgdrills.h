#pragma once

#include "engine/ports/store.h"
#include "store/postgres/pgsession.h"

namespace antibody {

// PostgresStore's drill results, committed before saveDrill() returns.
class PgDrills : public virtual DrillRecords, protected PgFacet
{
public:
    explicit PgDrills(PgSession &session)
        : PgFacet(session)
    {
    }

    void saveDrill(const DrillResult &drill) override;
    std::optional<DrillResult> lastDrill(const QString &runbook) override;
    // Every drill, or those of one runbook, oldest first.
    QList<DrillResult> drills(const QString &runbook = {});

private:
    QList<DrillResult> drillsWhere(const QString &condition, const QString &runbook, const QString &order);
};

} // namespace antibody

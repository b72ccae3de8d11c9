#pragma once

#include "engine/ports/store.h"
#include "engine/store/sqlitesession.h"

namespace antibody {

// SqliteStore's drill results, committed before saveDrill() returns.
class SqliteDrills : public virtual DrillRecords, protected SqliteFacet
{
public:
    explicit SqliteDrills(SqliteSession &session)
        : SqliteFacet(session)
    {
    }

    void saveDrill(const DrillResult &drill) override;
    std::optional<DrillResult> lastDrill(const QString &runbook) override;
    // Every drill, or those of one runbook, oldest first.
    QList<DrillResult> drills(const QString &runbook = {});
};

} // namespace antibody

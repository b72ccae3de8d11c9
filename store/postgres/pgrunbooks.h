#pragma once

#include "engine/ports/runbookrecords.h"
#include "store/postgres/pgsession.h"

namespace antibody {

// RunbookRecords in the team's PostgreSQL store (table installed_runbooks, PostgreSQL
// schema version 3). An installation is a decision of the leader: fenced by the lease's
// epoch like the engine's writes, so a server that stands by or lost the lease installs
// nothing; the audit row goes into the one chain in the same transaction.
class PgRunbooks : public RunbookRecords, protected PgFacet
{
public:
    explicit PgRunbooks(PgSession &session)
        : PgFacet(session)
    {
    }

    bool installRunbook(const InstalledRunbook &runbook, QString *error) override;
    QList<InstalledRunbook> installedRunbooks() override;
};

} // namespace antibody

#pragma once

#include "engine/ports/runbookrecords.h"
#include "engine/store/sqlitesession.h"

namespace antibody {

// RunbookRecords in the SQLite file of a one-server team (table installed_runbooks,
// schema version 5): each installation committed, with its audit row, before the call returns.
class SqliteRunbooks : public RunbookRecords, protected SqliteFacet
{
public:
    explicit SqliteRunbooks(SqliteSession &session)
        : SqliteFacet(session)
    {
    }

    bool installRunbook(const InstalledRunbook &runbook, QString *error) override;
    QList<InstalledRunbook> installedRunbooks() override;
};

} // namespace antibody

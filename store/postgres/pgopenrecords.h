#pragma once

#include "engine/ports/openrecords.h"
#include "store/postgres/pgsession.h"

namespace antibody {

// PostgresStore's open incidents and their current proposals, read back whole (the
// plan as it was stored, every approval of it) for servers that do not hold them.
class PgOpenRecords : public OpenRecords, protected PgFacet
{
public:
    explicit PgOpenRecords(PgSession &session)
        : PgFacet(session)
    {
    }

    std::optional<View> openRecords(const QStringList &also, const QStringList &held, int limit) override;

private:
    QList<Incident> incidents(const QStringList &also, const QStringList &held, int limit);
    QList<Proposal> proposals(const QStringList &ids);
};

} // namespace antibody

#pragma once

#include "engine/domain/incident.h"
#include "engine/domain/proposal.h"

#include <QList>
#include <QStringList>
#include <optional>

namespace antibody {

// Port: what a store shared by servers holds open, read by a server whose engine does
// not hold it: a standby (its engine waits for the lease) shows its consoles what the
// leader handles, and a new leader shows what its predecessor left until it is closed.
// Only a shared store offers it (PgOpenRecords); a store of one process has nobody else's
// records to show.
class OpenRecords
{
public:
    virtual ~OpenRecords();

    struct View
    {
        QList<Incident> incidents; // oldest first
        QList<Proposal> proposals; // each incident's current one, with the approvals of its plan
    };
    // The incidents not over, at most `limit`, but for those of `held` (the reader's own
    // engine holds them, newer than the store: on a leader, nearly all); and the incidents
    // of `also` (open in an earlier read) as they are now, over or not, so that a reader
    // sees how they ended. Nothing when the store could not be read (its session says why
    // in the log).
    virtual std::optional<View> openRecords(const QStringList &also, const QStringList &held, int limit) = 0;
};

} // namespace antibody

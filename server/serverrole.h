#pragma once

#include <QString>

namespace antibody {

// Whether this server acts (leads) or stands by, as its clients and metrics see it.
// One server alone always leads; with a shared PostgreSQL store the leader lease says.
struct ServerRole
{
    bool leading = true;
    qint64 epoch = 0; // the fencing epoch it leads under (0: no lease)
    QString leader; // who leads, when this one does not: "antibody-server alice@db2 (pid 4711)"

    // Why a command cannot be taken here; empty while leading.
    QString standbyReason() const
    {
        if (leading)
            return {};
        return QStringLiteral("this server stands by; the leader is %1: connect to it, or wait: a standby takes "
                              "over within 15 s of the leader's end")
            .arg(leader.isEmpty() ? QStringLiteral("not known yet") : leader);
    }
};

} // namespace antibody

#pragma once

#include "tests/engine/doubles/enginerig.h"
#include "tests/engine/doubles/poolworld.h"
#include "tests/engine/doubles/runbookbuilder.h"

namespace antibody::test {

// The seed's pool runbook at `level`: one capped kill of idle connections.
inline Runbook poolRunbook(int level = 2, int approvals = 1)
{
    using namespace Qt::StringLiterals;
    return RunbookBuilder(u"pool"_s)
        .level(level)
        .approvals(approvals)
        .alert(u"DbConnectionPoolExhausted"_s)
        .step(u"kill_idle"_s, u"terminate_connections"_s, { { u"older_than"_s, u"300s"_s } }, u"15%"_s, {}, 1)
        .build();
}

// An engine on the pool world whose alert fired 20 s ago: the incident and its first plan.
struct PoolIncident
{
    EngineRig rig;
    PoolWorld pool { rig.metrics, rig.database };
    explicit PoolIncident(const Runbook &rb, Engine::Settings settings = {})
        : rig(settings)
    {
        using namespace Qt::StringLiterals;
        using namespace std::chrono_literals;
        rig.start({ rb });
        rig.alerts.fire(u"DbConnectionPoolExhausted"_s, { { u"service"_s, u"orders-db"_s } });
        rig.run(20s);
    }
    Proposal proposal() const { return rig.currentProposal(rig.onlyIncident()); }
};

} // namespace antibody::test

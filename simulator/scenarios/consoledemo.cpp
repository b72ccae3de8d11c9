#include "simulator/scenarios/consoledemo.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {

const Scenario &consoleDemo()
{
    // The order matters: the crash loop starts first, since its breaker needs three
    // failed restarts 3 minutes of cooldown apart (it opens about 10 simulated minutes
    // in, 50 s of watching); the pool heals before the corruption guard holds orders-db;
    // the region fails last among the fixable, so its proposal waits while the rest runs.
    static const Scenario demo {
        u"console-demo"_s,
        u"a pool leak healed alone, a region failover waiting for approval, a crash loop that opens its breaker, "
        u"corrupted pages no automation may touch"_s,
        2026,
        u"2026-11-27T14:00:00Z"_s,
        30min,
        {
            { 5s, Fault::connectionLeak(u"orders-worker"_s, 2min, 9) },
            { 5s,
                Fault::crashLoop(u"checkout-svc"_s, { u"checkout-svc-3"_s },
                    u"exit code 1: PAYMENTS_API_URL missing from the config map"_s, 25s) },
            { 60s, Fault::regionDegraded(u"us-east-1"_s, 0.35, 0.4) },
            { 150s,
                Fault::dataCorruption(
                    u"3 pages of the orders table fail checksums after a storage firmware update"_s) },
        },
        { u"escalated"_s, std::nullopt, { u"terminate_connections"_s, u"restart_pods"_s }, {}, true,
            u"the pool heals alone, the region failover waits for a human, the crash loop opens its breaker and "
            u"pages, the corruption is escalated untouched"_s },
    };
    return demo;
}

} // namespace antibody::sim

#pragma once

// The seed's connection pool as a tiny world for engine tests: a 20-slot pool
// on orders-db with active and idle connections; terminating connections frees
// their slots; utilization is what the metric reports at each scrape.

#include "engine/runbook/runbook.h"
#include "tests/engine/doubles/testports.h"

namespace antibody::test {

struct PoolWorld
{
    PoolWorld(TestMetrics &metrics, TestExecutor &database, int active = 4, int idle = 15, int maxConnections = 20);
    // The seed's runbook for it: kill idle connections 15% a pass, then verify under 70%.
    static Runbook runbook(int level);

    int used() const;
    double utilization() const { return double(used()) / m_max; }

    TestExecutor &db;
    int m_max;
};

} // namespace antibody::test

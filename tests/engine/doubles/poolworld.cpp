#include "tests/engine/doubles/poolworld.h"

#include "tests/engine/doubles/runbookbuilder.h"

using namespace Qt::StringLiterals;

namespace antibody::test {

PoolWorld::PoolWorld(TestMetrics &metrics, TestExecutor &database, int active, int idle, int maxConnections)
    : db(database)
    , m_max(maxConnections)
{
    QList<Target> conns;
    int pid = 4000;
    for (int i = 0; i < active; ++i)
        conns << connection(++pid, u"active"_s, 5);
    for (int i = 0; i < idle; ++i)
        conns << connection(++pid, u"idle"_s, 400 + 30 * i); // the last opened is the youngest
    db.setFleet(u"connections"_s, u"orders-db"_s, conns);
    db.onExecute([this](const ActionRequest &r) {
        ActionResult out;
        out.ok = true;
        auto &members = db.members(u"connections"_s, u"orders-db"_s);
        for (const QString &t : r.targets) {
            if (members.removeIf([&](const Target &m) { return m.name == t; }) > 0)
                out.affected << t;
        }
        out.facts.insert(u"terminated"_s, double(out.affected.size()));
        out.detail = u"terminated %1"_s.arg(out.affected.join(u", "_s));
        return out;
    });
    for (const QString &name : { u"db_connection_pool_utilization"_s, u"db_pool_utilization"_s })
        metrics.setFunction(name, u"orders-db"_s, [this](TimePoint) { return utilization(); });
    metrics.setFunction(u"db_active_connections"_s, u"orders-db"_s, [this](TimePoint) { return double(used()); });
}

Runbook PoolWorld::runbook(int level)
{
    return RunbookBuilder(u"connection-pool-exhaustion"_s)
        .level(level)
        .alert(u"DbConnectionPoolExhausted"_s)
        .step(u"kill_idle"_s, u"terminate_connections"_s, { { u"state"_s, u"idle"_s }, { u"older_than"_s, u"300s"_s } },
            u"15%"_s)
        .step(u"verify_recovery"_s, u"wait_for_metric"_s,
            { { u"metric"_s, u"db_pool_utilization"_s }, { u"below"_s, u"70%"_s }, { u"timeout"_s, u"120s"_s } })
        .build();
}

int PoolWorld::used() const
{
    return static_cast<int>(db.members(u"connections"_s, u"orders-db"_s).size());
}

} // namespace antibody::test

#pragma once

#include "connectors/postgres/postgresdatabase.h"
#include "engine/ports/actionexecutor.h"

namespace antibody {

// The `diagnostics` family from pg_stat_activity: what a DBA looks at first when
// a pool fills up, published as the catalog's facts (pool_utilization,
// idle_connections, idle_ratio, long_running_queries, cause) so that a runbook
// can branch on them (`diagnose.cause == leak`). Reads only.
class PostgresDiagnostics : public ActionExecutor
{
public:
    explicit PostgresDiagnostics(PostgresDatabase &database);

    QString family() const override;
    QStringList actions() const override;
    void fleet(const TargetQuery &query, std::function<void(const Fleet &)> done) override;
    void execute(const ActionRequest &request, std::function<void(const ActionResult &)> done) override;

    struct Pool
    {
        int maxConnections = 0;
        int clients = 0; // client connections but this one: the pool as the application sees it
        int idle = 0;
        int active = 0;
        int idleInTransaction = 0;
        int longRunning = 0; // active for more than 30 s
        double oldestIdleSeconds = 0;
    };
    // The most likely cause, in the catalog's words, and why.
    static QString causeOf(const Pool &pool, QString *why);

private:
    PostgresDatabase &m_database;
};

} // namespace antibody

#pragma once

#include "connectors/postgres/postgresdatabase.h"
#include "engine/ports/actionexecutor.h"

namespace antibody {

// The `database` family on a real PostgreSQL: the fleet is the server's client
// connections (pg_stat_activity), and terminate_connections ends the ones the
// planner chose with pg_terminate_backend, after checking again, in the same
// statement, that each is still in the requested state and old enough. It never
// touches more than the targets it was given, its own session, or the
// applications the configuration excludes (the exporter).
class PostgresExecutor : public ActionExecutor
{
public:
    explicit PostgresExecutor(PostgresDatabase &database);

    QString family() const override;
    QStringList actions() const override;
    void fleet(const TargetQuery &query, std::function<void(const Fleet &)> done) override;
    void execute(const ActionRequest &request, std::function<void(const ActionResult &)> done) override;

    // pg_stat_activity's state as the vocabulary names it: "idle in transaction" -> idle_in_transaction.
    static QString stateName(const QString &pgState);

private:
    // Empty when this database serves `service`; otherwise why not.
    QString refusal(const QString &service) const;

    PostgresDatabase &m_database;
};

} // namespace antibody

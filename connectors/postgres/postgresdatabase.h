#pragma once

#include "connectors/config/configuration.h"
#include "connectors/postgres/pgconnection.h"
#include "connectors/work/workerpool.h"

#include <QObject>

namespace antibody {

// One configured PostgreSQL server, as the executors see it: one worker thread,
// so operations never overlap, and one connection per operation, closed after
// it. On an exhausted pool the remediator needs exactly one slot (a superuser
// may use the reserved one), and between operations it holds none, so it never
// counts in the utilization it is trying to bring down.
class PostgresDatabase : public QObject
{
    Q_OBJECT
public:
    explicit PostgresDatabase(PostgresConfig config, QObject *parent = nullptr);
    ~PostgresDatabase() override;

    const PostgresConfig &config() const { return m_config; }
    QString describe() const;

    // Runs `job` with the connection on the worker; `done` gets its result on this object's thread.
    template <typename Result> void run(std::function<Result(PgConnection &)> job, std::function<void(Result)> done)
    {
        m_pool.run<Result>(
            [this, job = std::move(job)](const Cancellation &cancellation) {
                // The pool's, cancelled as this object goes: the statement in flight ends then.
                m_connection.setCancellation(&cancellation);
                Result result = job(m_connection);
                m_connection.close();
                return result;
            },
            std::move(done));
    }

private:
    PostgresConfig m_config;
    PgConnection m_connection; // used on the worker only
    WorkerPool m_pool; // last: stops before the connection goes
};

} // namespace antibody

#pragma once

#include "connectors/config/configuration.h"

namespace antibody {

class Cancellation;

// What `antibodyctl doctor` asks a configured PostgreSQL: whether the executor's role
// can connect, and whether it may do what the database family's actions need: signal
// other backends (pg_signal_backend, for terminate_connections) and see their state
// (pg_read_all_stats, for the connections it picks). A superuser may do both.
struct PostgresFacts
{
    bool connected = false;
    QString error; // why not: libpq's message, one line, never a password
    QString location; // "host=127.0.0.1 port=25432 dbname=postgres"
    QString role;
    bool superuser = false;
    bool mayTerminate = false; // superuser or member of pg_signal_backend
    bool maySeeSessions = false; // superuser or member of pg_read_all_stats
    QString serverVersion;
};

PostgresFacts probePostgres(const PostgresConfig &config, const Cancellation &cancellation);

} // namespace antibody

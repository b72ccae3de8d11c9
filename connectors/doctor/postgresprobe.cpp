#include "connectors/doctor/postgresprobe.h"

#include "connectors/postgres/dsn.h"
#include "connectors/postgres/pgconnection.h"
#include "connectors/work/cancellation.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {

PostgresFacts probePostgres(const PostgresConfig &config, const Cancellation &cancellation)
{
    PostgresFacts facts;
    facts.location = dsnLocation(config.dsn);
    PgConnection::Settings settings;
    settings.dsn = config.dsn;
    settings.password = config.password;
    settings.applicationName = u"antibodyctl doctor"_s;
    settings.connectTimeout = std::min(config.connectTimeout, Duration { 3'000 });
    settings.statementTimeout = std::min(config.statementTimeout, Duration { 3'000 });
    settings.deadline = settings.statementTimeout + Duration { 1'000 };
    settings.cancelGrace = Duration { 500 };
    settings.location = facts.location;
    settings.reconnect = false;
    PgConnection connection(settings);
    connection.setCancellation(&cancellation);
    QString error;
    if (!connection.connect(&error)) {
        facts.error = cancellation.isCancelled()
            ? u"%1: no answer within the doctor's bound (--timeout)"_s.arg(facts.location)
            : error;
        return facts;
    }
    const PgRows rows = connection.exec(u"select current_user::text as role, r.rolsuper::text as superuser,"
                                        u" pg_has_role(current_user, 'pg_signal_backend', 'MEMBER')::text as signal,"
                                        u" pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER')::text as stats,"
                                        u" current_setting('server_version') as version"
                                        u" from pg_roles r where r.rolname = current_user"_s);
    connection.close();
    if (!rows.ok || rows.rows.isEmpty()) {
        facts.error = rows.ok ? u"the role's privileges could not be read"_s : rows.error;
        return facts;
    }
    facts.connected = true;
    facts.role = rows.value(0, u"role"_s);
    facts.superuser = rows.value(0, u"superuser"_s) == u"true"_s;
    facts.mayTerminate = facts.superuser || rows.value(0, u"signal"_s) == u"true"_s;
    facts.maySeeSessions = facts.superuser || rows.value(0, u"stats"_s) == u"true"_s;
    facts.serverVersion = rows.value(0, u"version"_s).left(40);
    return facts;
}

} // namespace antibody

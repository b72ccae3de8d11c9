#include "connectors/postgres/postgresdiagnostics.h"

using namespace Qt::StringLiterals;

namespace antibody {

PostgresDiagnostics::PostgresDiagnostics(PostgresDatabase &database)
    : m_database(database)
{
}

QString PostgresDiagnostics::family() const
{
    return u"diagnostics"_s;
}

QStringList PostgresDiagnostics::actions() const
{
    return { u"collect_diagnostics"_s };
}

void PostgresDiagnostics::fleet(const TargetQuery &query, std::function<void(const Fleet &)> done)
{
    Fleet f;
    f.scope = query.service;
    f.error = u"diagnostics read; they have no fleet"_s;
    QMetaObject::invokeMethod(
        &m_database, [done, f] { done(f); }, Qt::QueuedConnection);
}

QString PostgresDiagnostics::causeOf(const Pool &p, QString *why)
{
    const int busy = p.active + p.idleInTransaction;
    const double utilization = p.maxConnections > 0 ? double(p.clients) / p.maxConnections : 0;
    if (p.longRunning >= 3 || (p.active >= 2 && p.longRunning * 2 >= p.active)) {
        *why = u"%1 of %2 active queries have run for more than 30 s"_s.arg(p.longRunning).arg(p.active);
        return u"slow_queries"_s;
    }
    if (p.clients > 0 && p.idle * 2 >= p.clients && utilization >= 0.5) {
        *why = u"%1 of %2 connections sit idle: the application holds connections it does not use"_s.arg(p.idle).arg(
            p.clients);
        return u"leak"_s;
    }
    if (p.clients > 0 && p.idleInTransaction * 10 >= p.clients * 3) {
        *why = u"%1 of %2 connections are idle in an open transaction"_s.arg(p.idleInTransaction).arg(p.clients);
        return u"leak"_s;
    }
    if (utilization >= 0.9) {
        *why = u"%1 of %2 connections are busy: the pool is too small for the work"_s.arg(busy).arg(p.clients);
        return u"pool_saturation"_s;
    }
    *why = u"the pool shows no clear cause (%1% in use)"_s.arg(qRound(utilization * 100));
    return u"unknown"_s;
}

void PostgresDiagnostics::execute(const ActionRequest &request, std::function<void(const ActionResult &)> done)
{
    const QStringList asked = request.params.value(u"checks"_s).toStringList();
    m_database.run<ActionResult>(
        [asked](PgConnection &pg) {
            ActionResult r;
            const PgRows rows = pg.exec(
                u"SELECT current_setting('max_connections')::int AS max_connections,"
                u" count(*) AS clients,"
                u" count(*) FILTER (WHERE state = 'idle') AS idle,"
                u" count(*) FILTER (WHERE state = 'active') AS active,"
                u" count(*) FILTER (WHERE state LIKE 'idle in transaction%') AS idle_in_transaction,"
                u" count(*) FILTER (WHERE state = 'active' AND now() - query_start > interval '30 seconds') AS "
                u"long_running,"
                u" coalesce(max(extract(epoch FROM now() - state_change)) FILTER (WHERE state = 'idle'), 0)::float8 AS "
                u"oldest_idle"
                u" FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"_s);
            if (!rows.ok || rows.rows.isEmpty()) {
                r.error = u"reading pg_stat_activity: %1"_s.arg(rows.error);
                return r;
            }
            Pool p;
            p.maxConnections = static_cast<int>(rows.number(0, u"max_connections"_s));
            p.clients = static_cast<int>(rows.number(0, u"clients"_s));
            p.idle = static_cast<int>(rows.number(0, u"idle"_s));
            p.active = static_cast<int>(rows.number(0, u"active"_s));
            p.idleInTransaction = static_cast<int>(rows.number(0, u"idle_in_transaction"_s));
            p.longRunning = static_cast<int>(rows.number(0, u"long_running"_s));
            p.oldestIdleSeconds = rows.number(0, u"oldest_idle"_s);
            QString why;
            const QString cause = causeOf(p, &why);
            const double utilization = p.maxConnections > 0 ? double(p.clients) / p.maxConnections : 0;
            r.ok = true;
            r.facts = {
                { u"pool_utilization"_s, utilization },
                { u"idle_connections"_s, static_cast<double>(p.idle) },
                { u"idle_ratio"_s, p.clients > 0 ? double(p.idle) / p.clients : 0.0 },
                { u"long_running_queries"_s, static_cast<double>(p.longRunning) },
                { u"cause"_s, cause },
            };
            r.detail = u"%1 of %2 connections in use (%3%): %4 idle (oldest %5 s), %6 active, %7 idle in transaction, "
                       u"%8 running longer than 30 s; likely cause: %9 (%10)"_s.arg(p.clients)
                           .arg(p.maxConnections)
                           .arg(qRound(utilization * 100))
                           .arg(p.idle)
                           .arg(qRound(p.oldestIdleSeconds))
                           .arg(p.active)
                           .arg(p.idleInTransaction)
                           .arg(p.longRunning)
                           .arg(cause, why);
            QStringList unavailable;
            for (const QString &check : asked) {
                if (check != u"pool"_s && check != u"slow_queries"_s)
                    unavailable << check;
            }
            if (!unavailable.isEmpty())
                r.detail += u". Not available from PostgreSQL: %1"_s.arg(unavailable.join(u", "_s));
            return r;
        },
        std::move(done));
}

} // namespace antibody

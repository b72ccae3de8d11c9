#include "connectors/postgres/postgresexecutor.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// How long pg_terminate_backend waits for each backend to be gone (PostgreSQL 14+),
// so that a pass's effect is real by the time it reports.
constexpr int terminateWaitMs = 5'000;

QStringList excludedApplications(const PostgresConfig &config, const QVariantMap &params)
{
    QStringList out = config.excludeApplications;
    for (const QString &app : params.value(u"exclude_applications"_s).toStringList()) {
        if (!out.contains(app))
            out << app;
    }
    return out;
}

std::optional<int> pidOf(const QString &target)
{
    if (!target.startsWith(u"pid "_s))
        return std::nullopt;
    bool ok = false;
    const int pid = target.mid(4).toInt(&ok);
    return ok && pid > 0 ? std::optional<int>(pid) : std::nullopt;
}

// The pg_stat_activity states a vocabulary state stands for.
QStringList pgStatesFor(const QString &state)
{
    if (state == u"idle_in_transaction")
        return { u"idle in transaction"_s, u"idle in transaction (aborted)"_s };
    if (state == u"active")
        return { u"active"_s, u"fastpath function call"_s };
    return { state };
}

} // namespace

PostgresExecutor::PostgresExecutor(PostgresDatabase &database)
    : m_database(database)
{
}

QString PostgresExecutor::family() const
{
    return u"database"_s;
}

QStringList PostgresExecutor::actions() const
{
    return { u"terminate_connections"_s };
}

QString PostgresExecutor::stateName(const QString &pgState)
{
    if (pgState.startsWith(u"idle in transaction"_s))
        return u"idle_in_transaction"_s;
    if (pgState == u"fastpath function call"_s)
        return u"active"_s;
    return pgState; // idle, active, disabled, or empty when not visible
}

QString PostgresExecutor::refusal(const QString &service) const
{
    const QString mine = m_database.config().service;
    if (mine.isEmpty() || service.isEmpty() || service == mine)
        return {};
    return u"executors.postgres '%1' holds the connections of %2, not of %3; add a database with service: %3"_s.arg(
        m_database.config().name, mine, service);
}

void PostgresExecutor::fleet(const TargetQuery &query, std::function<void(const Fleet &)> done)
{
    const QString refused = refusal(query.service);
    const QString scope = m_database.config().service.isEmpty() ? query.service : m_database.config().service;
    const QStringList excluded = excludedApplications(m_database.config(), query.params);
    const QString database = query.params.value(u"database"_s).toString();
    m_database.run<Fleet>(
        [refused, scope, excluded, database](PgConnection &pg) {
            Fleet f;
            f.dimension = u"connections"_s;
            f.scope = scope;
            if (!refused.isEmpty()) {
                f.error = refused;
                return f;
            }
            const PgRows rows = pg.exec(
                u"SELECT pid, coalesce(state, '') AS state, coalesce(usename, '') AS usename, coalesce(datname, '') AS "
                u"datname,"
                u" coalesce(application_name, '') AS app,"
                u" extract(epoch FROM now() - coalesce(state_change, backend_start))::float8 AS state_seconds,"
                u" (extract(epoch FROM now()) * 1000)::bigint AS now_ms"
                u" FROM pg_stat_activity"
                u" WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
                u" AND NOT (coalesce(application_name, '') = ANY($1::text[]))"
                u" AND ($2::text IS NULL OR datname = $2::text)"
                u" ORDER BY coalesce(state_change, backend_start), pid"_s,
                { PgConnection::textArray(excluded), database.isEmpty() ? QString() : database });
            if (!rows.ok) {
                f.error = u"reading pg_stat_activity: %1"_s.arg(rows.error);
                return f;
            }
            f.observedAt = fromMillis(QDateTime::currentMSecsSinceEpoch());
            for (qsizetype i = 0; i < rows.rows.size(); ++i) {
                Target t;
                t.name = u"pid "_s + rows.value(i, u"pid"_s);
                t.state = stateName(rows.value(i, u"state"_s));
                t.labels = { { u"application"_s, rows.value(i, u"app"_s) }, { u"user"_s, rows.value(i, u"usename"_s) },
                    { u"database"_s, rows.value(i, u"datname"_s) } };
                t.metrics.insert(u"state_seconds"_s, rows.number(i, u"state_seconds"_s));
                f.members << t;
                if (i == 0)
                    f.observedAt = fromMillis(static_cast<qint64>(rows.number(i, u"now_ms"_s)));
            }
            f.ok = true;
            return f;
        },
        std::move(done));
}

void PostgresExecutor::execute(const ActionRequest &request, std::function<void(const ActionResult &)> done)
{
    if (request.action != u"terminate_connections"_s) {
        ActionResult r;
        r.error = u"PostgreSQL runs terminate_connections only, not %1"_s.arg(request.action);
        QMetaObject::invokeMethod(
            &m_database, [done, r] { done(r); }, Qt::QueuedConnection);
        return;
    }
    const QString refused = refusal(request.service);
    const QStringList excluded = excludedApplications(m_database.config(), request.params);
    const QString state = request.params.value(u"state"_s, u"idle"_s).toString();
    const qint64 olderThanMs = request.params.value(u"older_than"_s, 300'000).toLongLong();
    const QString database = request.params.value(u"database"_s).toString();
    const QStringList targets = request.targets;
    m_database.run<ActionResult>(
        [=](PgConnection &pg) {
            ActionResult r;
            if (!refused.isEmpty()) {
                r.error = refused;
                return r;
            }
            QStringList pids;
            QStringList notConnections;
            for (const QString &t : targets) {
                if (const auto pid = pidOf(t))
                    pids << QString::number(*pid);
                else
                    notConnections << t;
            }
            if (!notConnections.isEmpty()) {
                r.error = u"not connection targets (expected \"pid N\"): %1"_s.arg(notConnections.join(u", "_s));
                return r;
            }
            if (state != u"idle"_s && state != u"idle_in_transaction"_s) {
                r.error = u"terminate_connections ends idle or idle_in_transaction connections, not %1"_s.arg(state);
                return r;
            }
            // One statement checks again and terminates: only the given pids, only if each is
            // still in that state for long enough, never this session, never an excluded application.
            const PgRows killed = pg.exec(
                u"SELECT a.pid, extract(epoch FROM now() - a.state_change)::float8 AS state_seconds,"
                u" pg_terminate_backend(a.pid, $5::bigint) AS terminated"
                u" FROM pg_stat_activity a"
                u" WHERE a.pid = ANY($1::int[]) AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'"
                u" AND a.state = ANY($2::text[])"
                u" AND a.state_change <= now() - make_interval(secs => $3::float8)"
                u" AND NOT (coalesce(a.application_name, '') = ANY($4::text[]))"
                u" AND ($6::text IS NULL OR a.datname = $6::text)"
                u" ORDER BY a.state_change"_s,
                { u'{' + pids.join(u',') + u'}', PgConnection::textArray(pgStatesFor(state)),
                    QString::number(double(olderThanMs) / 1000.0, 'f', 3), PgConnection::textArray(excluded),
                    QString::number(terminateWaitMs), database.isEmpty() ? QString() : database });
            if (!killed.ok) {
                r.error = u"pg_terminate_backend failed: %1"_s.arg(killed.error);
                // The statement signals each backend as it reaches it; a cancel does not take that back.
                if (killed.cancelled)
                    r.error += u"; connections it reached before the cancel may be gone: read the fleet again"_s;
                return r;
            }
            QStringList ages;
            QStringList done;
            for (qsizetype i = 0; i < killed.rows.size(); ++i) {
                if (killed.value(i, u"terminated"_s) != u"t"_s)
                    continue;
                const QString name = u"pid "_s + killed.value(i, u"pid"_s);
                done << name;
                r.affected << name;
                ages << u"%1 %2 s"_s.arg(name).arg(qRound(killed.number(i, u"state_seconds"_s)));
            }
            // Say why the others were left alone.
            QStringList left;
            QStringList leftPids;
            for (const QString &pid : std::as_const(pids)) {
                if (!done.contains(u"pid "_s + pid))
                    leftPids << pid;
            }
            if (!leftPids.isEmpty()) {
                const PgRows now
                    = pg.exec(u"SELECT p.pid, coalesce(a.state, '') AS state, (a.pid IS NOT NULL) AS present"
                              u" FROM unnest($1::int[]) AS p(pid) LEFT JOIN pg_stat_activity a ON a.pid = p.pid"_s,
                        { u'{' + leftPids.join(u',') + u'}' });
                for (qsizetype i = 0; i < now.rows.size(); ++i) {
                    const QString name = u"pid "_s + now.value(i, u"pid"_s);
                    left << (now.value(i, u"present"_s) == u"t"_s
                            ? u"%1 (now %2)"_s.arg(name, stateName(now.value(i, u"state"_s)))
                            : u"%1 (already gone)"_s.arg(name));
                }
            }
            r.ok = true;
            r.facts.insert(u"terminated"_s, static_cast<double>(r.affected.size()));
            r.detail = r.affected.isEmpty()
                ? u"terminated nothing: none of the %1 chosen connections still qualified"_s.arg(targets.size())
                : u"terminated %1 %2 connection%3 (%4)"_s.arg(r.affected.size())
                      .arg(state, r.affected.size() == 1 ? QString() : u"s"_s, ages.join(u", "_s));
            if (!left.isEmpty())
                r.detail += u"; left alone: %1"_s.arg(left.join(u", "_s));
            return r;
        },
        std::move(done));
}

} // namespace antibody

#include "pgharness.h"

#include "store/postgres/pgauditverifier.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace antibody::pgtest {

quint16 clusterPort()
{
    return static_cast<quint16>(qEnvironmentVariable("TEAMDB_PORT", u"18543"_s).toUInt());
}

QString dsn(const QString &database, quint16 port)
{
    return u"host=127.0.0.1 port=%1 dbname=%2 user=postgres sslmode=disable"_s.arg(port).arg(database);
}

QString dsn(const QString &database)
{
    return dsn(database, clusterPort());
}

std::unique_ptr<PgConnection> look(const QString &database)
{
    PgConnection::Settings settings;
    settings.dsn = dsn(database);
    settings.applicationName = u"antibody-tests"_s;
    return std::make_unique<PgConnection>(settings);
}

qint64 scalar(PgConnection &db, const QString &sql)
{
    const PgRows rows = db.exec(sql);
    if (!rows.ok)
        qFatal("%s: %s", qPrintable(sql), qPrintable(rows.error));
    return rows.rows.isEmpty() || rows.nulls.front().front() ? -1 : rows.rows.front().front().toLongLong();
}

QString createDatabase(const QString &prefix)
{
    static int count = 0;
    // Identifiers cannot be parameters; this one is made here, never from input.
    const QString name = u"%1_%2_%3"_s.arg(prefix).arg(QCoreApplication::applicationPid()).arg(++count);
    auto admin = look(u"postgres"_s);
    for (const QString &sql : { u"DROP DATABASE IF EXISTS %1"_s.arg(name), u"CREATE DATABASE %1"_s.arg(name) }) {
        const PgRows done = admin->exec(sql);
        if (!done.ok)
            qFatal("%s: %s (is the test cluster up? scripts/teamdb up)", qPrintable(sql), qPrintable(done.error));
    }
    return name;
}

Replica::Replica(const QString &database, const QString &holder, VirtualClock &clock, TimePoint start)
{
    PostgresStore::Options options;
    options.dsn = dsn(database);
    options.holder = holder;
    QString error;
    store = PostgresStore::open(options, &error);
    if (!store)
        qFatal("%s", qPrintable(error));
    store->setFailureHandler([this](const QString &m) { failures << m; });
    lease = std::make_unique<LeaderLease>(store->session(), clock);
    lease->setDatabaseTimeShift([&clock, start] { return clock.now() - start; });
}

Replica::~Replica()
{
    lease.reset(); // before the session it fences
}

Store &PostgresBackend::fresh()
{
    m_replica.reset();
    m_database = createDatabase(u"contract"_s);
    m_look = look(m_database);
    m_replica = std::make_unique<Replica>(m_database, u"replica-1"_s, m_clock, m_start);
    if (!m_replica->lease->tryAcquire())
        qFatal("a new database's lease was not granted");
    return *m_replica->store;
}

Store &PostgresBackend::restart()
{
    const int next = m_replica ? m_replica->store->session().holder().section(u'-', 1).toInt() + 1 : 1;
    m_replica.reset();
    // Whether it stepped down or died, its lease is over once the TTL has passed.
    m_clock.advanceBy(Duration { 16'000 });
    m_replica = std::make_unique<Replica>(m_database, u"replica-%1"_s.arg(next), m_clock, m_start);
    if (!m_replica->lease->tryAcquire())
        qFatal("the lease was not granted after the restart");
    return *m_replica->store;
}

qint64 PostgresBackend::scalar(const QString &sql)
{
    return pgtest::scalar(*m_look, sql);
}

QString PostgresBackend::rawExec(const QString &sql)
{
    const PgRows done = m_look->execScript(sql);
    return done.ok ? QString() : done.error;
}

bool PostgresBackend::holds(const QString &text)
{
    const PgRows tables
        = m_look->exec(u"SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"_s);
    for (const QStringList &table : tables.rows) {
        // Each row of each table as text: every column, whatever its type.
        const PgRows found
            = m_look->exec(u"SELECT count(*) FROM %1 t WHERE strpos(t::text, $1) > 0"_s.arg(table.front()), { text });
        if (found.rows.value(0).value(0).toLongLong() > 0)
            return true;
    }
    return false;
}

QString auditProblems(PgConnection &db)
{
    const AuditVerifier::Report report = PgAuditVerifier::verify(db);
    QStringList problems;
    for (const AuditVerifier::Problem &p : report.problems)
        problems << p.where + u' ' + p.what;
    return problems.join(u"; "_s);
}

QString PostgresBackend::verify()
{
    return auditProblems(*m_look);
}

} // namespace antibody::pgtest

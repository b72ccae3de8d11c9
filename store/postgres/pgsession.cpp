#include "store/postgres/pgsession.h"

#include "connectors/postgres/dsn.h"
#include "engine/store/identity.h"
#include "engine/store/storeerror.h"
#include "store/postgres/pgaudittrail.h"
#include "store/postgres/pgschema.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

Q_LOGGING_CATEGORY(lcPgStore, "antibody.store.postgres")

} // namespace

std::unique_ptr<PgSession> PgSession::open(const Options &given, QString *error)
{
    Options options = given;
    if (options.holder.trimmed().isEmpty())
        options.holder = Identity::process();
    const auto refuse = [error](const QString &message) {
        if (error)
            *error = message;
        return nullptr;
    };
    if (options.dsn.trimmed().isEmpty()) {
        return refuse(u"the store's DSN is empty; expected a libpq connection string such as "
                      "\"host=db1 port=5432 dbname=antibody user=antibody sslmode=verify-full\""_s);
    }
    if (!dsnParses(options.dsn)) {
        // libpq's own message quotes the text around the mistake, which may be the password.
        return refuse(u"the store's DSN is not a valid libpq connection string (libpq's message is not shown: it may "
                      "quote a password); write key=value pairs such as \"host=db1 port=5432 dbname=antibody "
                      "user=antibody sslmode=verify-full\", values with spaces in single quotes"_s);
    }
    const QString location = dsnLocation(options.dsn);
    PgConnection::Settings settings;
    settings.dsn = options.dsn;
    settings.password = options.password;
    settings.applicationName = u"antibody-store"_s;
    settings.connectTimeout = options.connectTimeout;
    settings.statementTimeout = options.statementTimeout;
    // A write transaction holds the lease row FOR SHARE from its epoch check to its
    // COMMIT, which keeps any replica from taking the lease over meanwhile. A replica cut
    // off from the database in that gap would hold it until the server noticed the
    // connection was dead (hours, with the kernel's keepalive defaults), and no standby
    // could lead. Our transactions never wait for anything but the network between two
    // statements, so the server ends one idle for 5 s: the row is free again well within
    // the lease's 10 s.
    settings.idleInTransactionTimeout = Duration { 5'000 };
    settings.location = location;
    settings.reconnect = false;
    auto connection = std::make_unique<PgConnection>(settings);
    QString why;
    if (!connection->connect(&why))
        return refuse(why + u": check that the server runs and the DSN's host, port, dbname and user"_s);
    std::unique_ptr<PgSession> session(new PgSession(std::move(options), std::move(connection), location));
    try {
        PgSchema::migrate(*session);
    } catch (const StoreError &e) {
        return refuse(e.message());
    }
    return session;
}

PgSession::PgSession(Options options, std::unique_ptr<PgConnection> connection, QString location)
    : m_options(std::move(options))
    , m_connection(std::move(connection))
    , m_location(std::move(location))
    , m_failureHandler([](const QString &message) { qCCritical(lcPgStore, "%s", qUtf8Printable(message)); })
{
}

PgSession::~PgSession() = default;

PgRows PgSession::statement(const QString &sql, const PgParams &params)
{
    PgRows out;
    if (const int bad = params.firstUnstorable()) {
        out.error = u"value $%1 holds a NUL character, which PostgreSQL text cannot store"_s.arg(bad);
        return out;
    }
    if (!m_connection->connect(&out.error))
        return out;
    return m_connection->exec(sql, params.values());
}

PgRows PgSession::exec(const QString &sql, const PgParams &params)
{
    if (const int bad = params.firstUnstorable()) {
        throw StoreError(u"value $%1 holds a NUL character (U+0000), which PostgreSQL text cannot store: remove it; "
                         "nothing of this record was written"_s.arg(bad));
    }
    PgRows rows = m_connection->exec(sql, params.values());
    if (!rows.ok)
        throw StoreError(u"%1 (PostgreSQL %2)"_s.arg(rows.error, m_location));
    return rows;
}

void PgSession::execScript(const QString &sql)
{
    const PgRows rows = m_connection->execScript(sql);
    if (!rows.ok)
        throw StoreError(u"%1 (PostgreSQL %2)"_s.arg(rows.error, m_location));
}

void PgSession::checkEpoch(qint64 epoch)
{
    const PgRows lease = exec(
        u"SELECT epoch, holder FROM leader_leases WHERE name = $1 FOR SHARE"_s, PgParams() << m_options.leaseName);
    const qint64 stored = lease.rows.isEmpty() ? 0 : lease.rows.front().value(0).toLongLong();
    if (stored == epoch)
        return;
    throw StoreError(u"this replica (%1) writes under epoch %2 of the leader lease '%3', but the lease is at epoch %4 "
                     "(held by %5): another replica leads now, so nothing was written"_s.arg(m_options.holder)
                         .arg(epoch)
                         .arg(m_options.leaseName)
                         .arg(stored)
                         .arg(lease.rows.isEmpty() ? u"nobody"_s : lease.rows.front().value(1)));
}

void PgSession::rollback()
{
    if (m_connection->isOpen())
        m_connection->exec(u"ROLLBACK"_s);
}

bool PgSession::write(const QString &what, Durability durability, const std::function<void()> &body)
{
    const std::optional<qint64> epoch = this->epoch();
    if (!epoch) {
        fail(u"could not %1: this replica (%2) does not hold the leader lease '%3' of %4 (a standby, or it lost the "
             "lease), so it writes nothing"_s.arg(what, m_options.holder, m_options.leaseName, m_location));
        return false;
    }
    QString why;
    if (!m_connection->connect(&why)) {
        fail(u"could not %1: %2"_s.arg(what, why));
        setWriting(false, why);
        return false;
    }
    try {
        exec(u"BEGIN"_s);
        if (durability == Durability::Informational)
            exec(u"SET LOCAL synchronous_commit = off"_s);
        checkEpoch(*epoch);
        body();
        exec(u"COMMIT"_s);
    } catch (const StoreError &e) {
        rollback();
        fail(u"could not %1: %2"_s.arg(what, e.message()));
        if (!m_connection->isOpen())
            setWriting(false, e.message());
        return false;
    }
    setWriting(true, {});
    return true;
}

bool PgSession::writeUnfenced(const QString &what, const std::function<void()> &body)
{
    QString why;
    if (!m_connection->connect(&why)) {
        fail(u"could not %1: %2"_s.arg(what, why));
        return false;
    }
    try {
        exec(u"BEGIN"_s);
        body();
        exec(u"COMMIT"_s);
    } catch (const StoreError &e) {
        rollback();
        fail(u"could not %1: %2"_s.arg(what, e.message()));
        return false;
    }
    return true;
}

bool PgSession::read(const QString &what, const std::function<void()> &body)
{
    QString why;
    if (!m_connection->connect(&why)) {
        fail(u"could not %1: %2"_s.arg(what, why));
        return false;
    }
    try {
        // One snapshot: an execution and its steps are read as one moment saw them.
        exec(u"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"_s);
        body();
        exec(u"COMMIT"_s);
        return true;
    } catch (const StoreError &e) {
        rollback();
        fail(u"could not %1: %2"_s.arg(what, e.message()));
        return false;
    }
}

void PgSession::seal(const QString &table, const QJsonArray &key, TimePoint at)
{
    PgAuditTrail(*this).seal(table, key, at);
}

void PgSession::fail(const QString &message)
{
    if (m_failureHandler)
        m_failureHandler(message);
}

void PgSession::setWriting(bool writing, const QString &reason)
{
    if (m_writing == writing)
        return;
    m_writing = writing;
    if (!m_healthWatcher)
        return;
    FeedHealth h;
    h.feed = u"database %1"_s.arg(m_location);
    h.state = writing ? FeedHealth::State::Healthy : FeedHealth::State::Down;
    h.reason = writing
        ? u"records are written again"_s
        : u"nothing can be written (%1): nothing runs until it can; check the server and the network"_s.arg(reason);
    m_healthWatcher(h);
}

} // namespace antibody

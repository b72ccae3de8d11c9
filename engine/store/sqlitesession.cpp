#include "engine/store/sqlitesession.h"

#include "engine/store/audittrail.h"
#include "engine/store/ownerlock.h"
#include "engine/store/schema.h"
#include "engine/store/sqlitedatabase.h"
#include "engine/store/sqlitetransaction.h"
#include "engine/store/storeerror.h"

#include <QAbstractEventDispatcher>
#include <QLoggingCategory>
#include <QObject>
#include <QThread>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

Q_LOGGING_CATEGORY(lcStore, "antibody.store")

} // namespace

std::unique_ptr<SqliteSession> SqliteSession::open(const QString &file, const Options &options, QString *error)
{
    try {
        auto db = std::make_unique<SqliteDatabase>(file, SqliteDatabase::Access::ReadWrite, options.busyTimeout);
        Schema::migrate(*db);
        // Find damage now, before the engine relies on the file, rather than mid-incident.
        auto check = db->prepare(u"PRAGMA quick_check(1)"_s);
        if (check.step() && check.text(0) != u"ok"_s) {
            throw StoreError(u"%1 is damaged (%2): move it aside (keep it for the post-mortem) and start with a "
                             "fresh folder, or restore a backup"_s.arg(file, check.text(0)));
        }
        QString lockError;
        auto owner = OwnerLock::acquire(ownersFolder(file), &lockError);
        if (!owner)
            throw StoreError(u"%1: %2"_s.arg(file, lockError));
        std::unique_ptr<SqliteSession> session(new SqliteSession(std::move(db), std::move(owner), options));
        session->m_anchor.checkAtStart();
        return session;
    } catch (const StoreError &e) {
        if (error)
            *error = e.message();
        return nullptr;
    }
}

SqliteSession::SqliteSession(
    std::unique_ptr<SqliteDatabase> db, std::unique_ptr<OwnerLock> owner, const Options &options)
    : m_db(std::move(db))
    , m_owner(std::move(owner))
    , m_options(options)
    , m_failureHandler([](const QString &message) { qCCritical(lcStore, "%s", qUtf8Printable(message)); })
    , m_anchor(*m_db, [this](const QString &message) { fail(message); })
{
}

SqliteSession::~SqliteSession()
{
    close();
}

void SqliteSession::close()
{
    flush();
    m_anchor.keep(true);
}

QString SqliteSession::file() const
{
    return m_db->file();
}

QString SqliteSession::ownersFolder(const QString &file)
{
    return file + u"-owners"_s;
}

void SqliteSession::setFailureHandler(std::function<void(const QString &)> handler)
{
    m_failureHandler = std::move(handler);
}

void SqliteSession::watchHealth(std::function<void(const FeedHealth &)> watcher)
{
    m_healthWatcher = std::move(watcher);
}

void SqliteSession::setWriting(bool writing, const QString &reason)
{
    if (m_writing == writing)
        return;
    m_writing = writing;
    if (!m_healthWatcher)
        return;
    FeedHealth h;
    h.feed = u"database %1"_s.arg(m_db->file());
    h.state = writing ? FeedHealth::State::Healthy : FeedHealth::State::Down;
    h.reason = writing ? u"records are written again"_s
                       : u"nothing can be written (%1): nothing runs until it can; check the disk and who holds the "
                         "database"_s.arg(reason);
    m_healthWatcher(h);
}

void SqliteSession::fail(const QString &message)
{
    if (m_failureHandler)
        m_failureHandler(message);
}

QString SqliteSession::ownerName() const
{
    return m_owner->name();
}

bool SqliteSession::ownerAlive(const QString &owner) const
{
    return OwnerLock::isAlive(ownersFolder(m_db->file()), owner);
}

bool SqliteSession::write(const QString &what, Durability durability, std::function<void()> body)
{
    if (durability == Durability::Batched && m_options.batching) {
        // Queued, not written: the write lock is taken only while the batch commits,
        // so a batch never makes another process wait for this one's work.
        m_queue.push_back({ what, std::move(body) });
        if (static_cast<int>(m_queue.size()) >= m_options.batchLimit)
            flush();
        else
            scheduleFlush();
        return true;
    }
    return commitWith(what, &body, durability);
}

bool SqliteSession::runOperation(const QString &what, const std::function<void()> &body)
{
    m_db->cached("SAVEPOINT operation").run();
    try {
        body();
    } catch (const StoreError &e) {
        // Undo this operation only; the rest of the transaction stands.
        m_db->cached("ROLLBACK TO operation").run();
        m_db->cached("RELEASE operation").run();
        fail(u"could not %1: %2"_s.arg(what, e.message()));
        return false;
    }
    m_db->cached("RELEASE operation").run();
    return true;
}

bool SqliteSession::commitWith(const QString &what, const std::function<void()> *body, Durability durability)
{
    std::vector<Pending> queued = std::exchange(m_queue, {});
    if (queued.empty() && !body)
        return true;
    try {
        // Shared commits skip the fsync (WAL keeps them atomic and visible to every
        // process); the next FULL commit syncs the log, theirs included. 20,000 incidents
        // opened one by one would otherwise take a minute of fsyncs.
        const SqliteSynchronous synchronous(*m_db, durability == Durability::Shared);
        SqliteTransaction tx(*m_db);
        for (const Pending &p : queued)
            runOperation(p.what, p.body);
        const bool done = !body || runOperation(what, *body);
        tx.commit();
        setWriting(true, {});
        m_anchor.keep(durability == Durability::Durable);
        return done;
    } catch (const StoreError &e) {
        // The transaction could not start or commit (a lock held too long, a full disk):
        // keep the informational records for the next commit; the decision is refused.
        m_queue.insert(m_queue.begin(), std::make_move_iterator(queued.begin()), std::make_move_iterator(queued.end()));
        fail(u"could not %1: %2"_s.arg(body ? what : u"commit %1 batched records"_s.arg(queued.size()), e.message()));
        setWriting(false, e.message());
        return false;
    }
}

void SqliteSession::flush()
{
    m_flushScheduled = false;
    commitWith({}, nullptr);
}

void SqliteSession::scheduleFlush()
{
    // The batch is committed when the thread's current work is done. Without an event
    // loop, the next decision, a read, the batch limit or flush() commits it.
    if (m_flushScheduled || !QAbstractEventDispatcher::instance(QThread::currentThread()))
        return;
    if (!m_flushContext || m_flushContext->thread() != QThread::currentThread())
        m_flushContext = std::make_unique<QObject>();
    m_flushScheduled = true;
    QTimer::singleShot(0, m_flushContext.get(), [this] {
        if (m_flushScheduled)
            flush();
    });
}

void SqliteSession::seal(const QString &table, const QJsonArray &key, TimePoint at)
{
    AuditTrail(*m_db).seal(table, key, at);
}

bool SqliteSession::read(const QString &what, const std::function<void()> &body)
{
    flush(); // reads see everything written so far
    try {
        body();
        return true;
    } catch (const StoreError &e) {
        fail(u"could not %1: %2"_s.arg(what, e.message()));
        return false;
    }
}

} // namespace antibody

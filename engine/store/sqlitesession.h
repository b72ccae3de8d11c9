#pragma once

#include "engine/core/time.h"
#include "engine/ports/alert.h"
#include "engine/store/auditanchorkeeper.h"

#include <QJsonArray>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

class QObject;

namespace antibody {

class OwnerLock;
class SqliteDatabase;

// What every facet of SqliteStore writes and reads through: one SQLite file (WAL,
// synchronous=FULL, foreign keys on), the owner lock of this process, the queue of
// batched records, and the store's health. Called on the engine's thread.
//
// Decision and execution records are committed before write() returns.
// Informational records wait in a queue and are written in the transaction of the
// next decision, when control returns to the thread's event loop, before a read, or
// after `batchLimit` of them: the write lock is held only while a transaction commits.
class SqliteSession
{
public:
    struct Options
    {
        Duration busyTimeout { 5'000 }; // how long to wait for another process's write lock
        bool batching = true;
        int batchLimit = 256;
    };
    // Batched: queued, committed later. Shared: committed before the call returns, so
    // every process on the database sees it at once, and synced to disk with the next
    // durable commit (a process crash loses nothing; a power cut may lose the last of
    // these). Durable: on disk before the call returns.
    enum class Durability { Batched, Shared, Durable };

    // Opens FILE (creating it and its schema, or migrating it), checks it and the
    // audit anchor beside it. On failure returns nullptr and sets `error` to a message
    // that names the file and what to do.
    static std::unique_ptr<SqliteSession> open(const QString &file, const Options &options, QString *error);
    ~SqliteSession();

    SqliteDatabase &database() { return *m_db; }
    QString file() const;
    // This process's owner lock, as rows name it.
    QString ownerName() const;
    // Whether the process that owns rows named `owner` still runs.
    bool ownerAlive(const QString &owner) const;
    // Where the owner locks of the processes using this database live ("<file>-owners").
    static QString ownersFolder(const QString &file);

    // A durable write commits `body` (with whatever is queued) before returning; a
    // batched one is queued. False when it failed (reported to the failure handler).
    bool write(const QString &what, Durability durability, std::function<void()> body);
    // Runs a query after committing the queue; false (and a report) when it failed.
    bool read(const QString &what, const std::function<void()> &body);
    // Commits the batch now, and moves the anchor to the chain's head.
    void flush();
    void close();
    // Seals a written row into the hash-chained audit trail.
    void seal(const QString &table, const QJsonArray &key, TimePoint at);

    // Failures after opening (disk full, a lock held too long, a refused step) go here;
    // the default writes them to the log with qCritical.
    void setFailureHandler(std::function<void(const QString &)> handler);
    void watchHealth(std::function<void(const FeedHealth &)> watcher);
    QStringList startWarnings() const { return m_anchor.startWarnings(); }

private:
    SqliteSession(std::unique_ptr<SqliteDatabase> db, std::unique_ptr<OwnerLock> owner, const Options &options);
    struct Pending
    {
        QString what;
        std::function<void()> body;
    };

    // One transaction: the queued writes, then `body` if any, each in its own savepoint.
    bool commitWith(
        const QString &what, const std::function<void()> *body, Durability durability = Durability::Durable);
    bool runOperation(const QString &what, const std::function<void()> &body);
    void scheduleFlush();
    void fail(const QString &message);
    void setWriting(bool writing, const QString &reason);

    std::unique_ptr<SqliteDatabase> m_db;
    std::unique_ptr<OwnerLock> m_owner;
    Options m_options;
    std::vector<Pending> m_queue;
    bool m_flushScheduled = false;
    std::unique_ptr<QObject> m_flushContext;
    std::function<void(const QString &)> m_failureHandler;
    std::function<void(const FeedHealth &)> m_healthWatcher;
    bool m_writing = true; // false after a transaction failed, until one commits
    AuditAnchorKeeper m_anchor;
};

// The base of each facet of SqliteStore: the session it writes through, by the names
// the facets' code uses.
class SqliteFacet
{
protected:
    explicit SqliteFacet(SqliteSession &session)
        : m_session(session)
        , m_db(session.database())
    {
    }
    using Durability = SqliteSession::Durability;
    bool write(const QString &what, Durability durability, std::function<void()> body)
    {
        return m_session.write(what, durability, std::move(body));
    }
    bool read(const QString &what, const std::function<void()> &body) { return m_session.read(what, body); }
    void seal(const QString &table, const QJsonArray &key, TimePoint at) { m_session.seal(table, key, at); }

    SqliteSession &m_session;
    SqliteDatabase &m_db;
};

} // namespace antibody

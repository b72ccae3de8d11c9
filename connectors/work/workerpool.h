#pragma once

#include "connectors/work/cancellation.h"

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <functional>
#include <memory>

namespace antibody {

// Runs blocking calls (libcurl, libpq) off the engine's thread and hands each
// result back to the thread of the pool's context object with a queued call, so
// a port's callback never runs inside the call that asked (docs/ARCHITECTURE.md,
// "Threads").
//
// The context owns the pool: its destructor drops the jobs not yet started,
// cancels and waits for running jobs, and Qt drops results still queued for a
// destroyed context, so no result ever reaches a dead object.
class WorkerPool
{
public:
    // `name` names the worker threads ("prometheus", "postgres orders-db"); `maxThreads`
    // 1 serializes the jobs (one database operation at a time).
    WorkerPool(QObject *context, QString name, int maxThreads);
    ~WorkerPool();

    WorkerPool(const WorkerPool &) = delete;
    WorkerPool &operator=(const WorkerPool &) = delete;

    template <typename Result>
    void run(std::function<Result(const Cancellation &)> job, std::function<void(Result)> done)
    {
        QObject *context = m_context;
        auto cancellation = m_cancellation;
        start([context, cancellation, job = std::move(job), done = std::move(done)]() mutable {
            Result result = job(*cancellation);
            if (cancellation->isCancelled())
                return;
            QMetaObject::invokeMethod(
                context, [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); },
                Qt::QueuedConnection);
        });
    }

    // Stops waiting on slow servers and retries; running jobs end soon after.
    void cancel();
    // Jobs waiting or running.
    int busy() const;
    QString name() const { return m_name; }

private:
    void start(std::function<void()> job);

    QObject *m_context;
    QString m_name;
    QThreadPool m_threads;
    std::shared_ptr<Cancellation> m_cancellation;
};

} // namespace antibody

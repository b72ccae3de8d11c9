#include "connectors/work/workerpool.h"

#include <QThread>

namespace antibody {

WorkerPool::WorkerPool(QObject *context, QString name, int maxThreads)
    : m_context(context)
    , m_name(std::move(name))
    , m_cancellation(std::make_shared<Cancellation>())
{
    m_threads.setObjectName(m_name);
    m_threads.setMaxThreadCount(std::max(1, maxThreads));
    // Idle workers go away; a poller wakes one again within its interval.
    m_threads.setExpiryTimeout(60'000);
}

WorkerPool::~WorkerPool()
{
    // Queued jobs go first: cancelled first, the running ones would end and their threads
    // start the queued ones (a request to a slow server) while the owner is going.
    m_threads.clear();
    cancel();
    m_threads.waitForDone();
}

void WorkerPool::cancel()
{
    m_cancellation->cancel();
}

int WorkerPool::busy() const
{
    return m_threads.activeThreadCount();
}

void WorkerPool::start(std::function<void()> job)
{
    const QString name = m_name;
    m_threads.start([name, job = std::move(job)] {
        // Named threads make a stuck call easy to find in a debugger or `top -H`.
        if (QThread::currentThread()->objectName() != name)
            QThread::currentThread()->setObjectName(name);
        job();
    });
}

} // namespace antibody

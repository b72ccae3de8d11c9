#include "models/link/enginethread.h"

namespace antibody {

void EngineThread::QuitAndWait::operator()(QThread *thread) const
{
    thread->quit();
    thread->wait();
    delete thread;
}

EngineThread::EngineThread(const QString &name)
    : m_thread(new QThread)
    , m_anchor(new QObject)
{
    m_thread->setObjectName(name);
    m_anchor->setObjectName(name + QStringLiteral("-anchor"));
    m_anchor->moveToThread(m_thread.get());
    // Deferred deletes still run as a thread finishes: the anchor and everything
    // parented to it are destroyed on the engine thread, after its last event.
    QObject::connect(m_thread.get(), &QThread::finished, m_anchor, &QObject::deleteLater);
    m_thread->start();
}

EngineThread::~EngineThread()
{
    stop();
}

void EngineThread::post(std::function<void()> work)
{
    if (m_thread)
        QMetaObject::invokeMethod(m_anchor, std::move(work), Qt::QueuedConnection);
}

void EngineThread::stop()
{
    m_thread.reset();
}

} // namespace antibody

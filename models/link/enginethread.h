#pragma once

#include <QObject>
#include <QString>
#include <QThread>
#include <functional>
#include <memory>

namespace antibody {

// The named thread the engine and its connectors live on. Everything created
// there is parented (directly or through an owner) to anchor(), which is deleted
// on that thread as it stops; the thread itself is owned by a unique_ptr whose
// deleter quits it and waits, so no engine object outlives the console's link
// to it and none is destroyed from the wrong thread.
class EngineThread
{
public:
    explicit EngineThread(const QString &name = QStringLiteral("antibody-engine"));
    ~EngineThread();

    EngineThread(const EngineThread &) = delete;
    EngineThread &operator=(const EngineThread &) = delete;

    // Runs `work` on the engine thread, later; never blocks the caller.
    void post(std::function<void()> work);
    // Stops the thread now (the destructor does it too): anchor() and its children are deleted first.
    void stop();

    QObject *anchor() const { return m_anchor; }
    QThread *thread() const { return m_thread.get(); }

private:
    struct QuitAndWait
    {
        void operator()(QThread *thread) const;
    };
    std::unique_ptr<QThread, QuitAndWait> m_thread;
    QObject *m_anchor;
};

} // namespace antibody

#pragma once

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>
#include <utility>

namespace antibody {

// Hands a worker thread's result back to `target`, a model living in the application's
// (GUI) thread. The worker never reads the QPointer: its check there would race with the
// object's deletion on the GUI thread. The application object carries the call across,
// and the check and the call run on the GUI thread, where the target can only die
// between two events.
template <typename T, typename F> void postBack(const QPointer<T> &target, F &&call)
{
    QMetaObject::invokeMethod(
        QCoreApplication::instance(),
        [target, call = std::forward<F>(call)]() mutable {
            if (target)
                call(*target);
        },
        Qt::QueuedConnection);
}

} // namespace antibody

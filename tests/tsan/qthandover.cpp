// Tells ThreadSanitizer about the hand-overs between threads that Qt guarantees.
//
// Debian's Qt is not built with ThreadSanitizer, and its mutexes, semaphores and posted-event
// queues wait on futexes that TSan cannot see. Without this file every queued call, queued
// signal and QThreadPool job would be reported as a race between the thread that sent it and
// the thread that ran it, since nothing TSan sees orders the two. The suites of the tsan build
// are linked with -Wl,--wrap for the Qt functions below (tests/tsan/CMakeLists.txt): our code's
// calls into them come here first, and each marks the hand-over Qt makes with a release on the
// sending side and an acquire on the receiving side:
//
//   a queued call (QMetaObject::invokeMethod with a functor): its slot object is wrapped; released
//       when posted, acquired when it runs, and back again for a blocking call;
//   a signal (QObject::connect to a functor or a member function): every emission releases on
//       the sender, and the wrapped slot acquires on it before running, on whichever thread;
//   a QThreadPool job: released when started, acquired as it begins; waitForDone acquires what
//       finished jobs did;
//   QThread::quit: released when asked, acquired by the thread as it finishes (before it
//       deletes what it owns); QThread::wait acquires what the thread did up to its finished().
//
// Only what Qt promises is modelled, so a race in our code (a worker reading an object while the
// GUI thread deletes it, two threads writing one variable, the GUI reading the engine thread's
// data without a queued call) is still reported. What Qt does inside its own libraries is left
// to tests/tsan.supp. A use after free that is ordered after the delete is no race: ASan's.
#include <QObject>
#include <QThread>
#include <QThreadPool>
#include <functional>
#include <sanitizer/tsan_interface.h>

using QtPrivate::QSlotObjectBase;

namespace {

// The address every QThreadPool job start releases on and every job acquires, and the one every
// job end releases on and every waitForDone acquires. A job cannot read its own token before it
// has acquired (that read would be the race), so the addresses are fixed.
char poolStarted;
char poolDone;

void *address(const void *p)
{
    return const_cast<void *>(p);
}

// Stands in for the slot object of a queued call or a connection: acquires on itself (released
// once it was built) and on the sender before the real slot runs, releases on itself after.
class HandOver : public QSlotObjectBase
{
public:
    HandOver(QSlotObjectBase *inner, const QObject *sender)
        : QSlotObjectBase(&impl)
        , m_inner(inner)
        , m_sender(sender)
    {
    }

private:
    static void impl(int which, QSlotObjectBase *self, QObject *receiver, void **args, bool *ret)
    {
        __tsan_acquire(self); // first: the fields below were written by the thread that built it
        auto *h = static_cast<HandOver *>(self);
        switch (which) {
        case Destroy:
            h->m_inner->destroyIfLastRef();
            delete h;
            break;
        case Call:
            if (h->m_sender)
                __tsan_acquire(address(h->m_sender));
            h->m_inner->call(receiver, args);
            __tsan_release(self);
            break;
        case Compare:
            *ret = h->m_inner->compare(args);
            break;
        default:
            break;
        }
    }

    QSlotObjectBase *m_inner;
    const QObject *m_sender;
};

} // namespace

// The real functions (--wrap binds __real_<name> to Qt's) and their stand-ins, by mangled name;
// tests/tsan/CMakeLists.txt wraps the same names.
using InvokeMethodImpl = bool(QObject *, QSlotObjectBase *, Qt::ConnectionType, void *);
InvokeMethodImpl realInvokeMethodImpl __asm__(
    "__real__ZN11QMetaObject16invokeMethodImplEP7QObjectPN9QtPrivate15QSlotObjectBaseEN2Qt14ConnectionTypeEPv");
InvokeMethodImpl wrapInvokeMethodImpl __asm__(
    "__wrap__ZN11QMetaObject16invokeMethodImplEP7QObjectPN9QtPrivate15QSlotObjectBaseEN2Qt14ConnectionTypeEPv");

using ConnectImpl = QMetaObject::Connection(const QObject *, void **, const QObject *, void **, QSlotObjectBase *,
    Qt::ConnectionType, const int *, const QMetaObject *);
ConnectImpl realConnectImpl __asm__(
    "__real__ZN7QObject11connectImpl"
    "EPKS_PPvS1_S3_PN9QtPrivate15QSlotObjectBaseEN2Qt14ConnectionTypeEPKiPK11QMetaObject");
ConnectImpl wrapConnectImpl __asm__(
    "__wrap__ZN7QObject11connectImpl"
    "EPKS_PPvS1_S3_PN9QtPrivate15QSlotObjectBaseEN2Qt14ConnectionTypeEPKiPK11QMetaObject");

using Activate = void(QObject *, const QMetaObject *, int, void **);
Activate realActivate __asm__("__real__ZN11QMetaObject8activateEP7QObjectPKS_iPPv");
Activate wrapActivate __asm__("__wrap__ZN11QMetaObject8activateEP7QObjectPKS_iPPv");

using PoolStart = void(QThreadPool *, std::function<void()>, int);
PoolStart realPoolStart __asm__("__real__ZN11QThreadPool5startESt8functionIFvvEEi");
PoolStart wrapPoolStart __asm__("__wrap__ZN11QThreadPool5startESt8functionIFvvEEi");

using WaitForDone = bool(QThreadPool *, int);
WaitForDone realWaitForDone __asm__("__real__ZN11QThreadPool11waitForDoneEi");
WaitForDone wrapWaitForDone __asm__("__wrap__ZN11QThreadPool11waitForDoneEi");

using ThreadStart = void(QThread *, QThread::Priority);
ThreadStart realThreadStart __asm__("__real__ZN7QThread5startENS_8PriorityE");
ThreadStart wrapThreadStart __asm__("__wrap__ZN7QThread5startENS_8PriorityE");

using ThreadQuit = void(QThread *);
ThreadQuit realThreadQuit __asm__("__real__ZN7QThread4quitEv");
ThreadQuit wrapThreadQuit __asm__("__wrap__ZN7QThread4quitEv");

using ThreadWait = bool(QThread *, QDeadlineTimer);
ThreadWait realThreadWait __asm__("__real__ZN7QThread4waitE14QDeadlineTimer");
ThreadWait wrapThreadWait __asm__("__wrap__ZN7QThread4waitE14QDeadlineTimer");

bool wrapInvokeMethodImpl(QObject *object, QSlotObjectBase *slot, Qt::ConnectionType type, void *ret)
{
    if (!slot)
        return realInvokeMethodImpl(object, slot, type, ret);
    auto *h = new HandOver(slot, nullptr);
    // A blocking call returns once the slot has run: keep the stand-in to acquire on it then.
    const bool blocking = type == Qt::BlockingQueuedConnection;
    if (blocking)
        h->ref();
    __tsan_release(h);
    const bool invoked = realInvokeMethodImpl(object, h, type, ret);
    if (blocking) {
        __tsan_acquire(h);
        h->destroyIfLastRef();
    }
    return invoked;
}

QMetaObject::Connection wrapConnectImpl(const QObject *sender, void **signal, const QObject *receiver, void **slotPtr,
    QSlotObjectBase *slot, Qt::ConnectionType type, const int *types, const QMetaObject *senderMetaObject)
{
    if (slot) {
        slot = new HandOver(slot, sender);
        __tsan_release(slot);
    }
    return realConnectImpl(sender, signal, receiver, slotPtr, slot, type, types, senderMetaObject);
}

void wrapActivate(QObject *sender, const QMetaObject *m, int localSignalIndex, void **argv)
{
    __tsan_release(sender);
    realActivate(sender, m, localSignalIndex, argv);
}

void wrapPoolStart(QThreadPool *pool, std::function<void()> job, int priority)
{
    std::function<void()> handed = [job = std::move(job)] {
        __tsan_acquire(&poolStarted);
        job();
        __tsan_release(&poolDone);
    };
    __tsan_release(&poolStarted);
    realPoolStart(pool, std::move(handed), priority);
}

bool wrapWaitForDone(QThreadPool *pool, int msecs)
{
    const bool done = realWaitForDone(pool, msecs);
    if (done)
        __tsan_acquire(&poolDone);
    return done;
}

void wrapThreadStart(QThread *thread, QThread::Priority priority)
{
    // Runs on the thread as it finishes; its stand-in acquires on the sender (the thread) first.
    QObject::connect(
        thread, &QThread::finished, thread, [thread] { __tsan_release(thread); }, Qt::DirectConnection);
    realThreadStart(thread, priority);
}

void wrapThreadQuit(QThread *thread)
{
    // The thread's finished() handler, below, acquires on the thread: what was done before
    // asking it to stop is seen by its last events (it deletes what it owns then).
    __tsan_release(thread);
    realThreadQuit(thread);
}

bool wrapThreadWait(QThread *thread, QDeadlineTimer deadline)
{
    const bool done = realThreadWait(thread, deadline);
    if (done)
        __tsan_acquire(thread);
    return done;
}

// The worker pool every blocking connector runs on (connectors/work): jobs run on its
// named threads, results land on the context's thread, cancellation ends waits early,
// and a pool destroyed with jobs in flight waits for them and delivers nothing after.
// With real threads, so that the tsan preset (label `threads`) checks the hand-overs.
#include "connectors/work/workerpool.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace std::chrono_literals;

namespace {

// A connector in miniature: the context object owns its pool, as HttpClient's owners do.
struct Connector : QObject
{
    explicit Connector(int maxThreads)
        : pool(this, u"test-pool"_s, maxThreads)
    {
    }
    WorkerPool pool;
};

// What the jobs of one test saw; written by the context's thread only.
struct Landed
{
    QList<int> results;
    QList<QThread *> threads;
};

// Jobs that wait on a slow server (30 s) unless cancelled, and what became of them.
struct SlowJobs
{
    std::atomic<int> started = 0;
    std::atomic<int> sleptFully = 0;
    std::atomic<int> finished = 0;
    int delivered = 0; // answers that reached the context; its thread only

    void start(WorkerPool &pool, int count)
    {
        for (int i = 0; i < count; ++i) {
            pool.run<int>(
                [this](const Cancellation &cancel) {
                    ++started;
                    if (cancel.sleepFor(Duration { 30'000 }))
                        ++sleptFully;
                    ++finished;
                    return 1;
                },
                [this](int) { ++delivered; });
        }
    }
};

} // namespace

class TestWorkerPool : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void resultsArriveOnTheContextsThread()
    {
        Connector c(2);
        Landed landed;
        std::atomic<int> offContext = 0;
        QThread *here = QThread::currentThread();
        for (int i = 0; i < 20; ++i) {
            c.pool.run<int>(
                [i, here, &offContext](const Cancellation &) {
                    if (QThread::currentThread() != here && QThread::currentThread()->objectName() == u"test-pool"_s)
                        ++offContext;
                    return i * i;
                },
                [&landed](int square) {
                    landed.results << square;
                    landed.threads << QThread::currentThread();
                });
        }
        QTRY_COMPARE(landed.results.size(), 20);
        QCOMPARE(offContext.load(), 20);
        std::sort(landed.results.begin(), landed.results.end());
        for (int i = 0; i < 20; ++i)
            QCOMPARE(landed.results.at(i), i * i);
        for (QThread *t : std::as_const(landed.threads))
            QCOMPARE(t, here);
    }

    void aContextOnAnotherThreadGetsItsResultsThere()
    {
        // The engine thread's case: the connector lives there, and so do its answers.
        QThread engine;
        engine.setObjectName(u"test-engine"_s);
        engine.start();
        Connector *c = nullptr;
        std::atomic<int> landed = 0;
        std::atomic<int> onEngine = 0;
        QObject anchor;
        anchor.moveToThread(&engine);
        QMetaObject::invokeMethod(
            &anchor,
            [&] {
                c = new Connector(2);
                for (int i = 0; i < 10; ++i) {
                    c->pool.run<QString>([](const Cancellation &) { return QThread::currentThread()->objectName(); },
                        [&](const QString &worker) {
                            if (QThread::currentThread()->objectName() == u"test-engine"_s && worker == u"test-pool"_s)
                                ++onEngine;
                            ++landed;
                        });
                }
            },
            Qt::BlockingQueuedConnection);
        QTRY_COMPARE(landed.load(), 10);
        QCOMPARE(onEngine.load(), 10);
        QMetaObject::invokeMethod(
            &anchor, [&] { delete c; }, Qt::BlockingQueuedConnection);
        engine.quit();
        engine.wait();
    }

    void oneThreadRunsOneJobAtATimeInOrder()
    {
        Connector c(1); // a database connection: one operation at a time
        std::atomic<int> running = 0;
        std::atomic<int> overlapped = 0;
        QList<int> order;
        for (int i = 0; i < 8; ++i) {
            c.pool.run<int>(
                [i, &running, &overlapped](const Cancellation &cancel) {
                    if (++running > 1)
                        ++overlapped;
                    cancel.sleepFor(Duration { 2 });
                    --running;
                    return i;
                },
                [&order](int i) { order << i; });
        }
        QTRY_COMPARE(order.size(), 8);
        QCOMPARE(overlapped.load(), 0);
        QCOMPARE(order, QList<int>({ 0, 1, 2, 3, 4, 5, 6, 7 }));
    }

    void cancelEndsWaitsAndDropsTheirResults()
    {
        Connector c(2);
        SlowJobs jobs;
        jobs.start(c.pool, 2);
        QTRY_COMPARE(jobs.started.load(), 2);
        QElapsedTimer timer;
        timer.start();
        c.pool.cancel();
        QTRY_COMPARE(c.pool.busy(), 0);
        QVERIFY2(timer.elapsed() < 5'000, "a cancelled wait must end at once, not at its deadline");
        QTest::qWait(50); // anything queued would land now
        QCOMPARE(jobs.delivered, 0);
        QCOMPARE(jobs.sleptFully.load(), 0);
    }

    void destroyedWithJobsInFlightWaitsAndDeliversNothing()
    {
        // The console closing while a slow server is being asked: the owner's destructor
        // drops the queued jobs, cancels the running ones and waits for them, and no answer
        // reaches the dead object.
        auto c = std::make_unique<Connector>(2);
        SlowJobs jobs;
        jobs.start(c->pool, 6); // two run, four wait and are never started
        QTRY_COMPARE(jobs.started.load(), 2);
        QElapsedTimer timer;
        timer.start();
        c.reset();
        QVERIFY2(timer.elapsed() < 5'000, "destroying the pool must cancel its waits, not sit them out");
        QCOMPARE(jobs.started.load(), 2);
        QCOMPARE(jobs.finished.load(), 2); // the destructor waited for them
        QTest::qWait(50); // anything queued would land now
        QCOMPARE(jobs.delivered, 0);
    }

    void answersQueuedForADestroyedContextAreDropped()
    {
        auto c = std::make_unique<Connector>(2);
        int delivered = 0;
        for (int i = 0; i < 20; ++i)
            c->pool.run<int>([](const Cancellation &) { return 1; }, [&delivered](int) { ++delivered; });
        // No event loop until the owner is gone: every answer is queued, none delivered.
        QElapsedTimer timer;
        timer.start();
        while (c->pool.busy() > 0 && timer.elapsed() < 10'000)
            QThread::msleep(1);
        QCOMPARE(c->pool.busy(), 0);
        c.reset();
        QTest::qWait(50);
        QCOMPARE(delivered, 0);
    }
};

QTEST_GUILESS_MAIN(TestWorkerPool)
#include "tst_workerpool.moc"

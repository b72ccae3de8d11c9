// The editor's link to an engine on its own thread (models/editor/runbooklink): dry runs
// and installs run there and answer on the GUI thread, drills run on a worker thread and
// are stored through the engine thread, and a drill still running when the console closes
// is dropped on the GUI thread. Real threads: the tsan preset (label `threads`) runs it.
#include "models/editor/runbooklink.h"
#include "models/link/enginethread.h"
#include "tests/engine/doubles/enginerig.h"
#include "tests/engine/doubles/poolworld.h"

#include <QSignalSpy>
#include <QTest>
#include <QThreadPool>
#include <atomic>
#include <semaphore>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace std::chrono_literals;
using test::EngineRig;
using test::PoolWorld;

namespace {

// An engine on the port doubles, owned by the engine thread's anchor.
struct EngineOnThread : QObject
{
    EngineRig rig;
    PoolWorld pool { rig.metrics, rig.database };
};

DrillReport passed(const Runbook &r, TimePoint at)
{
    DrillReport report;
    report.result = DrillResult { r.name, u"connection-pool-exhaustion"_s, true, u"resolved"_s, 38s, at,
        u"resolved in 38s (max 45s)"_s };
    return report;
}

} // namespace

class TestRunbookLink : public QObject
{
    Q_OBJECT
private:
    EngineThread *thread = nullptr;
    EngineOnThread *world = nullptr; // lives on the engine thread: touched there only
    std::atomic<int> drills = 0;
    std::atomic<bool> drilledOffTheGuiThread = false;

    void onEngine(std::function<void(EngineOnThread &)> work)
    {
        EngineOnThread *w = world;
        thread->post([w, work] { work(*w); });
    }

    // A link attached to the engine on its thread, as the console attaches it.
    std::unique_ptr<RunbookLink> attached(RunbookLink::DrillRunner drill)
    {
        auto link = std::make_unique<RunbookLink>(std::move(drill));
        struct Ports
        {
            Engine *engine;
            Clock *clock;
            MetricSource *metrics;
            Store *store;
        };
        std::optional<Ports> ports;
        QObject here;
        onEngine([&here, &ports](EngineOnThread &w) {
            const Ports p { w.rig.engine.get(), &w.rig.clock, &w.rig.metrics, &w.rig.store };
            QMetaObject::invokeMethod(&here, [&ports, p] { ports = p; });
        });
        if (!QTest::qWaitFor([&] { return ports.has_value(); }, 5000))
            return {};
        link->attach(ports->engine, ports->clock, ports->metrics, ports->store, u"the test fleet"_s);
        return link;
    }

    // Lets the engine's virtual time move on until `done` holds (the doubles answer on it).
    bool pump(const std::function<bool()> &done)
    {
        for (int i = 0; i < 300; ++i) {
            if (done())
                return true;
            onEngine([](EngineOnThread &w) { w.rig.run(100ms); });
            QTest::qWait(5);
        }
        return done();
    }

    RunbookLink::DrillRunner counted()
    {
        QThread *gui = QThread::currentThread();
        return [this, gui](const Runbook &r, TimePoint at) {
            drilledOffTheGuiThread = QThread::currentThread() != gui;
            ++drills;
            return passed(r, at);
        };
    }

private Q_SLOTS:
    void init()
    {
        drills = 0;
        drilledOffTheGuiThread = false;
        thread = new EngineThread(u"test-engine"_s);
        EngineThread *t = thread;
        EngineOnThread **out = &world;
        QObject here;
        bool started = false;
        thread->post([t, out, &here, &started] {
            auto *w = new EngineOnThread;
            w->setParent(t->anchor());
            w->rig.start({ PoolWorld::runbook(2) });
            QMetaObject::invokeMethod(&here, [out, w, &started] {
                *out = w;
                started = true;
            });
        });
        QVERIFY(QTest::qWaitFor([&] { return started; }, 5000));
    }

    void cleanup()
    {
        QThreadPool::globalInstance()->waitForDone(); // drills still running
        delete thread; // the engine and its doubles go first, on their own thread
        world = nullptr;
    }

    void aDryRunPlansOnTheEngineThreadAndExecutesNothing()
    {
        auto link = attached(counted());
        QVERIFY(link);
        QSignalSpy ready(link.get(), &RunbookCommands::dryRunReady);
        link->dryRun(PoolWorld::runbook(3));
        QVERIFY(pump([&] { return ready.size() == 1; }));
        const auto report = ready.at(0).at(0).value<DryRunReport>();
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.environment, u"the test fleet"_s);
        QVERIFY(!report.proposal.plan.steps.isEmpty());
        std::atomic<int> executed = -1;
        onEngine([&executed](EngineOnThread &w) { executed = static_cast<int>(w.rig.database.executed.size()); });
        QTRY_COMPARE(executed.load(), 0);
    }

    void installReplacesTheLiveVersion()
    {
        auto link = attached(counted());
        QVERIFY(link);
        QSignalSpy installed(link.get(), &RunbookCommands::installed);
        Runbook changed = PoolWorld::runbook(2);
        changed.sourceHash = "changed";
        link->install(changed);
        QTRY_COMPARE(installed.size(), 1);
        QVERIFY2(installed.at(0).at(2).toBool(), qPrintable(installed.at(0).at(3).toString()));
        std::atomic<bool> live = false;
        onEngine([&live](EngineOnThread &w) {
            const QList<Runbook> runbooks = w.rig.engine->runbooks();
            live = runbooks.size() == 1 && runbooks.front().sourceHash == "changed";
        });
        QTRY_VERIFY(live.load());
    }

    void aDrillRunsOnAWorkerAndIsStoredOnTheEngineThread()
    {
        auto link = attached(counted());
        QVERIFY(link);
        QSignalSpy finished(link.get(), &RunbookCommands::drillFinished);
        link->drill(PoolWorld::runbook(2));
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(drills.load(), 1);
        QVERIFY(drilledOffTheGuiThread.load());
        QVERIFY(finished.at(0).at(0).value<DrillReport>().ran());
        QSignalSpy history(link.get(), &RunbookCommands::drillHistoryLoaded);
        link->loadDrillHistory({ PoolWorld::runbook(2).name });
        QTRY_COMPARE(history.size(), 1);
        const auto stored = history.at(0).at(0).value<QList<DrillResult>>();
        QCOMPARE(stored.size(), 1);
        QVERIFY(stored.front().passed);
    }

    void aDrillOutlivingTheConsoleIsDropped()
    {
        // The console closes while a drill runs: its report is dropped on the GUI thread,
        // never handed to the destroyed link (review problem 6).
        // std semaphores, not QSemaphore: TSan sees what they order (Qt's futexes it cannot).
        std::binary_semaphore entered { 0 };
        std::binary_semaphore release { 0 };
        auto link = attached([&entered, &release](const Runbook &r, TimePoint at) {
            entered.release();
            release.acquire();
            return passed(r, at);
        });
        QVERIFY(link);
        int finished = 0;
        connect(link.get(), &RunbookCommands::drillFinished, this, [&finished] { ++finished; });
        link->drill(PoolWorld::runbook(2));
        QVERIFY(QTest::qWaitFor([&] { return entered.try_acquire(); }, 5000));
        link.reset();
        release.release();
        QVERIFY(QThreadPool::globalInstance()->waitForDone(5000));
        QTest::qWait(50); // the queued report is checked, and dropped, here
        QCOMPARE(finished, 0);
    }
};

QTEST_GUILESS_MAIN(TestRunbookLink)
#include "tst_runbooklink.moc"

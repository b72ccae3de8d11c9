#include "models/link/consolemodels.h"
#include "models/link/enginelink.h"
#include "models/link/enginethread.h"
#include "tests/engine/doubles/enginerig.h"
#include "tests/engine/doubles/poolworld.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace std::chrono_literals;
using test::EngineRig;
using test::PoolWorld;
using test::RunbookBuilder;

namespace {

// An engine on the port doubles, owned by the engine thread's anchor.
struct EngineOnThread : QObject
{
    EngineRig rig;
    PoolWorld pool { rig.metrics, rig.database };
};

} // namespace

// The console's link to an engine on its own thread: state arrives, commands go
// out with the fingerprint shown, nothing runs on the wrong thread.
class TestEngineLink : public QObject
{
    Q_OBJECT
private:
    ConsoleModels *models = nullptr;
    EngineLink *link = nullptr;
    EngineThread *thread = nullptr;
    EngineOnThread *world = nullptr; // lives on the engine thread: touched there only

    // Runs on the engine thread, in order with the link's own calls.
    void onEngine(std::function<void(EngineOnThread &)> work)
    {
        EngineOnThread *w = world;
        thread->post([w, work] { work(*w); });
    }

    // Fires the pool alert on the engine and waits for its Level 2 proposal to reach the console.
    Proposal raisePoolAlert()
    {
        onEngine([](EngineOnThread &w) {
            w.rig.alerts.fire(u"DbConnectionPoolExhausted"_s, { { u"service"_s, u"orders-db"_s } });
            w.rig.run(30s);
        });
        if (!QTest::qWaitFor([this] { return models->proposals()->waitingCount() == 1; }, 5000))
            return {};
        return models->proposals()->waiting().front();
    }

private Q_SLOTS:
    void init()
    {
        models = new ConsoleModels;
        link = new EngineLink(models, u"alice@console"_s);
        thread = new EngineThread(u"test-engine"_s);
        QSignalSpy attached(link, &EngineLink::attached);
        EngineLink *l = link;
        EngineThread *t = thread;
        EngineOnThread **out = &world;
        thread->post([l, t, out] {
            auto *w = new EngineOnThread;
            w->setParent(t->anchor());
            w->rig.start({ PoolWorld::runbook(2) });
            *out = w;
            Engine *engine = w->rig.engine.get();
            Clock *clock = &w->rig.clock;
            MetricSource *metrics = &w->rig.metrics;
            QMetaObject::invokeMethod(l, [l, engine, clock, metrics] { l->attach(engine, clock, metrics); });
        });
        QVERIFY(attached.wait(5000));
        QCOMPARE(models->runbooks().size(), 1);
    }

    void cleanup()
    {
        delete thread; // the engine and its doubles go first, on their own thread
        delete link;
        delete models;
    }

    void stateArrivesOnTheGuiThread()
    {
        QThread *gui = QThread::currentThread();
        QList<QThread *> seen;
        connect(
            models->incidents(), &IncidentModel::incidentsUpdated, this, [&seen] { seen << QThread::currentThread(); });
        onEngine([](EngineOnThread &w) {
            w.rig.alerts.fire(
                u"DbConnectionPoolExhausted"_s, { { u"service"_s, u"orders-db"_s }, { u"severity"_s, u"critical"_s } });
            w.rig.run(30s);
        });
        QTRY_COMPARE(models->proposals()->waitingCount(), 1);
        QTRY_COMPARE(models->incidents()->rowCount(), 1);
        QCOMPARE(models->incidents()->incidentAt(0).state, IncidentState::AwaitingApproval);
        QVERIFY(!seen.isEmpty());
        for (QThread *t : std::as_const(seen))
            QCOMPARE(t, gui);
        QVERIFY(world->rig.engine->thread() != gui);
        QTRY_VERIFY(models->events()->rowCount() > 0);
    }

    void approvalCarriesTheFingerprintAndRuns()
    {
        const Proposal p = raisePoolAlert();
        QVERIFY(!p.id.isEmpty());
        QSignalSpy answered(link, &EngineCommands::answered);

        // A fingerprint that is not the plan's is refused and says so.
        link->approve(p.id, u"0000"_s);
        QTRY_COMPARE(answered.size(), 1);
        QCOMPARE(answered.at(0).at(1).toBool(), false);
        QVERIFY2(!answered.at(0).at(2).toString().isEmpty(), "a refusal must say why");

        link->approve(p.id, p.plan.fingerprint);
        QTRY_COMPARE(answered.size(), 2);
        QCOMPARE(answered.at(1).at(0).toString(), p.id);
        QVERIFY2(answered.at(1).at(1).toBool(), qPrintable(answered.at(1).at(2).toString()));
        onEngine([](EngineOnThread &w) { w.rig.run(5min); });
        QTRY_COMPARE(models->incidents()->rowCount(), 1);
        QTRY_COMPARE(models->incidents()->incidentAt(0).state, IncidentState::Resolved);
        QCOMPARE(models->proposals()->waitingCount(), 0);
        bool approvedByAlice = false;
        for (const EngineEvent &e : models->eventsOf(p.incidentId))
            approvedByAlice |= e.kind == EngineEvent::Kind::Approved
                && e.data.value(u"approver"_s).toString() == u"alice@console"_s;
        QVERIFY(approvedByAlice);
        QTRY_VERIFY(models->activity()->rowCount() >= 2); // approved, resolved
    }

    void denialNeedsNoExecution()
    {
        const Proposal p = raisePoolAlert();
        QVERIFY(!p.id.isEmpty());
        QSignalSpy answered(link, &EngineCommands::answered);
        link->deny(p.id, p.plan.fingerprint, u"schema migration running"_s);
        QTRY_COMPARE(answered.size(), 1);
        QVERIFY(answered.at(0).at(1).toBool());
        QTRY_COMPARE(models->proposals()->waitingCount(), 0);
    }

    void chartsReadTheEnginesClock()
    {
        onEngine([](EngineOnThread &w) { w.rig.run(2min); });
        QObject context;
        std::optional<MetricReader::Window> window;
        link->readWindow({ { u"db_pool_utilization"_s, { { u"service"_s, u"orders-db"_s } } } }, 1min, 5s, &context,
            [&window](const MetricReader::Window &w) { window = w; });
        onEngine([](EngineOnThread &w) { w.rig.run(1s); }); // the doubles answer on the virtual clock
        QTRY_VERIFY(window.has_value());
        QCOMPARE(window->results.size(), 1);
        QVERIFY2(window->results.at(0).ok, qPrintable(window->results.at(0).error));
        QVERIFY(!window->results.at(0).series.isEmpty());
        QCOMPARE(window->now, fromMillis(1'780'000'000'000) + 2min); // read before the second moved on
        QCOMPARE(window->results.at(0).series.at(0).points.size(), 13); // 1 min at 5 s, both ends
    }

    void answersForAGoneContextAreDropped()
    {
        int called = 0;
        auto count = [&called](const MetricReader::Window &) { ++called; };
        QObject kept;
        {
            QObject gone;
            link->readWindow({ { u"db_pool_utilization"_s, {} } }, 1min, 5s, &gone, count);
        }
        link->readWindow({ { u"db_pool_utilization"_s, {} } }, 1min, 5s, &kept, count);
        onEngine([](EngineOnThread &w) { w.rig.run(1s); });
        // Both answers are queued in order: once the kept one has landed, the gone one has been dropped.
        QTRY_COMPARE(called, 1);
    }
};

QTEST_MAIN(TestEngineLink)
#include "tst_enginelink.moc"

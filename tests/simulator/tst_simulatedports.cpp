#include "engine/core/pacedclock.h"
#include "engine/runbook/actioncatalog.h"
#include "simrig.h"

#include <QSignalSpy>
#include <QThread>
#include <atomic>

using namespace antibody;
using namespace antibody::sim;
using namespace antibody::sim::test;

class TestSimulatedPorts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noAnswerArrivesInsideTheCall()
    {
        Rig rig;
        rig.advance(10s);
        for (ActionExecutor *e : rig.env.executors()) {
            bool answered = false;
            e->fleet(TargetQuery { {}, u"pods"_s, u"checkout-svc"_s, {} }, [&](const Fleet &) { answered = true; });
            QVERIFY2(!answered, qPrintable(e->family()));
            for (const QString &action : e->actions()) {
                e->execute(request(action, u"checkout-svc"_s), [&](const ActionResult &) { answered = true; });
                QVERIFY2(!answered, qPrintable(action));
            }
            e->execute(request(u"no_such_action"_s, u"checkout-svc"_s), [&](const ActionResult &) { answered = true; });
            QVERIFY(!answered);
        }
        bool answered = false;
        rig.env.metricSource()->query(
            MetricQuery { u"kube_deployment_spec_replicas"_s, {} }, [&](const MetricResult &) { answered = true; });
        rig.env.metricSource()->query(
            MetricQuery { u"not a metric{"_s, {} }, [&](const MetricResult &) { answered = true; });
        rig.env.metricSource()->queryRange(MetricQuery { u"kube_deployment_spec_replicas"_s, {} },
            rig.clock.now() - 1min, rig.clock.now(), 5s, [&](const RangeResult &) { answered = true; });
        rig.env.pager()->send(Notification {}, [&](const NotifyResult &) { answered = true; });
        QVERIFY(!answered);
        QSignalSpy health(rig.env.alertSource(), &AlertSource::healthChanged);
        rig.env.alertSource()->start();
        QCOMPARE(health.count(), 0);
        rig.advance(1s);
        QCOMPARE(health.count(), 1);
        QCOMPARE(health.front().at(0).value<FeedHealth>().state, FeedHealth::State::Healthy);
    }

    void executorsCoverTheCatalogsFamilies()
    {
        Rig rig;
        QStringList families;
        QStringList covered;
        for (ActionExecutor *e : rig.env.executors()) {
            families << e->family();
            covered << e->actions();
        }
        QCOMPARE(families,
            (QStringList { u"workload"_s, u"database"_s, u"certificates"_s, u"traffic"_s, u"hosts"_s, u"command"_s,
                u"diagnostics"_s }));
        for (const ActionSpec &a : ActionCatalog::instance().actions()) {
            // metrics and paging are the engine's own (MetricSource, Notifier); payments never runs.
            const bool elsewhere = a.family == u"metrics" || a.family == u"paging" || a.tier == Tier::Never;
            if (!elsewhere)
                QVERIFY2(covered.contains(a.name), qPrintable(a.name));
        }
    }

    void fleetsAnswerWithTheVocabulary_data()
    {
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("dimension");
        QTest::addColumn<QString>("service");
        QTest::addColumn<int>("members");
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("metric");
        QTest::addRow("pods") << u"workload"_s << u"pods"_s << u"checkout-svc"_s << 5 << u"checkout-svc-1"_s
                              << u"running"_s << u"zone=eu-west-1a"_s << u"cpu"_s;
        QTest::addRow("replicas") << u"workload"_s << u"replicas"_s << u"search-svc"_s << 4 << u"search-svc-1"_s
                                  << u"running"_s << u"version=v1.22.4"_s << u"restarts_recent"_s;
        QTest::addRow("connections") << u"database"_s << u"connections"_s << u"orders-db"_s << 10 << u"pid 4711"_s
                                     << QString() << u"application=checkout-svc"_s << u"state_seconds"_s;
        QTest::addRow("databases") << u"database"_s << u"databases"_s << u"orders-db"_s << 3 << u"orders-db-primary"_s
                                   << u"primary"_s << u"role=primary"_s << u"lag_seconds"_s;
        QTest::addRow("certificates") << u"certificates"_s << u"certificates"_s << u"api-gateway"_s << 1
                                      << u"api.example.com"_s << u"valid"_s << u"service=api-gateway"_s
                                      << u"expires_in_seconds"_s;
        QTest::addRow("every certificate")
            << u"certificates"_s << u"certificates"_s << QString() << 4 << u"api.example.com"_s << u"valid"_s
            << u"issuer=letsencrypt"_s << u"expires_in_seconds"_s;
        QTest::addRow("regions") << u"traffic"_s << u"regions"_s << u"api-gateway"_s << 2 << u"eu-west-1"_s
                                 << u"serving"_s << u"service=api-gateway"_s << u"traffic_share"_s;
        QTest::addRow("hosts") << u"hosts"_s << u"hosts"_s << u"checkout-svc"_s << 5 << u"worker-1"_s << u"running"_s
                               << u"region=eu-west-1"_s << QString();
    }
    void fleetsAnswerWithTheVocabulary()
    {
        QFETCH(QString, family);
        QFETCH(QString, dimension);
        QFETCH(QString, service);
        QFETCH(int, members);
        QFETCH(QString, first);
        QFETCH(QString, state);
        QFETCH(QString, label);
        QFETCH(QString, metric);
        Rig rig;
        rig.advance(10s);
        const Fleet f = rig.targets(family, dimension, service);
        QVERIFY2(f.ok, qPrintable(f.error));
        QCOMPARE(f.dimension, dimension);
        QCOMPARE(f.observedAt, rig.clock.now() - 50ms); // as seen when asked, answered after the API's round trip
        QCOMPARE(f.members.size(), members);
        const Target &t = f.members.front();
        QCOMPARE(t.name, first);
        if (!state.isEmpty())
            QCOMPARE(t.state, state);
        QCOMPARE(t.labels.value(label.section(u'=', 0, 0)), label.section(u'=', 1));
        if (!metric.isEmpty())
            QVERIFY(t.metrics.contains(metric));
        QVERIFY(t.healthy);
    }

    void unhealthyTargetsSaySo()
    {
        Rig rig;
        rig.world().inject(Fault::crashLoop(u"checkout-svc"_s, { u"checkout-svc-3"_s }, u"bad config"_s, 25s));
        rig.world().inject(Fault::regionDegraded(u"us-east-1"_s, 0.35, 0.4));
        rig.world().inject(Fault::primaryDown(u"gone"_s));
        rig.advance(2min);
        auto member = [](const Fleet &f, const QString &name) {
            for (const Target &t : f.members) {
                if (t.name == name)
                    return t;
            }
            return Target {};
        };
        const Target pod = member(rig.targets(u"workload"_s, u"pods"_s, u"checkout-svc"_s), u"checkout-svc-3"_s);
        QCOMPARE(pod.state, u"crashloop"_s);
        QVERIFY(!pod.healthy);
        QVERIFY(pod.metrics.value(u"restarts_recent"_s) >= 3);
        const Target region = member(rig.targets(u"traffic"_s, u"regions"_s, u"api-gateway"_s), u"us-east-1"_s);
        QCOMPARE(region.state, u"degraded"_s);
        QVERIFY(!region.healthy);
        QVERIFY(region.metrics.value(u"error_rate"_s) > 0.2);
        const Target primary
            = member(rig.targets(u"database"_s, u"databases"_s, u"orders-db"_s), u"orders-db-primary"_s);
        QCOMPARE(primary.state, u"down"_s);
        QVERIFY(!primary.healthy);
    }

    void fleetErrorsSayWhatExists_data()
    {
        QTest::addColumn<QString>("dimension");
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("error");
        QTest::addRow("unknown service") << u"pods"_s << u"checkout"_s
                                         << u"no service 'checkout' (it has api-gateway, catalog-svc,"_s;
        QTest::addRow("unknown dimension")
            << u"vms"_s << u"checkout-svc"_s << u"no target dimension 'vms' (it has pods, replicas,"_s;
        QTest::addRow("pods of a database")
            << u"pods"_s << u"orders-db"_s << u"orders-db is a database: it has no pods"_s;
        QTest::addRow("connections of an app")
            << u"connections"_s << u"checkout-svc"_s
            << u"the database is orders-db (name it with `targets: { service: orders-db }`)"_s;
        QTest::addRow("no service") << u"pods"_s << QString() << u"pods belong to a service"_s;
    }
    void fleetErrorsSayWhatExists()
    {
        QFETCH(QString, dimension);
        QFETCH(QString, service);
        QFETCH(QString, error);
        Rig rig;
        const Fleet f = rig.targets(u"workload"_s, dimension, service);
        QVERIFY(!f.ok);
        QVERIFY2(f.error.contains(error), qPrintable(f.error));
    }

    void badQueriesSayWhatIsWrong_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("error");
        QTest::addRow("typo") << u"pg_stat_activty_count"_s
                              << u"no metric 'pg_stat_activty_count' (did you mean 'pg_stat_activity_count'?"_s;
        QTest::addRow("unclosed matcher") << u"service:container_cpu_usage:ratio{service=\"checkout-svc\""_s
                                          << u"cannot read the metric expression"_s;
        QTest::addRow("empty") << QString() << u"cannot read the metric expression '' at column 1"_s;
        QTest::addRow("hostile regex") << u"kube_deployment_spec_replicas{service=~\"((((((\"}"_s
                                       << u"invalid regular expression for `service`"_s;
        QTest::addRow("huge") << QString(100'000, u'x')
                              << u"…' at column 1: expression is longer than 4096 characters"_s;
    }
    void badQueriesSayWhatIsWrong()
    {
        QFETCH(QString, expression);
        QFETCH(QString, error);
        Rig rig;
        rig.advance(10s);
        const MetricResult r = rig.query(expression);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(error), qPrintable(r.error));
    }

    void scopeNarrowsToTheIncidentsServiceWhereItCan()
    {
        Rig rig;
        rig.advance(10s);
        const Labels checkout { { u"service"_s, u"checkout-svc"_s } };
        const MetricResult cpu = rig.query(u"service_pod:container_cpu_usage:ratio"_s, checkout);
        QCOMPARE(cpu.samples.size(), 5); // its five pods
        for (const Sample &s : cpu.samples)
            QCOMPARE(s.labels.value(u"service"_s), u"checkout-svc"_s);
        QCOMPARE(rig.query(u"service:container_cpu_usage:ratio"_s, checkout).samples.size(), 1);
        const MetricResult pool = rig.query(
            u"service:pg_connection_utilization:ratio"_s, checkout); // checkout has no pool metric of its own
        QCOMPARE(pool.samples.size(), 1);
        QCOMPARE(pool.samples.front().labels.value(u"service"_s), u"orders-db"_s);
        QCOMPARE(rig.query(u"service_pod:container_cpu_usage:ratio{service=\"search-svc\"}"_s, checkout).samples.size(),
            4); // explicit wins
    }

    void comparisonsFilterSeriesAsPromQLDoes()
    {
        Rig rig;
        rig.advance(10s);
        QCOMPARE(rig.query(u"kube_deployment_spec_replicas > 4"_s).samples.size(), 1); // only checkout-svc has 5
        QCOMPARE(rig.query(u"service:pg_connection_utilization:ratio > 90%"_s).samples.size(), 0);
    }

    void rangeQueriesStepThroughHistory()
    {
        Rig rig;
        rig.advance(10min);
        std::optional<RangeResult> r;
        const TimePoint now = rig.clock.now();
        rig.env.metricSource()->queryRange(
            MetricQuery { u"kube_deployment_spec_replicas{service=\"checkout-svc\"}"_s, {} }, now - 5min, now, 15s,
            [&](const RangeResult &res) { r = res; });
        QVERIFY(rig.runUntil([&] { return r.has_value(); }));
        QVERIFY(r->ok);
        QCOMPARE(r->series.size(), 1);
        QCOMPARE(r->series.front().points.size(), 21);
        QCOMPARE(r->series.front().points.front().second, 5.0);
        for (const Duration step : { Duration { 0 }, Duration { 1 } }) {
            r.reset();
            rig.env.metricSource()->queryRange(MetricQuery { u"kube_deployment_spec_replicas"_s, {} }, now - 5min, now,
                step, [&](const RangeResult &res) { r = res; });
            QVERIFY(rig.runUntil([&] { return r.has_value(); }));
            QVERIFY(!r->ok);
            QVERIFY2(
                r->error.contains(step.count() == 0 ? u"positive step"_s : u"widen the step"_s), qPrintable(r->error));
        }
    }

    void alertSourceReportsWhatIsAlreadyFiringOnStart()
    {
        Rig rig;
        rig.world().inject(Fault::primaryDown(u"gone"_s));
        rig.advance(1min);
        QVERIFY(rig.firing(u"PostgreSQLDown"_s));
        QSignalSpy spy(rig.env.alertSource(), &AlertSource::alertsChanged);
        rig.env.alertSource()->start();
        QCOMPARE(spy.count(), 0);
        rig.advance(1ms);
        QCOMPARE(spy.count(), 1);
        QStringList names;
        for (const AlertChange &c : spy.front().at(0).value<QList<AlertChange>>()) {
            QCOMPARE(c.kind, AlertChange::Kind::Firing);
            names << c.alert.name;
        }
        QCOMPARE(names, rig.world().firingAlerts().size() == names.size() ? names : QStringList());
        QVERIFY(names.contains(u"PostgreSQLDown"_s));
        // Later changes arrive as the rules are evaluated; after stop() nothing does.
        rig.world().inject(Fault::certificateExpiry(u"api.example.com"_s, 24h));
        rig.advance(6s);
        QCOMPARE(spy.count(), 2);
        rig.env.alertSource()->stop();
        rig.world().inject(Fault::certificateExpiry(u"checkout.example.com"_s, 24h));
        rig.advance(10s);
        QCOMPARE(spy.count(), 2);
    }

    void thePagerKeepsWhatItWasSent()
    {
        Rig rig;
        Notification page;
        page.kind = Notification::Kind::Page;
        page.summary = u"checkout-svc is down"_s;
        std::optional<NotifyResult> result;
        rig.env.pager()->send(page, [&](const NotifyResult &r) { result = r; });
        rig.env.pager()->send(Notification {}, {});
        rig.advance(1s);
        QVERIFY(result && result->ok);
        QCOMPARE(rig.env.pager()->received().size(), 2);
        QCOMPARE(rig.env.pager()->pages().size(), 1);
        QCOMPARE(rig.env.pager()->pages().front().notification.summary, page.summary);
        QCOMPARE(rig.env.pager()->pages().front().at, peakHour());
    }

    void runsOnAnEngineThreadUnderAPacedClock()
    {
        // The console's demo: the fleet and its ports live on the engine's thread, paced.
        QThread engineThread;
        engineThread.start();
        QObject context;
        context.moveToThread(&engineThread);
        std::unique_ptr<PacedClock> clock;
        std::unique_ptr<SimulatedEnvironment> env;
        std::atomic<int> firing = 0;
        std::atomic<bool> onItsThread = false;
        QMetaObject::invokeMethod(
            &context,
            [&] {
                clock = std::make_unique<PacedClock>(peakHour(), 600.0); // 10 simulated minutes a second
                env = std::make_unique<SimulatedEnvironment>(*clock, 7);
                QObject::connect(
                    env->alertSource(), &AlertSource::alertsChanged, &context, [&](const QList<AlertChange> &changes) {
                        onItsThread = QThread::currentThread() == &engineThread;
                        firing += static_cast<int>(changes.size());
                    });
                env->alertSource()->start();
                env->world().inject(Fault::primaryDown(u"gone"_s));
            },
            Qt::BlockingQueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(firing > 0, 10'000); // PostgreSQLDown's 15 s: about 25 ms here
        QVERIFY(onItsThread);
        QMetaObject::invokeMethod(
            &context,
            [&] {
                env.reset();
                clock.reset();
            },
            Qt::BlockingQueuedConnection);
        engineThread.quit();
        engineThread.wait();
    }

    void portsHandOverEverything()
    {
        Rig rig;
        const Engine::Ports p = rig.env.ports(nullptr);
        QCOMPARE(p.clock, static_cast<Clock *>(&rig.clock));
        QCOMPARE(p.alertSources.size(), 1);
        QCOMPARE(p.executors.size(), 7);
        QCOMPARE(p.notifiers.size(), 1);
        QVERIFY(p.metrics);
    }
};

QTEST_GUILESS_MAIN(TestSimulatedPorts)
#include "tst_simulatedports.moc"

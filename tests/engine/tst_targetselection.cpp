#include "engine/pipeline/targetselection.h"
#include "tests/engine/doubles/runbookbuilder.h"
#include "tests/engine/doubles/testports.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace antibody::test;

namespace {

Fleet fleetOf(const QString &dimension, const QString &scope, QList<Target> members)
{
    Fleet f;
    f.ok = true;
    f.dimension = dimension;
    f.scope = scope;
    f.members = std::move(members);
    return f;
}

TargetSelection::Result selectFor(
    const Runbook &rb, const Fleet &fleet, std::optional<int> batch = std::nullopt, Labels labels = {})
{
    const Step &s = rb.steps.front();
    Incident inc;
    inc.service = fleet.scope;
    inc.labels = labels;
    return TargetSelection::select(s, *ActionCatalog::instance().find(s.action), fleet, inc, batch);
}

} // namespace

class TestTargetSelection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oldestIdleConnectionsWithinTheCap()
    {
        QList<Target> conns { connection(1, u"active"_s, 900), connection(2, u"idle"_s, 100),
            connection(3, u"idle"_s, 700), connection(4, u"idle"_s, 400),
            connection(5, u"idle"_s, 350, u"postgres_exporter"_s), connection(6, u"idle_in_transaction"_s, 900) };
        for (int i = 7; i < 20; ++i)
            conns << connection(i, u"active"_s, 10);
        const Runbook rb
            = RunbookBuilder(u"r"_s)
                  .step(u"kill"_s, u"terminate_connections"_s,
                      { { u"older_than"_s, u"300s"_s }, { u"exclude_applications"_s, u"postgres_exporter"_s } },
                      u"15%"_s)
                  .build();
        const auto r = selectFor(rb, fleetOf(u"connections"_s, u"orders-db"_s, conns));
        QCOMPARE(r.radius.fleetSize(), 19);
        QCOMPARE(r.radius.candidates,
            (QStringList { u"pid 3"_s, u"pid 4"_s })); // oldest first; young, active, excluded and other states never
        QCOMPARE(r.radius.capCount, 2);
        QCOMPARE(r.radius.chosen, r.radius.candidates);
        QCOMPARE(r.radius.cycles, 1);
    }

    void seedCheckoutPreview()
    {
        // "Scope: 2 of 5 pods (40%), Cap: max 2 pods per cycle"
        const QList<Target> pods { pod(u"checkout-svc-1"_s, 0.97), pod(u"checkout-svc-2"_s, 0.98),
            pod(u"checkout-svc-3"_s, 0.96), pod(u"checkout-svc-4"_s, 0.60), pod(u"checkout-svc-5"_s, 0.55) };
        const Runbook rb = RunbookBuilder(u"r"_s)
                               .step(u"reset"_s, u"reset_connection_pool"_s, {}, u"2"_s)
                               .where(u"cpu > 95%"_s)
                               .build();
        const auto r = selectFor(rb, fleetOf(u"pods"_s, u"checkout-svc"_s, pods));
        QCOMPARE(r.radius.candidates.size(), 3);
        QCOMPARE(r.radius.chosen, (QStringList { u"checkout-svc-2"_s, u"checkout-svc-1"_s })); // busiest first
        QCOMPARE(r.radius.summary(), u"2 of 5 pods · 40% · cap 2 per cycle · 2 cycles · 3 left serving"_s);
    }

    void restartOnlyUnhealthyAndTenPercentIsAtLeastOne()
    {
        const QList<Target> pods { pod(u"a"_s, 0.1, false, u"crashloop"_s), pod(u"b"_s, 0.1, false, u"crashloop"_s),
            pod(u"c"_s), pod(u"d"_s), pod(u"e"_s) };
        const Runbook rb = RunbookBuilder(u"r"_s).step(u"restart"_s, u"restart_pods"_s, {}, u"10%"_s).build();
        const auto r = selectFor(rb, fleetOf(u"pods"_s, u"catalog-svc"_s, pods));
        QCOMPARE(r.radius.candidates, (QStringList { u"a"_s, u"b"_s }));
        QCOMPARE(r.radius.chosen, QStringList { u"a"_s });
        QCOMPARE(r.radius.cycles, 2);
        QCOMPARE(r.radius.leftServing, 3);
    }

    void levelFourBatchNeverExceedsTheCap()
    {
        QList<Target> pods;
        for (int i = 0; i < 20; ++i)
            pods << pod(u"p%1"_s.arg(i, 2, 10, QChar(u'0')), 0.1, false);
        const Runbook rb = RunbookBuilder(u"r"_s).step(u"restart"_s, u"restart_pods"_s, {}, u"15%"_s).build();
        QCOMPARE(selectFor(rb, fleetOf(u"pods"_s, u"s"_s, pods)).radius.chosen.size(), 3);
        QCOMPARE(selectFor(rb, fleetOf(u"pods"_s, u"s"_s, pods), 1).radius.chosen.size(), 1);
        QCOMPARE(selectFor(rb, fleetOf(u"pods"_s, u"s"_s, pods), 10).radius.chosen.size(), 3);
    }

    void scaleHoldsMinMaxAndCap()
    {
        QList<Target> pods;
        for (int i = 1; i <= 5; ++i)
            pods << pod(u"checkout-svc-%1"_s.arg(i));
        const Runbook to7
            = RunbookBuilder(u"r"_s).step(u"scale"_s, u"scale"_s, { { u"replicas"_s, u"7"_s } }, u"50%"_s).build();
        const auto r = selectFor(to7, fleetOf(u"pods"_s, u"checkout-svc"_s, pods));
        QCOMPARE(r.pins.value(pinned::scaleTo).toInt(), 7);
        QCOMPARE(r.radius.affected(), 2);
        QCOMPARE(r.radius.leftServing, 5);
        const Runbook capped
            = RunbookBuilder(u"r"_s)
                  .step(u"scale"_s, u"scale"_s, { { u"replicas"_s, u"12"_s }, { u"max"_s, u"10"_s } }, u"2"_s)
                  .build();
        const auto c = selectFor(capped, fleetOf(u"pods"_s, u"checkout-svc"_s, pods));
        QCOMPARE(c.pins.value(pinned::scaleTo).toInt(), 7); // at most the cap per cycle
        QCOMPARE(c.radius.candidates.size(), 5); // 5 -> 10: max holds
        QCOMPARE(c.radius.cycles, 3);
        const Runbook in = RunbookBuilder(u"r"_s)
                               .step(u"scale"_s, u"scale"_s, { { u"by"_s, u"-1"_s }, { u"min"_s, u"5"_s } }, u"1"_s)
                               .build();
        QCOMPARE(selectFor(in, fleetOf(u"pods"_s, u"checkout-svc"_s, pods)).radius.affected(), 0); // min holds
    }

    // Review finding 24: restart_pods takes a pod on its way out, or a new one still
    // starting, for a failing pod, and a later pass must not pick what an earlier one restarted.
    void restartLeavesLeavingStartingAndRestartedPodsAlone_data()
    {
        QTest::addColumn<QString>("state");
        QTest::addColumn<double>("age"); // seconds
        QTest::addColumn<QString>("settle"); // the step's `settle`; empty: the default (2m)
        QTest::addColumn<bool>("restartedBefore");
        QTest::addColumn<bool>("picked");
        QTest::addRow("crash-looping") << u"crashloop"_s << 3600.0 << QString() << false << true;
        QTest::addRow("crash-looping, new") << u"crashloop"_s << 5.0 << QString() << false << true;
        QTest::addRow("terminating") << u"terminating"_s << 3600.0 << QString() << false << false;
        QTest::addRow("starting, inside settle") << u"starting"_s << 30.0 << QString() << false << false;
        QTest::addRow("starting, past settle") << u"starting"_s << 300.0 << QString() << false << true;
        QTest::addRow("starting, past a short settle") << u"starting"_s << 30.0 << u"20s"_s << false << true;
        QTest::addRow("restarted by an earlier pass") << u"crashloop"_s << 3600.0 << QString() << true << false;
    }
    void restartLeavesLeavingStartingAndRestartedPodsAlone()
    {
        QFETCH(QString, state);
        QFETCH(double, age);
        QFETCH(QString, settle);
        QFETCH(bool, restartedBefore);
        QFETCH(bool, picked);
        Target t = pod(u"checkout-1"_s, 0.1, false, state);
        t.metrics.insert(u"age_seconds"_s, age);
        QMap<QString, QString> params;
        if (!settle.isEmpty())
            params.insert(u"settle"_s, settle);
        const Runbook rb = RunbookBuilder(u"r"_s).step(u"restart"_s, u"restart_pods"_s, params, u"1"_s).build();
        const Fleet f = fleetOf(u"pods"_s, u"checkout-svc"_s, { t, pod(u"checkout-2"_s), pod(u"checkout-3"_s) });
        const auto r = TargetSelection::select(rb.steps.front(), *ActionCatalog::instance().find(u"restart_pods"_s), f,
            Incident {}, std::nullopt, restartedBefore ? QStringList { u"checkout-1"_s } : QStringList {});
        QCOMPARE(r.radius.chosen, picked ? QStringList { u"checkout-1"_s } : QStringList {});
        if (!picked)
            QVERIFY2(r.why.contains(u"left alone: "_s), qPrintable(r.why));
    }

    // Review finding 2: scale plans from the workload's spec.replicas, not the pods a
    // rollout lists (surge and terminating ones), and pins where it starts.
    void scalePlansFromSpecReplicasNotThePods()
    {
        QList<Target> pods;
        for (int i = 1; i <= 5; ++i)
            pods << pod(u"checkout-%1"_s.arg(i));
        Fleet f = fleetOf(u"replicas"_s, u"checkout-svc"_s, pods);
        f.workload = WorkloadState { u"shop/checkout"_s, 3, {}, {}, {}, {} };
        const Runbook out
            = RunbookBuilder(u"r"_s).step(u"scale"_s, u"scale"_s, { { u"by"_s, u"1"_s } }, u"50%"_s).build();
        const auto r = selectFor(out, f);
        QCOMPARE(r.radius.fleetSize(), 3);
        QCOMPARE(r.radius.capCount, 1);
        QCOMPARE(r.radius.chosen, QStringList { u"checkout-svc (new replica 4)"_s });
        QCOMPARE(r.pins.value(pinned::scaleFrom).toInt(), 3);
        QCOMPARE(r.pins.value(pinned::scaleTo).toInt(), 4);
        QCOMPARE(r.pins.value(pinned::capPerCycle).toInt(), 1);
        const Runbook in
            = RunbookBuilder(u"r"_s).step(u"scale"_s, u"scale"_s, { { u"by"_s, u"-1"_s } }, u"1"_s).build();
        const auto i = selectFor(in, f);
        QCOMPARE(i.pins.value(pinned::scaleTo).toInt(), 2); // scale in stays scale in
        QCOMPARE(i.radius.chosen, QStringList { u"checkout-svc replica 3"_s });
        QCOMPARE(i.radius.leftServing, 2);
        // An autoscaler owns the count: nothing is planned, and the plan says why.
        f.workload->autoscaler = u"checkout-hpa"_s;
        const auto owned = selectFor(out, f);
        QVERIFY(owned.radius.chosen.isEmpty());
        QVERIFY(owned.pins.isEmpty());
        QVERIFY2(owned.refusal.contains(u"HorizontalPodAutoscaler checkout-hpa"_s), qPrintable(owned.refusal));
        QCOMPARE(owned.why, u"refused: "_s + owned.refusal);
        const Runbook allowed
            = RunbookBuilder(u"r"_s)
                  .step(u"scale"_s, u"scale"_s, { { u"by"_s, u"1"_s }, { u"allow_hpa"_s, u"true"_s } }, u"50%"_s)
                  .build();
        QCOMPARE(selectFor(allowed, f).pins.value(pinned::scaleTo).toInt(), 4);
    }

    // Review finding 1: the revisions a rollback goes from and to are fixed by the plan,
    // and the fingerprint an approval binds to changes with them.
    void rollbackPinsBothRevisionsIntoThePlan()
    {
        QList<Target> pods;
        for (int i = 1; i <= 4; ++i)
            pods << pod(u"checkout-%1"_s.arg(i));
        const Runbook rb = RunbookBuilder(u"r"_s).step(u"rollback"_s, u"rollback_deployment"_s, {}, u"15%"_s).build();
        auto planOn = [&](const QString &from, const QString &to) {
            Fleet f = fleetOf(u"pods"_s, u"checkout-svc"_s, pods);
            f.workload = WorkloadState { u"shop/checkout"_s, 4, {}, { from, u"hash-"_s + from, u"uid-"_s + from },
                { to, u"hash-"_s + to, u"uid-"_s + to }, {} };
            const auto r = selectFor(rb, f);
            Plan plan;
            PlannedStep step { u"rollback"_s, u"rollback_deployment"_s, Tier::Safe, Effect::Mutates, r.pins, {},
                r.radius, 1, r.why };
            plan.steps << step;
            plan.fingerprint = plan.computeFingerprint();
            return std::pair { r, plan };
        };
        const auto [r, plan] = planOn(u"2"_s, u"1"_s);
        QCOMPARE(r.pins.value(pinned::rollbackFrom).toString(), u"2"_s);
        QCOMPARE(r.pins.value(pinned::rollbackFromTemplate).toString(), u"hash-2"_s);
        QCOMPARE(r.pins.value(pinned::rollbackTo).toString(), u"1"_s);
        QCOMPARE(r.pins.value(pinned::rollbackToReplicaSet).toString(), u"uid-1"_s);
        QCOMPARE(r.pins.value(pinned::capPerCycle).toInt(), 1);
        QCOMPARE(r.radius.candidates.size(), 4); // the rollout replaces every pod, one at a time
        QVERIFY2(
            r.why.contains(u"from revision 2 (template hash-2) to revision 1 (template hash-1)"_s), qPrintable(r.why));
        const auto [later, moved] = planOn(u"3"_s, u"2"_s); // a deploy since: same pods, other revisions
        QCOMPARE(later.radius.chosen, r.radius.chosen);
        QVERIFY(moved.fingerprint != plan.fingerprint);
        QCOMPARE(moved.differencesFrom(plan), QStringList { u"rollback: parameters changed"_s });
        // No revision to return to: refused, and the plan says why.
        Fleet none = fleetOf(u"pods"_s, u"checkout-svc"_s, pods);
        none.workload = WorkloadState { u"shop/checkout"_s, 4, {}, { u"1"_s, {}, {} }, {},
            u"shop/checkout has no earlier revision than 1 to return to"_s };
        const auto n = selectFor(rb, none);
        QVERIFY(n.radius.candidates.isEmpty());
        QVERIFY(n.pins.isEmpty());
        QCOMPARE(n.refusal, u"shop/checkout has no earlier revision than 1 to return to"_s);
    }

    void failoverPromotesTheLeastLaggingHealthyReplica()
    {
        auto db = [](const QString &name, const QString &role, double lag, bool healthy = true) {
            Target t;
            t.name = name;
            t.labels.insert(u"role"_s, role);
            t.metrics.insert(u"lag_seconds"_s, lag);
            t.healthy = healthy;
            return t;
        };
        const QList<Target> members { db(u"primary"_s, u"primary"_s, 0, false), db(u"replica-1"_s, u"replica"_s, 12),
            db(u"replica-2"_s, u"replica"_s, 0.4), db(u"replica-3"_s, u"replica"_s, 0.1, false) };
        const Runbook rb = RunbookBuilder(u"r"_s).step(u"failover"_s, u"failover_database"_s, {}, u"1"_s).build();
        const auto r = selectFor(rb, fleetOf(u"databases"_s, u"orders-db"_s, members));
        QCOMPARE(r.radius.chosen, QStringList { u"replica-2"_s });
    }

    void regionComesFromTheAlert()
    {
        auto region = [](const QString &name) {
            Target t;
            t.name = name;
            return t;
        };
        const Runbook rb = RunbookBuilder(u"r"_s).step(u"shift"_s, u"failover_region"_s, {}, u"1"_s).build();
        const auto r
            = selectFor(rb, fleetOf(u"regions"_s, u"api-gateway"_s, { region(u"eu-west-1"_s), region(u"us-east-1"_s) }),
                std::nullopt, { { u"region"_s, u"us-east-1"_s } });
        QCOMPARE(r.radius.chosen, QStringList { u"us-east-1"_s });
        QCOMPARE(r.radius.leftServing, 1);
    }

    // Review finding 8: `host` and `region` labels come from whoever posted the alert. They
    // only narrow the fleet the executor observed; a name it did not list selects nothing,
    // and nothing in a label is ever taken as a target of its own.
    void hostileHostAndRegionLabelsSelectNothing_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("chosen");
        const QStringList hostActions { u"isolate_host"_s, u"run_command"_s };
        for (const QString &action : hostActions) {
            const QByteArray a = action.toLatin1();
            QTest::addRow("%s, a host it observed", a.constData())
                << action << u"host"_s << u"worker-3"_s << QStringList { u"worker-3"_s };
            QTest::addRow("%s, a host it did not", a.constData())
                << action << u"host"_s << u"db-primary"_s << QStringList {};
            QTest::addRow("%s, a pattern", a.constData()) << action << u"host"_s << u"worker-.*"_s << QStringList {};
            QTest::addRow("%s, a list", a.constData())
                << action << u"host"_s << u"worker-3,worker-4"_s << QStringList {};
            QTest::addRow("%s, a path", a.constData()) << action << u"host"_s << u"../worker-3"_s << QStringList {};
            QTest::addRow("%s, a newline", a.constData())
                << action << u"host"_s << u"worker-3\nworker-4"_s << QStringList {};
        }
        QTest::addRow("failover_region, a region it observed")
            << u"failover_region"_s << u"region"_s << u"us-east-1"_s << QStringList { u"us-east-1"_s };
        QTest::addRow("failover_region, one it did not")
            << u"failover_region"_s << u"region"_s << u"ap-south-9"_s << QStringList {};
        QTest::addRow("failover_region, a pattern") << u"failover_region"_s << u"region"_s << u".*"_s << QStringList {};
        QTest::addRow("failover_region, a matcher")
            << u"failover_region"_s << u"region"_s << u"us-east-1\"} or {region=~\".+"_s << QStringList {};
    }
    void hostileHostAndRegionLabelsSelectNothing()
    {
        QFETCH(QString, action);
        QFETCH(QString, label);
        QFETCH(QString, value);
        QFETCH(QStringList, chosen);
        auto member = [](const QString &name) {
            Target t;
            t.name = name;
            return t;
        };
        const bool regions = action == u"failover_region"_s;
        const QList<Target> members = regions ? QList<Target> { member(u"eu-west-1"_s), member(u"us-east-1"_s) }
                                              : QList<Target> { member(u"worker-3"_s), member(u"worker-4"_s) };
        const QMap<QString, QString> params = action == u"run_command"_s
            ? QMap<QString, QString> { { u"argv"_s, u"true"_s } }
            : QMap<QString, QString> {};
        const Runbook rb = RunbookBuilder(u"r"_s).step(u"s"_s, action, params, u"1"_s).build();
        const auto r = selectFor(rb, fleetOf(regions ? u"regions"_s : u"hosts"_s, u"payments-svc"_s, members),
            std::nullopt, { { u"service"_s, u"payments-svc"_s }, { label, value } });
        QCOMPARE(r.radius.candidates, chosen);
        QCOMPARE(r.radius.chosen, chosen);
    }

    void deterministic()
    {
        QList<Target> pods { pod(u"z"_s, 0.99), pod(u"a"_s, 0.99), pod(u"m"_s, 0.99) };
        const Runbook rb = RunbookBuilder(u"r"_s).step(u"reset"_s, u"reset_connection_pool"_s, {}, u"1"_s).build();
        const auto first = selectFor(rb, fleetOf(u"pods"_s, u"s"_s, pods));
        std::reverse(pods.begin(), pods.end());
        const auto second = selectFor(rb, fleetOf(u"pods"_s, u"s"_s, pods));
        QCOMPARE(first.radius.chosen, second.radius.chosen);
        QCOMPARE(first.radius.fleet, second.radius.fleet);
    }
};

QTEST_GUILESS_MAIN(TestTargetSelection)
#include "tst_targetselection.moc"

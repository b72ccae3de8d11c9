// The Kubernetes workload executor against a FAKE API server (no real one can run
// here): tests/connectors/support/fakekubernetes.h, built from the API's documented
// requests and answers. Plus kubeconfig and pod readers without a server.
#include "connectors/kubernetes/kubeaccess.h"
#include "connectors/kubernetes/kubernetesexecutor.h"
#include "connectors/kubernetes/kubernetesjson.h"
#include "engine/pipeline/targetselection.h"
#include "fakekubernetes.h"
#include "fakekubernetesexecutor.h"
#include "tests/engine/doubles/runbookbuilder.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <optional>

using namespace Qt::StringLiterals;
using namespace antibody;
using antibody::test::FakeKubernetes;

namespace {

using StringMap = QMap<QString, QString>; // a step's parameters as written

void write(const QString &path, const QByteArray &content)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(content);
}

} // namespace

class TestKubernetes : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<FakeKubernetes> m_fake;
    std::unique_ptr<KubernetesExecutor> m_executor;

    Fleet readFleet(const QString &service = u"checkout-svc"_s)
    {
        std::optional<Fleet> out;
        bool returned = false;
        m_executor->fleet(TargetQuery { u"restart_pods"_s, u"pods"_s, service, {} }, [&](const Fleet &f) {
            QVERIFY(returned);
            out = f;
        });
        returned = true;
        [&] { QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), 10'000); }();
        return out.value_or(Fleet {});
    }

    Fleet readFleet(const TargetQuery &query)
    {
        std::optional<Fleet> out;
        m_executor->fleet(query, [&](const Fleet &f) { out = f; });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), 10'000); }();
        return out.value_or(Fleet {});
    }

    // A step's parameters as the engine's plan gives them to the executor: the runbook's,
    // plus what the plan fixed from the fleet it read (the pins of a whole-object action).
    QVariantMap planned(const QString &action, const QMap<QString, QString> &params, const QString &cap)
    {
        const Runbook rb = antibody::test::RunbookBuilder(u"r"_s).step(u"s"_s, action, params, cap).build();
        const Step &step = rb.steps.front();
        const ActionSpec &spec = *ActionCatalog::instance().find(action);
        QVariantMap values;
        for (auto it = params.constBegin(); it != params.constEnd(); ++it)
            values.insert(it.key(), step.param(it.key())->value);
        const Fleet fleet = readFleet(TargetQuery { action, spec.dimension, u"checkout-svc"_s, values });
        [&] { QVERIFY2(fleet.ok, qPrintable(fleet.error)); }();
        Incident incident;
        incident.service = u"checkout-svc"_s;
        values.insert(TargetSelection::select(step, spec, fleet, incident).pins);
        return values;
    }

    ActionResult run(const QString &action, const QStringList &targets, const QVariantMap &params = {},
        const QString &service = u"checkout-svc"_s)
    {
        ActionRequest r;
        r.action = action;
        r.service = service;
        r.targets = targets;
        r.params = params;
        std::optional<ActionResult> out;
        m_executor->execute(r, [&](const ActionResult &result) { out = result; });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), 10'000); }();
        return out.value_or(ActionResult {});
    }

    QStringList podNames() const
    {
        QStringList out;
        for (const FakeKubernetes::Pod &p : m_fake->pods())
            out << p.name;
        return out;
    }

    bool anyPodDeleted() const
    {
        for (const QString &line : m_fake->requestLines()) {
            if (line.startsWith(u"DELETE"_s))
                return true;
        }
        return false;
    }

    // A fake API server with a deployment of `replicas`, and an executor that talks to it.
    void serve(int replicas, const std::function<void(KubernetesConfig &)> &configure = {})
    {
        m_executor.reset();
        m_fake = std::make_unique<FakeKubernetes>(u"shop"_s, u"checkout"_s, replicas);
        QVERIFY(m_fake->listen());
        m_executor = antibody::test::executorFor(*m_fake, m_dir.filePath(u"token"_s), configure);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void init() { serve(3); }
    void cleanup()
    {
        m_executor.reset();
        m_fake.reset();
    }

    void fleetIsThePodsOfTheDeployment()
    {
        m_fake->pods()[1].ready = false;
        m_fake->pods()[2].crashLooping = true;
        m_fake->pods()[2].ready = false;
        m_fake->pods()[2].restarts = 4;
        const Fleet f = readFleet();
        QVERIFY2(f.ok, qPrintable(f.error));
        QCOMPARE(f.members.size(), 3);
        QCOMPARE(f.scope, u"checkout-svc"_s);
        QCOMPARE(f.members[0].state, u"running"_s);
        QVERIFY(f.members[0].healthy);
        QCOMPARE(f.members[0].labels.value(u"service"_s), u"checkout-svc"_s);
        QVERIFY(!f.members[0].labels.value(u"version"_s).isEmpty());
        QCOMPARE(f.members[1].state, u"starting"_s);
        QVERIFY(!f.members[1].healthy);
        QCOMPARE(f.members[2].state, u"crashloop"_s);
        QCOMPARE(f.members[2].metrics.value(u"restarts_recent"_s), 4.0);
    }

    void restartEvicts()
    {
        const QStringList before = podNames();
        const ActionResult r = run(u"restart_pods"_s, { before[0] }, { { u"grace_period"_s, 10'000 } });
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.affected, QStringList { before[0] });
        QCOMPARE(r.facts.value(u"restarted"_s).toDouble(), 1.0);
        QVERIFY(m_fake->pods().at(0).terminating); // listed until its grace period ends
        QCOMPARE(m_fake->pods().size(), 4); // its replacement is there at once
        m_fake->finishTerminations();
        QVERIFY(!podNames().contains(before[0]));
        QCOMPARE(m_fake->pods().size(), 3);
        QVERIFY(m_fake->requestLines().contains(u"POST /api/v1/namespaces/shop/pods/%1/eviction"_s.arg(before[0])));
        const QJsonObject eviction = QJsonDocument::fromJson(m_fake->server().requests().last().body).object();
        QCOMPARE(eviction.value(u"apiVersion"_s).toString(), u"policy/v1"_s);
        QCOMPARE(eviction.value(u"deleteOptions"_s).toObject().value(u"gracePeriodSeconds"_s).toInt(), 10);
        QVERIFY(!anyPodDeleted());
    }

    void evictionRefusedIsBlockedNeverDeleted()
    {
        m_fake->setMinAvailable(3);
        const QStringList before = podNames();
        const ActionResult r = run(u"restart_pods"_s, { before[0], before[1] });
        QVERIFY(!r.ok);
        QVERIFY(r.blocked);
        QVERIFY(r.affected.isEmpty());
        QVERIFY2(r.error.contains(u"disruption budget"_s) && r.error.contains(before[0]), qPrintable(r.error));
        QCOMPARE(podNames(), before);
        QVERIFY(!anyPodDeleted());
        // The pass stops at the first refusal: the second pod is not tried.
        QVERIFY(!m_fake->requestLines().contains(u"POST /api/v1/namespaces/shop/pods/%1/eviction"_s.arg(before[1])));
    }

    void budgetRunsOutMidPass()
    {
        m_fake->setMinAvailable(2);
        const QStringList before = podNames();
        // The first eviction leaves 2 ready (its replacement is still starting); the second would leave 1.
        const ActionResult r = run(u"restart_pods"_s, { before[0], before[1] });
        QVERIFY(r.blocked);
        QCOMPARE(r.affected, QStringList { before[0] });
        QVERIFY2(r.error.contains(u"after evicting %1"_s.arg(before[0])), qPrintable(r.error));
        QVERIFY(podNames().contains(before[1]));
        QVERIFY(!anyPodDeleted());
    }

    // Review finding 24: an evicted pod stays listed while it shuts down, and its
    // replacement is new and not ready: the fleet says so, and no pod is evicted twice.
    void evictedPodsAreTerminatingAndTheirReplacementsNew()
    {
        const QStringList before = podNames();
        QVERIFY(run(u"restart_pods"_s, { before[0] }).ok);
        const Fleet f = readFleet();
        QCOMPARE(f.members.size(), 4);
        QCOMPARE(f.members[0].name, before[0]);
        QCOMPARE(f.members[0].state, u"terminating"_s);
        QVERIFY(!f.members[0].healthy);
        QVERIFY(f.members[0].metrics.value(u"age_seconds"_s) >= 3600);
        QCOMPARE(f.members[3].state, u"starting"_s);
        QVERIFY(f.members[3].metrics.value(u"age_seconds"_s) < 60);
        const ActionResult again = run(u"restart_pods"_s, { before[0] });
        QVERIFY(again.ok);
        QVERIFY(again.affected.isEmpty());
        QVERIFY2(again.detail.contains(u"%1 (already terminating)"_s.arg(before[0])), qPrintable(again.detail));
        QCOMPARE(m_fake->requestLines().filter(u"/eviction"_s).size(), 1);
    }

    void restartLeavesStrangersAlone()
    {
        const ActionResult r = run(u"restart_pods"_s, { u"someone-else-1"_s, u"../../nodes/x"_s });
        QVERIFY(r.ok);
        QVERIFY(r.affected.isEmpty());
        QVERIFY2(r.detail.contains(u"someone-else-1 (not a pod of shop/checkout"_s), qPrintable(r.detail));
        for (const QString &line : m_fake->requestLines())
            QVERIFY2(!line.contains(u"eviction"_s) && !line.contains(u"nodes"_s), qPrintable(line));
    }

    // Review finding 2: the executor changes spec.replicas from the count the plan read,
    // by no more than the plan's cap, and refuses when someone scaled in between.
    void scale_data()
    {
        QTest::addColumn<int>("now"); // spec.replicas when the step runs
        QTest::addColumn<QVariantMap>("params");
        QTest::addColumn<int>("replicas"); // spec.replicas afterwards
        QTest::addColumn<QString>("refusal"); // empty: it scales (or has nothing to do)
        const auto plan = [](int from, int to, int cap, QVariantMap more = {}) {
            more.insert(pinned::scaleFrom, from);
            more.insert(pinned::scaleTo, to);
            more.insert(pinned::capPerCycle, cap);
            return more;
        };
        QTest::addRow("+1 as planned") << 3 << plan(3, 4, 1) << 4 << QString();
        QTest::addRow("-1 as planned") << 3 << plan(3, 2, 1) << 2 << QString();
        QTest::addRow("+2 within a cap of 2") << 3 << plan(3, 5, 2) << 5 << QString();
        QTest::addRow("held to max") << 3 << plan(3, 5, 2, { { u"max"_s, 4 } }) << 4 << QString();
        QTest::addRow("already there") << 3 << plan(3, 3, 1) << 3 << QString();
        QTest::addRow("over the cap") << 3 << plan(3, 6, 2) << 3 << u"changes 3 replicas (3 -> 6), over the cap of 2"_s;
        QTest::addRow("someone scaled since the plan")
            << 5 << plan(3, 4, 1) << 5 << u"runs 5 replicas now, not the 3 the plan started from"_s;
        QTest::addRow("no plan") << 3 << QVariantMap { { u"by"_s, 1 } } << 3 << u"the plan fixed no replica count"_s;
    }
    void scale()
    {
        QFETCH(int, now);
        QFETCH(QVariantMap, params);
        QFETCH(int, replicas);
        QFETCH(QString, refusal);
        m_fake->setReplicas(now);
        const ActionResult r = run(u"scale"_s, {}, params);
        QCOMPARE(m_fake->replicas(), replicas);
        if (!refusal.isEmpty()) {
            QVERIFY(!r.ok);
            QVERIFY(r.blocked);
            QVERIFY2(r.error.contains(refusal), qPrintable(r.error));
            QVERIFY(m_fake->requestLines().filter(u"PATCH"_s).isEmpty());
            return;
        }
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.facts.value(u"replicas"_s).toDouble(), double(replicas));
        if (replicas == now) {
            QVERIFY2(r.detail.contains(u"already runs %1"_s.arg(now)), qPrintable(r.detail));
            QVERIFY(m_fake->requestLines().filter(u"PATCH"_s).isEmpty());
            return;
        }
        QVERIFY(m_fake->requestLines().contains(u"PATCH /apis/apps/v1/namespaces/shop/deployments/checkout/scale"_s));
        QVERIFY2(r.detail.contains(u"from %1 to %2"_s.arg(now).arg(replicas)), qPrintable(r.detail));
        // A change checked by the server against the count it was planned from.
        const QJsonArray patch = QJsonDocument::fromJson(m_fake->server().requests().last().body).array();
        QCOMPARE(patch.at(0).toObject().value(u"op"_s).toString(), u"test"_s);
        QCOMPARE(patch.at(0).toObject().value(u"value"_s).toInt(), now);
        QCOMPARE(patch.at(1).toObject().value(u"value"_s).toInt(), replicas);
    }

    void fleetReadsSpecReplicasNotThePods()
    {
        m_fake->pods().append(FakeKubernetes::Pod { u"checkout-surge"_s, u"5d8f9c0a1b"_s, false });
        m_fake->pods().append(FakeKubernetes::Pod { u"checkout-old"_s, u"0a1b2c3d4e"_s, false, false, 0, true });
        const Fleet f = readFleet(TargetQuery { u"scale"_s, u"replicas"_s, u"checkout-svc"_s, {} });
        QVERIFY2(f.ok, qPrintable(f.error));
        QCOMPARE(f.members.size(), 5);
        QVERIFY(f.workload);
        QCOMPARE(f.workload->replicas, std::optional<int>(3));
        QVERIFY(f.workload->autoscaler.isEmpty());
        const QVariantMap params = planned(u"scale"_s, { { u"by"_s, u"1"_s } }, u"50%"_s);
        QCOMPARE(params.value(pinned::scaleFrom).toInt(), 3);
        QCOMPARE(params.value(pinned::scaleTo).toInt(), 4);
        QCOMPARE(params.value(pinned::capPerCycle).toInt(), 1);
        QVERIFY(run(u"scale"_s, {}, params).ok);
        QCOMPARE(m_fake->replicas(), 4);
    }

    // An autoscaler undoes a manual change at its next sync: refused unless the step says
    // `allow_hpa: true`.
    void scaleRefusesAnAutoscaledDeployment()
    {
        m_fake->setAutoscaler(u"checkout-hpa"_s);
        const Fleet f = readFleet(TargetQuery { u"scale"_s, u"replicas"_s, u"checkout-svc"_s, {} });
        QVERIFY(f.ok && f.workload);
        QCOMPARE(f.workload->autoscaler, u"checkout-hpa"_s);
        const QVariantMap params = planned(u"scale"_s, { { u"by"_s, u"1"_s } }, u"1"_s);
        QVERIFY(!params.contains(pinned::scaleTo)); // nothing planned
        const QVariantMap forced { { pinned::scaleFrom, 3 }, { pinned::scaleTo, 4 }, { pinned::capPerCycle, 1 } };
        const ActionResult r = run(u"scale"_s, {}, forced);
        QVERIFY(!r.ok);
        QVERIFY(r.blocked);
        QVERIFY2(r.error.contains(u"HorizontalPodAutoscaler checkout-hpa"_s) && r.error.contains(u"allow_hpa: true"_s),
            qPrintable(r.error));
        QCOMPARE(m_fake->replicas(), 3);
        // Not allowed to look: no plan, and no scale either.
        m_fake->forbidAutoscalers();
        const Fleet unknown = readFleet(TargetQuery { u"scale"_s, u"replicas"_s, u"checkout-svc"_s, {} });
        QVERIFY(!unknown.ok);
        QVERIFY2(unknown.error.contains(u"cannot tell whether an autoscaler owns shop/checkout"_s)
                && unknown.error.contains(u"grant list on horizontalpodautoscalers"_s),
            qPrintable(unknown.error));
        const ActionResult blind = run(u"scale"_s, {}, forced);
        QVERIFY(blind.blocked);
        QVERIFY2(blind.error.contains(u"HTTP 403"_s), qPrintable(blind.error));
        QCOMPARE(m_fake->replicas(), 3);
        QVariantMap allowed = planned(u"scale"_s, { { u"by"_s, u"1"_s }, { u"allow_hpa"_s, u"true"_s } }, u"1"_s);
        QCOMPARE(allowed.value(pinned::scaleTo).toInt(), 4);
        const ActionResult anyway = run(u"scale"_s, {}, allowed);
        QVERIFY2(anyway.ok, qPrintable(anyway.error));
        QCOMPARE(m_fake->replicas(), 4);
    }

    void fleetFixesTheRollbackRevisions()
    {
        m_fake->deploy(u"registry.example/checkout:2.0-bad"_s);
        const Fleet f = readFleet(TargetQuery {
            u"rollback_deployment"_s, u"pods"_s, u"checkout-svc"_s, { { u"to_revision"_s, u"previous"_s } } });
        QVERIFY2(f.ok, qPrintable(f.error));
        QVERIFY(f.workload);
        QCOMPARE(f.workload->name, u"shop/checkout"_s);
        QCOMPARE(f.workload->revision.number, u"2"_s);
        QCOMPARE(f.workload->rollbackTo.number, u"1"_s);
        QVERIFY(!f.workload->revision.templateHash.isEmpty());
        QVERIFY(f.workload->rollbackTo.templateHash != f.workload->revision.templateHash);
        QVERIFY(!f.workload->rollbackTo.replicaSet.isEmpty());
        const QVariantMap params = planned(u"rollback_deployment"_s, { { u"to_revision"_s, u"previous"_s } }, u"1"_s);
        QCOMPARE(params.value(pinned::rollbackFrom).toString(), u"2"_s);
        QCOMPARE(params.value(pinned::rollbackTo).toString(), u"1"_s);
        QCOMPARE(params.value(pinned::rollbackToReplicaSet).toString(), f.workload->rollbackTo.replicaSet);
        QCOMPARE(params.value(pinned::capPerCycle).toInt(), 1);
    }

    void rollbackToThePreviousRevision()
    {
        m_fake->deploy(u"registry.example/checkout:2.0-bad"_s);
        QCOMPARE(m_fake->revision(), 2);
        const ActionResult r = run(u"rollback_deployment"_s, {}, planned(u"rollback_deployment"_s, {}, u"1"_s));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(m_fake->image(), u"registry.example/checkout:1.0"_s);
        QCOMPARE(m_fake->revision(), 3); // the old template is the newest revision now, as in Kubernetes
        QCOMPARE(r.facts.value(u"revision"_s).toString(), u"1"_s);
        QVERIFY2(r.detail.contains(u"from revision 2 (template "_s)
                && r.detail.contains(u"to the template of revision 1 (template "_s),
            qPrintable(r.detail));
        const QJsonArray patch = QJsonDocument::fromJson(m_fake->server().requests().last().body).array();
        QCOMPARE(patch.first().toObject().value(u"op"_s).toString(), u"test"_s); // guarded by the resourceVersion
        const QJsonObject labels = patch.at(1)
                                       .toObject()
                                       .value(u"value"_s)
                                       .toObject()
                                       .value(u"metadata"_s)
                                       .toObject()
                                       .value(u"labels"_s)
                                       .toObject();
        QVERIFY(!labels.contains(u"pod-template-hash"_s));
    }

    void rollbackToANamedRevision()
    {
        m_fake->deploy(u"registry.example/checkout:2.0"_s);
        m_fake->deploy(u"registry.example/checkout:3.0"_s);
        const ActionResult r = run(
            u"rollback_deployment"_s, {}, planned(u"rollback_deployment"_s, { { u"to_revision"_s, u"1"_s } }, u"1"_s));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(m_fake->image(), u"registry.example/checkout:1.0"_s);
        const Fleet none = readFleet(
            TargetQuery { u"rollback_deployment"_s, u"pods"_s, u"checkout-svc"_s, { { u"to_revision"_s, u"42"_s } } });
        QVERIFY(none.ok && none.workload && !none.workload->rollbackTo.isKnown());
        QVERIFY2(none.workload->noRollback.contains(u"has no revision 42"_s), qPrintable(none.workload->noRollback));
    }

    void rollbackWithNothingEarlier()
    {
        const Fleet f = readFleet(TargetQuery { u"rollback_deployment"_s, u"pods"_s, u"checkout-svc"_s, {} });
        QVERIFY(f.ok && f.workload && !f.workload->rollbackTo.isKnown());
        QVERIFY2(f.workload->noRollback.contains(u"no earlier revision"_s), qPrintable(f.workload->noRollback));
        const ActionResult r = run(u"rollback_deployment"_s, {}); // no plan named the revisions
        QVERIFY(!r.ok);
        QVERIFY(r.blocked);
        QVERIFY2(r.error.contains(u"the plan fixed no revisions"_s), qPrintable(r.error));
        QVERIFY(m_fake->requestLines().filter(u"PATCH"_s).isEmpty());
    }

    void rollbackRacingAnotherChange()
    {
        m_fake->deploy(u"registry.example/checkout:2.0"_s);
        const QVariantMap params = planned(u"rollback_deployment"_s, {}, u"1"_s);
        m_fake->changeAfterNextRead();
        const ActionResult r = run(u"rollback_deployment"_s, {}, params);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(u"changed while rolling back"_s), qPrintable(r.error));
        QCOMPARE(m_fake->image(), u"registry.example/checkout:2.0"_s); // nothing overwritten
    }

    // Review finding 1: the plan fixes both revisions; a deploy (or a rollback) after the
    // plan means "the revision before" is no longer what was approved.
    void rollbackRefusedWhenTheDeploymentLeftThePlannedRevision_data()
    {
        QTest::addColumn<QString>("since");
        QTest::addRow("a new deploy") << u"deploy"_s;
        QTest::addRow("someone rolled back already") << u"rollback"_s;
    }
    void rollbackRefusedWhenTheDeploymentLeftThePlannedRevision()
    {
        QFETCH(QString, since);
        m_fake->deploy(u"registry.example/checkout:2.0-bad"_s);
        const QVariantMap params = planned(u"rollback_deployment"_s, {}, u"1"_s);
        m_fake->deploy(since == u"deploy"_s ? u"registry.example/checkout:2.1"_s : u"registry.example/checkout:1.0"_s);
        const QString imageBefore = m_fake->image();
        const ActionResult r = run(u"rollback_deployment"_s, {}, params);
        QVERIFY(!r.ok);
        QVERIFY(r.blocked);
        QVERIFY2(r.error.contains(u"is on revision 3 (template "_s)
                && r.error.contains(u"not on revision 2 (template "_s)
                && r.error.contains(u"not rolling back to revision 1"_s),
            qPrintable(r.error));
        QCOMPARE(m_fake->image(), imageBefore);
        QVERIFY(m_fake->requestLines().filter(u"PATCH"_s).isEmpty());
    }

    // The cap of a rollback bounds the pods its rollout takes out of service at once.
    void rollbackHoldsItsRolloutToTheCap_data()
    {
        QTest::addColumn<QJsonObject>("strategy");
        QTest::addColumn<QString>("cap");
        QTest::addColumn<bool>("runs");
        const auto rolling = [](QJsonValue unavailable, QJsonValue surge) {
            return QJsonObject { { u"type"_s, u"RollingUpdate"_s },
                { u"rollingUpdate"_s,
                    QJsonObject { { u"maxUnavailable"_s, unavailable }, { u"maxSurge"_s, surge } } } };
        };
        QTest::addRow("the API default: a quarter of 4 = 1") << QJsonObject() << u"1"_s << true;
        QTest::addRow("maxUnavailable 1") << rolling(1, 1) << u"1"_s << true;
        QTest::addRow("maxUnavailable 2, cap 1") << rolling(2, 0) << u"1"_s << false;
        QTest::addRow("maxUnavailable 2, cap half") << rolling(2, 0) << u"50%"_s << true;
        QTest::addRow("maxUnavailable half, cap 1") << rolling(u"50%"_s, u"25%"_s) << u"1"_s << false;
        QTest::addRow("both 0: one at a time") << rolling(0, 0) << u"1"_s << true;
        QTest::addRow("Recreate") << QJsonObject { { u"type"_s, u"Recreate"_s } } << u"50%"_s << false;
    }
    void rollbackHoldsItsRolloutToTheCap()
    {
        QFETCH(QJsonObject, strategy);
        QFETCH(QString, cap);
        QFETCH(bool, runs);
        serve(4);
        m_fake->setStrategy(strategy);
        m_fake->deploy(u"registry.example/checkout:2.0-bad"_s);
        const ActionResult r = run(u"rollback_deployment"_s, {}, planned(u"rollback_deployment"_s, {}, cap));
        QCOMPARE(r.ok, runs);
        if (!runs) {
            QVERIFY(r.blocked);
            QVERIFY2(r.error.contains(u"out of service at once, over the cap"_s), qPrintable(r.error));
            QVERIFY(m_fake->requestLines().filter(u"PATCH"_s).isEmpty());
        }
    }

    void wrongCredentials()
    {
        write(m_dir.filePath(u"token"_s), "not-the-token\n");
        const Fleet f = readFleet();
        QVERIFY(!f.ok);
        QVERIFY2(f.error.contains(u"HTTP 401"_s)
                && f.error.contains(u"check the credentials and RBAC of test service account"_s),
            qPrintable(f.error));
        QVERIFY(!f.error.contains(u"not-the-token"_s));
        // A rotated token file is picked up without a restart.
        write(m_dir.filePath(u"token"_s), m_fake->token().toUtf8());
        QTest::qWait(20); // let the file's modification time differ
        QFile(m_dir.filePath(u"token"_s))
            .setFileTime(QDateTime::currentDateTime().addSecs(5), QFileDevice::FileModificationTime);
        QVERIFY(readFleet().ok);
    }

    // Review finding 8 (medium): a service missing from executors.kubernetes.workloads was
    // taken as the name of a deployment, so an alert's label chose what to change. Every
    // action refuses it, and so does the fleet read, before any request reaches the API.
    void unmappedServicesAreRefusedBeforeAnyRequest_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<StringMap>("params");
        QTest::addRow("restart_pods") << u"restart_pods"_s << StringMap {};
        QTest::addRow("scale") << u"scale"_s << StringMap { { u"by"_s, u"1"_s } };
        QTest::addRow("rollback_deployment") << u"rollback_deployment"_s << StringMap {};
    }
    void unmappedServicesAreRefusedBeforeAnyRequest()
    {
        QFETCH(QString, action);
        QFETCH(StringMap, params);
        m_fake->deploy(u"registry.example/checkout:2.0-bad"_s); // a revision to roll back from
        // What a plan for the mapped service would send, sent for the deployment's own name.
        const QVariantMap plan = action == u"restart_pods"_s ? QVariantMap {} : planned(action, params, u"1"_s);
        const qsizetype asked = m_fake->requestLines().size();
        const ActionResult r = run(action, podNames().mid(0, 1), plan, u"checkout"_s);
        QVERIFY(!r.ok);
        QVERIFY(r.blocked);
        QVERIFY2(
            r.error.contains(u"service 'checkout' is not in executors.kubernetes.workloads"_s), qPrintable(r.error));
        const Fleet f
            = readFleet(TargetQuery { action, ActionCatalog::instance().find(action)->dimension, u"checkout"_s, {} });
        QVERIFY(!f.ok);
        QCOMPARE(f.error, r.error);
        QCOMPARE(m_fake->requestLines().mid(asked), QStringList {});
        QCOMPARE(m_fake->revision(), 2);
        QCOMPARE(m_fake->replicas(), 3);
    }

    // With `unmapped_services: allow`, a service missing from `workloads` is the deployment
    // of its name, in the configured namespace; a name Kubernetes would not take still never
    // reaches a URL, and a mapped service is still what the mapping says.
    void unmappedServicesAllowedAreTheDeploymentOfTheirName()
    {
        serve(3, [](KubernetesConfig &c) { c.unmappedServicesAllowed = true; });
        const Fleet f = readFleet(u"checkout"_s);
        QVERIFY2(f.ok, qPrintable(f.error));
        QCOMPARE(f.members.size(), 3);
        QCOMPARE(f.scope, u"checkout"_s);
        QVERIFY(readFleet(u"checkout-svc"_s).ok);
        const ActionResult r = run(u"restart_pods"_s, podNames().mid(0, 1), {}, u"checkout"_s);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.affected, podNames().mid(0, 1));
        const qsizetype asked = m_fake->requestLines().size();
        for (const QString &name :
            { u"Not_A_Name"_s, u"../kube-system"_s, u"checkout/scale"_s, u"checkout\n"_s, QString() }) {
            const Fleet bad = readFleet(name);
            QVERIFY(!bad.ok);
            QVERIFY2(
                bad.error.contains(u"is not a Kubernetes name; map the service in executors.kubernetes.workloads"_s),
                qPrintable(bad.error));
        }
        QCOMPARE(m_fake->requestLines().mid(asked), QStringList {});
        const Fleet missing = readFleet(u"search-svc"_s);
        QVERIFY(!missing.ok);
        QVERIFY2(missing.error.contains(u"HTTP 404"_s) && missing.error.contains(u"deployments/search-svc"_s),
            qPrintable(missing.error));
    }

    void unknownServiceAndActions()
    {
        const Fleet f = readFleet(u"Not_A_Name"_s);
        QVERIFY(!f.ok);
        QVERIFY2(
            f.error.contains(u"service 'Not_A_Name' is not in executors.kubernetes.workloads"_s), qPrintable(f.error));
        const Fleet none = readFleet(QString());
        QVERIFY(!none.ok);
        QVERIFY2(none.error.contains(u"the incident names no service"_s), qPrintable(none.error));
        QVERIFY(m_fake->requestLines().isEmpty());
        QVERIFY(!run(u"reset_connection_pool"_s, {}).ok);
    }

    void kubeconfigs_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("error"); // empty: loads
        const QByteArray base = "apiVersion: v1\nkind: Config\ncurrent-context: prod\n"
                                "clusters:\n- name: c1\n  cluster: { server: \"https://k8s.example:6443\", "
                                "certificate-authority-data: \"LS0tLS1CRUdJTg==\" }\n"
                                "contexts:\n- name: prod\n  context: { cluster: c1, user: ops, namespace: shop }\n"
                                "- name: broken\n  context: { cluster: nowhere, user: ops }\n";
        QTest::addRow("token") << base + "users:\n- name: ops\n  user: { token: abc }\n" << QString() << QString();
        QTest::addRow("token file") << base + "users:\n- name: ops\n  user: { tokenFile: token }\n"
                                    << QString() << QString();
        QTest::addRow("client certificate") << base
                + "users:\n- name: ops\n  user: { client-certificate-data: \"Y2VydA==\", client-key-data: \"a2V5\" }\n"
                                            << QString() << QString();
        QTest::addRow("exec plugin") << base + "users:\n- name: ops\n  user: { exec: { command: aws } }\n"
                                     << QString() << u"credential plugin"_s;
        QTest::addRow("no such context") << base + "users:\n- name: ops\n  user: { token: abc }\n"
                                         << u"staging"_s << u"no context named 'staging'"_s;
        QTest::addRow("no such cluster") << base + "users:\n- name: ops\n  user: { token: abc }\n"
                                         << u"broken"_s << u"cluster 'nowhere'"_s;
        QTest::addRow("no such user") << base << QString() << u"user 'ops'"_s;
        QTest::addRow("not yaml") << QByteArray("clusters: [\n") << QString() << u"cannot read it as YAML"_s;
        QTest::addRow("not a kubeconfig") << QByteArray("- 1\n") << QString() << u"not a kubeconfig"_s;
        QTest::addRow("no current context")
            << QByteArray("apiVersion: v1\nclusters: []\n") << QString() << u"no current-context"_s;
    }
    void kubeconfigs()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, context);
        QFETCH(QString, error);
        const QString path = m_dir.filePath(u"kubeconfig"_s);
        write(path, yaml);
        const auto loaded = KubeAccess::fromKubeconfig(path, context);
        if (!error.isEmpty()) {
            QVERIFY(!loaded.access);
            QVERIFY2(loaded.error.contains(error) && loaded.error.contains(path), qPrintable(loaded.error));
            return;
        }
        QVERIFY2(loaded.access, qPrintable(loaded.error));
        QCOMPARE(loaded.access->server, QUrl(u"https://k8s.example:6443"_s));
        QCOMPARE(loaded.access->ns, u"shop"_s);
        QCOMPARE(loaded.access->tls.caPem, QByteArray("-----BEGIN"));
        QVERIFY(loaded.access->describe.contains(u"context prod"_s));
        if (QTest::currentDataTag() == QByteArray("token"))
            QCOMPARE(loaded.access->auth.secret, Secret("abc"));
        if (QTest::currentDataTag() == QByteArray("token file"))
            QCOMPARE(loaded.access->tokenFile, m_dir.filePath(u"token"_s)); // relative to the kubeconfig
        if (QTest::currentDataTag() == QByteArray("client certificate"))
            QCOMPARE(loaded.access->tls.clientKeyPem, Secret("key"));
    }

    void inCluster()
    {
        qunsetenv("KUBERNETES_SERVICE_HOST");
        QVERIFY(KubeAccess::inCluster(m_dir.path()).error.contains(u"KUBERNETES_SERVICE_HOST"_s));
        qputenv("KUBERNETES_SERVICE_HOST", "10.0.0.1");
        qputenv("KUBERNETES_SERVICE_PORT", "443");
        write(m_dir.filePath(u"namespace"_s), "payments\n");
        const auto loaded = KubeAccess::inCluster(m_dir.path());
        qunsetenv("KUBERNETES_SERVICE_HOST");
        qunsetenv("KUBERNETES_SERVICE_PORT");
        QVERIFY2(loaded.access, qPrintable(loaded.error));
        QCOMPARE(loaded.access->server, QUrl(u"https://10.0.0.1:443"_s));
        QCOMPARE(loaded.access->ns, u"payments"_s);
        QCOMPARE(loaded.access->tokenFile, m_dir.path() + u"/token"_s);
        QCOMPARE(loaded.access->tls.caFile, m_dir.path() + u"/ca.crt"_s);
    }

    void statusMessages()
    {
        QCOMPARE(kubernetesjson::statusMessage(
                     "{\"kind\":\"Status\",\"message\":\"nope\",\"details\":{\"causes\":[{\"message\":\"why\"}]}}"),
            u"nope (why)"_s);
        QCOMPARE(kubernetesjson::statusMessage("{\"kind\":\"Pod\"}"), QString());
        QCOMPARE(kubernetesjson::statusMessage("garbage"), QString());
        QString error;
        QVERIFY(kubernetesjson::labelSelector(
            QJsonDocument::fromJson("{\"spec\":{\"selector\":{\"matchExpressions\":[{\"key\":\"a\"}]}}}").object(),
            &error)
                    .isEmpty());
        QVERIFY(error.contains(u"matchExpressions"_s));
    }
};

QTEST_GUILESS_MAIN(TestKubernetes)
#include "tst_kubernetes.moc"

// The engine's workload remediations through the Kubernetes executor, against the
// FAKE API server (tests/connectors/support/fakekubernetes.h: no real cluster can run
// here). The simulator models pods more kindly than a cluster does; these runs meet
// what a cluster shows: revision history in ReplicaSets, a rollback that is one change
// to the whole deployment, spec.replicas apart from the pods listed during a rollout,
// evicted pods that stay listed while they terminate.
#include "engine/pipeline/engine.h"
#include "engine/store/memorystore.h"
#include "fakekubernetesexecutor.h"
#include "tests/engine/doubles/runbookbuilder.h"
#include "tests/engine/doubles/testports.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using namespace antibody::test;
using Kind = EngineEvent::Kind;

namespace {

// Hands every call to the Kubernetes executor and counts those not answered yet,
// so the rig moves virtual time only while nothing waits on the (real) HTTP server.
// It decides nothing: a pass-through, not a fake.
class AnsweredCalls : public ActionExecutor
{
public:
    explicit AnsweredCalls(ActionExecutor &inner)
        : m_inner(inner)
    {
    }
    QString family() const override { return m_inner.family(); }
    QStringList actions() const override { return m_inner.actions(); }
    void fleet(const TargetQuery &query, std::function<void(const Fleet &)> done) override
    {
        ++m_pending;
        m_inner.fleet(query, [this, done](const Fleet &f) {
            --m_pending;
            done(f);
        });
    }
    void execute(const ActionRequest &request, std::function<void(const ActionResult &)> done) override
    {
        ++m_pending;
        m_inner.execute(request, [this, done](const ActionResult &r) {
            --m_pending;
            done(r);
        });
    }
    int pending() const { return m_pending; }

private:
    ActionExecutor &m_inner;
    int m_pending = 0;
};

// The engine with Kubernetes as its workload family, on a virtual clock that starts at
// the wall clock's now: the executor dates what it reads by the wall clock.
struct KubernetesRig
{
    explicit KubernetesRig(int replicas, const std::function<void(KubernetesConfig &)> &configure = {})
        : fake(u"shop"_s, u"checkout"_s, replicas)
    {
        if (!fake.listen() || !dir.isValid())
            qFatal("the fake Kubernetes API could not start");
        kubernetes = executorFor(fake, dir.filePath(u"token"_s), configure);
        calls = std::make_unique<AnsweredCalls>(*kubernetes);
        Engine::Ports ports;
        ports.clock = &clock;
        ports.store = &store;
        ports.metrics = &metrics;
        ports.alertSources = { &alerts };
        ports.executors = { calls.get() };
        ports.notifiers = { &pager };
        Engine::Settings settings;
        settings.identity = u"test-engine"_s;
        engine = std::make_unique<Engine>(ports, settings);
        QObject::connect(engine.get(), &Engine::event, engine.get(), [this](const EngineEvent &e) { events << e; });
    }
    ~KubernetesRig() { engine.reset(); }

    // Fires the alert (for `service`) and runs the engine until its incident ends (or `limit`
    // of virtual time passes).
    void runIncident(const Runbook &runbook, Duration limit = 10min, const QString &service = u"checkout-svc"_s)
    {
        engine->setRunbooks({ runbook });
        engine->start();
        alerts.fire(u"CheckoutBroken"_s, { { u"service"_s, service }, { u"severity"_s, u"critical"_s } });
        const TimePoint end = clock.now() + limit;
        while (!ended()) {
            if (calls->pending() > 0) {
                if (!QTest::qWaitFor([&] { return calls->pending() == 0; }, 10'000))
                    return;
                continue;
            }
            const auto next = clock.nextDue();
            if (!next || *next > end)
                return;
            clock.runNext();
        }
    }
    bool ended() const
    {
        const auto all = engine->incidents();
        return !all.isEmpty() && isFinal(all.front().state);
    }
    QList<EngineEvent> eventsOf(Kind kind) const
    {
        QList<EngineEvent> out;
        for (const EngineEvent &e : events) {
            if (e.kind == kind)
                out << e;
        }
        return out;
    }
    QStringList requests(const QString &prefix) const
    {
        QStringList out;
        for (const QString &line : fake.requestLines()) {
            if (line.startsWith(prefix))
                out << line;
        }
        return out;
    }
    QString timeline() const
    {
        QString out;
        for (const EngineEvent &e : events) {
            if (e.kind != Kind::StateChanged && e.kind != Kind::RunbookLoaded)
                out += u"  %1: %2\n"_s.arg(e.kindName(), e.detail);
        }
        return out;
    }

    QTemporaryDir dir;
    VirtualClock clock { fromMillis(QDateTime::currentMSecsSinceEpoch()) };
    MemoryStore store;
    TestMetrics metrics { clock };
    TestAlerts alerts { clock };
    TestNotifier pager { clock };
    FakeKubernetes fake;
    std::unique_ptr<KubernetesExecutor> kubernetes;
    std::unique_ptr<AnsweredCalls> calls;
    std::unique_ptr<Engine> engine;
    QList<EngineEvent> events;
};

// A pod that keeps crashing: not ready, so restart_pods (only_unhealthy) picks it.
void crashLoop(FakeKubernetes::Pod &pod)
{
    pod.crashLooping = true;
    pod.ready = false;
}

// Restarts one failing pod per pass, for at most `passes` passes.
Runbook restartOnePodAtATime(int passes)
{
    return RunbookBuilder(u"crashloop-restart"_s)
        .alert(u"CheckoutBroken"_s)
        .step(u"restart"_s, u"restart_pods"_s, {}, u"1"_s, {}, passes)
        .build();
}

} // namespace

class TestKubernetesRemediation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Review finding 1 (critical): each pass rolled the whole deployment back to the
    // revision before the current one, so pass 2 re-deployed the bad revision and an
    // even number of passes ended on it.
    void rollbackDeploymentIsOnePassAndNeverFlipFlops()
    {
        KubernetesRig rig(4);
        rig.fake.deploy(u"registry.example/checkout:2.0-bad"_s);
        const Runbook rb
            = RunbookBuilder(u"deployment-rollback"_s)
                  .alert(u"CheckoutBroken"_s)
                  .step(u"rollback"_s, u"rollback_deployment"_s, { { u"to_revision"_s, u"previous"_s } }, u"15%"_s)
                  .build();
        rig.runIncident(rb);
        QVERIFY2(rig.ended(), qPrintable(rig.timeline()));
        QCOMPARE(rig.requests(u"PATCH /apis/apps/v1/namespaces/shop/deployments/checkout"_s).size(), 1);
        QCOMPARE(rig.fake.image(), u"registry.example/checkout:1.0"_s);
        QCOMPARE(rig.fake.revision(), 3); // revision 1's template, now the newest
        const auto finished = rig.eventsOf(Kind::StepFinished);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.front().data.value(u"passes"_s).toInt(), 1);
        QCOMPARE(finished.front().data.value(u"outcome"_s).toString(), u"succeeded"_s);
    }

    // Review finding 2 (high): scale planned from the pods listed (surge and terminating
    // ones of a rollout included) and PATCHed that count plus one.
    void scaleDuringARolloutChangesSpecReplicasByItsStep_data()
    {
        QTest::addColumn<int>("surge"); // new pods of a rollout, not ready yet
        QTest::addColumn<int>("terminating"); // old pods on their way out
        QTest::addColumn<QString>("by");
        QTest::addColumn<int>("replicas"); // spec.replicas afterwards (from 3)
        QTest::addRow("steady, +1") << 0 << 0 << u"1"_s << 4;
        QTest::addRow("one surge pod, +1") << 1 << 0 << u"1"_s << 4;
        QTest::addRow("two terminating, +1") << 0 << 2 << u"1"_s << 4;
        QTest::addRow("surge and terminating, +1") << 1 << 1 << u"1"_s << 4;
        QTest::addRow("surge and terminating, -1") << 1 << 1 << u"-1"_s << 2;
    }
    void scaleDuringARolloutChangesSpecReplicasByItsStep()
    {
        QFETCH(int, surge);
        QFETCH(int, terminating);
        QFETCH(QString, by);
        QFETCH(int, replicas);
        KubernetesRig rig(3);
        for (int i = 0; i < surge; ++i)
            rig.fake.pods().append(FakeKubernetes::Pod { u"checkout-surge-%1"_s.arg(i), u"5d8f9c0a1b"_s, false });
        for (int i = 0; i < terminating; ++i)
            rig.fake.pods().append(
                FakeKubernetes::Pod { u"checkout-old-%1"_s.arg(i), u"0a1b2c3d4e"_s, false, false, 0, true });
        const Runbook rb = RunbookBuilder(u"scale"_s)
                               .alert(u"CheckoutBroken"_s)
                               .step(u"scale"_s, u"scale"_s, { { u"by"_s, by }, { u"max"_s, u"10"_s } }, u"50%"_s)
                               .build();
        rig.runIncident(rb);
        QVERIFY2(rig.ended(), qPrintable(rig.timeline()));
        QCOMPARE(rig.fake.replicas(), replicas);
        QCOMPARE(rig.requests(u"PATCH"_s).size(), 1);
    }

    // An autoscaler undoes a manual scale at its next sync: the step is refused with the
    // autoscaler's name, unless it says allow_hpa: true.
    void scaleOfAnAutoscaledDeploymentIsRefused_data()
    {
        QTest::addColumn<QString>("allowHpa");
        QTest::addColumn<int>("replicas");
        QTest::addRow("refused") << u"false"_s << 3;
        QTest::addRow("allow_hpa: true") << u"true"_s << 4;
    }
    void scaleOfAnAutoscaledDeploymentIsRefused()
    {
        QFETCH(QString, allowHpa);
        QFETCH(int, replicas);
        KubernetesRig rig(3);
        rig.fake.setAutoscaler(u"checkout-hpa"_s);
        const Runbook rb
            = RunbookBuilder(u"scale"_s)
                  .alert(u"CheckoutBroken"_s)
                  .step(u"scale"_s, u"scale"_s, { { u"by"_s, u"1"_s }, { u"allow_hpa"_s, allowHpa } }, u"50%"_s)
                  .build();
        rig.runIncident(rb);
        QVERIFY2(rig.ended(), qPrintable(rig.timeline()));
        QCOMPARE(rig.fake.replicas(), replicas);
        if (replicas == 3) {
            QVERIFY(rig.requests(u"PATCH"_s).isEmpty());
            QCOMPARE(rig.engine->incidents().front().state, IncidentState::Escalated);
            const QString said = rig.timeline();
            QVERIFY2(
                said.contains(
                    u"scale blocked: refused before pass 1: shop/checkout is scaled by the HorizontalPodAutoscaler "
                    u"checkout-hpa"_s),
                qPrintable(said));
            // The plan said so before anything ran.
            const Incident incident = rig.engine->incidents().front();
            const PlannedStep *planned = rig.engine->proposal(incident.proposalId)->plan.step(u"scale"_s);
            QVERIFY(planned
                && planned->explanation.startsWith(
                    u"refused: shop/checkout is scaled by the HorizontalPodAutoscaler"_s));
        }
    }

    // Review finding 8 (medium): the alert's `service` label chose the deployment. A service
    // missing from executors.kubernetes.workloads was taken as the name of a deployment in
    // the configured namespace, so whoever can post an alert to Alertmanager (its API is
    // usually unauthenticated) could aim the crash-loop runbook at any deployment there.
    void aliasLabelsCannotChooseAnUnmappedDeployment_data()
    {
        QTest::addColumn<QString>("service"); // the alert's `service` label
        QTest::addColumn<bool>("allowUnmapped"); // executors.kubernetes.unmapped_services: allow
        QTest::addColumn<bool>("acts");
        QTest::addRow("mapped: checkout-svc is shop/checkout") << u"checkout-svc"_s << false << true;
        QTest::addRow("the deployment's own name, unmapped") << u"checkout"_s << false << false;
        QTest::addRow("some other deployment's name") << u"kube-system-thing"_s << false << false;
        QTest::addRow("no service label") << QString() << false << false;
        QTest::addRow("unmapped, allowed by the configuration") << u"checkout"_s << true << true;
    }
    void aliasLabelsCannotChooseAnUnmappedDeployment()
    {
        QFETCH(QString, service);
        QFETCH(bool, allowUnmapped);
        QFETCH(bool, acts);
        KubernetesRig rig(4, [&](KubernetesConfig &c) { c.unmappedServicesAllowed = allowUnmapped; });
        crashLoop(rig.fake.pods()[0]); // checkout-1
        rig.runIncident(restartOnePodAtATime(1), 2min, service);
        if (acts) {
            QCOMPARE(
                rig.requests(u"POST"_s), QStringList { u"POST /api/v1/namespaces/shop/pods/checkout-1/eviction"_s });
            return;
        }
        // Refused before the API server is asked anything: not even a read of what the label names.
        QVERIFY2(rig.fake.requestLines().isEmpty(), qPrintable(rig.fake.requestLines().join(u'\n')));
        const QString said = rig.timeline();
        QVERIFY2(
            said.contains(service.isEmpty() ? u"the incident names no service"_s
                                            : u"service '%1' is not in executors.kubernetes.workloads"_s.arg(service)),
            qPrintable(said));
        // A person decides: escalated, not retried against the cluster.
        QCOMPARE(rig.engine->incidents().front().state, IncidentState::Escalated);
    }

    // Review finding 24 (low): passes 2+ of restart_pods picked the pods an earlier pass
    // evicted (still terminating) and their replacements (not ready yet) as "unhealthy".
    void restartPodsNeverPicksTerminatingOrStartingPodsAgain()
    {
        KubernetesRig rig(4);
        crashLoop(rig.fake.pods()[0]); // checkout-1
        crashLoop(rig.fake.pods()[1]); // checkout-2
        rig.runIncident(restartOnePodAtATime(3));
        QVERIFY2(rig.ended(), qPrintable(rig.timeline()));
        QCOMPARE(rig.requests(u"POST"_s),
            (QStringList { u"POST /api/v1/namespaces/shop/pods/checkout-1/eviction"_s,
                u"POST /api/v1/namespaces/shop/pods/checkout-2/eviction"_s }));
        QStringList chosen;
        for (const EngineEvent &e : rig.eventsOf(Kind::StepStarted)) {
            for (const QJsonValue &t : e.data.value(u"targets"_s).toArray())
                chosen << t.toString();
        }
        QCOMPARE(chosen, (QStringList { u"checkout-1"_s, u"checkout-2"_s }));
        // Pass 3 found nothing: the two evicted pods are shutting down, their replacements starting.
        const auto finished = rig.eventsOf(Kind::StepFinished);
        QCOMPARE(finished.size(), 1);
        QVERIFY2(finished.front().detail.contains(u"done after 2 passes: nothing left that qualifies"_s),
            qPrintable(finished.front().detail));
    }
};

QTEST_GUILESS_MAIN(TestKubernetesRemediation)
#include "tst_kubernetesremediation.moc"

// The engine's workload remediations through the Kubernetes executor, against the
// FAKE API server (tests/connectors/support/fakekubernetes.h: no real cluster can run
// here). The simulator models pods more kindly than a cluster does; these runs meet
// what a cluster shows: revision history in ReplicaSets, a rollback that is one change
// to the whole deployment, spec.replicas apart from the pods listed during a rollout,
// evicted pods that stay listed while they terminate.
#include "connectors/kubernetes/kubernetesexecutor.h"
#include "fakekubernetes.h"
#include "tests/engine/doubles/runbookbuilder.h"
#include "tests/engine/doubles/testports.h"

#include "engine/pipeline/engine.h"
#include "engine/store/memorystore.h"

#include <QDateTime>
#include <QFile>
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
struct KubernetesRig {
    explicit KubernetesRig(int replicas)
        : fake(u"shop"_s, u"checkout"_s, replicas)
    {
        if (!fake.listen() || !dir.isValid())
            qFatal("the fake Kubernetes API could not start");
        QFile token(dir.filePath(u"token"_s));
        if (!token.open(QIODevice::WriteOnly))
            qFatal("cannot write the token file");
        token.write(fake.token().toUtf8());
        token.close();
        KubeAccess access;
        access.server = fake.url();
        access.tokenFile = dir.filePath(u"token"_s);
        access.describe = u"test service account"_s;
        KubernetesConfig config;
        config.ns = u"shop"_s;
        config.workloads.insert(u"checkout-svc"_s, KubernetesWorkload { u"checkout"_s, u"shop"_s });
        config.http.totalTimeout = Duration { 3'000 };
        config.http.maxAttempts = 1;
        kubernetes = std::make_unique<KubernetesExecutor>(config, access);
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

    // Fires the alert and runs the engine until its incident ends (or `limit` of virtual time passes).
    void runIncident(const Runbook &runbook, Duration limit = 10min)
    {
        engine->setRunbooks({ runbook });
        engine->start();
        alerts.fire(u"CheckoutBroken"_s, { { u"service"_s, u"checkout-svc"_s }, { u"severity"_s, u"critical"_s } });
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
        const Runbook rb = RunbookBuilder(u"deployment-rollback"_s)
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
};

QTEST_GUILESS_MAIN(TestKubernetesRemediation)
#include "tst_kubernetesremediation.moc"

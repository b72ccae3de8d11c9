#include "simrig.h"
#include "simulator/world/servicephysics.h"

using namespace antibody;
using namespace antibody::sim;
using namespace antibody::sim::test;

namespace {

// What the planner would pick for kill_idle: idle for over 5 minutes, oldest first, exporter excluded.
QStringList oldestIdle(Rig &rig, int count)
{
    QList<Target> qualifying;
    for (const Target &t : rig.targets(u"database"_s, u"connections"_s, u"orders-db"_s).members) {
        if (t.state == u"idle" && t.metrics.value(u"state_seconds"_s) > 300
            && t.labels.value(u"application"_s) != u"postgres_exporter")
            qualifying << t;
    }
    std::sort(qualifying.begin(), qualifying.end(), [](const Target &a, const Target &b) {
        return a.metrics.value(u"state_seconds"_s) > b.metrics.value(u"state_seconds"_s);
    });
    QStringList out;
    for (const Target &t : qualifying.mid(0, count))
        out << t.name;
    return out;
}

int exporterPid(Rig &rig)
{
    for (const DbSession &s : rig.fleet().database.sessions) {
        if (s.application == u"postgres_exporter")
            return s.pid;
    }
    return 0;
}

double checkoutErrors(Rig &rig)
{
    return rig.value(u"service:http_server_requests:error_ratio{service=\"checkout-svc\"}"_s);
}

const QStringList saturated { u"checkout-svc-1"_s, u"checkout-svc-2"_s, u"checkout-svc-3"_s };

} // namespace

class TestSimulatedActions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void restartHasAColdStartAndCostsCapacity()
    {
        Rig rig;
        rig.advance(1min);
        const double cpuBefore = rig.fleet().pod(u"checkout-svc-4")->figures.observedCpu;
        std::optional<ActionResult> result;
        rig.env.executor(u"workload"_s)
            ->execute(request(u"restart_pods"_s, u"checkout-svc"_s, { u"checkout-svc-5"_s },
                          { { u"only_unhealthy"_s, false } }),
                [&](const ActionResult &r) { result = r; });
        rig.advance(10s);
        QVERIFY(!result); // still in its cold start
        QCOMPARE(rig.fleet().pod(u"checkout-svc-5")->phase, PodPhase::Starting);
        rig.advance(5s);
        QCOMPARE(rig.value(u"kube_deployment_status_replicas_available{service=\"checkout-svc\"}"_s), 4.0);
        // The others carry its share meanwhile.
        QVERIFY(rig.fleet().pod(u"checkout-svc-4")->figures.observedCpu > cpuBefore + 0.05);
        QVERIFY(rig.runUntil([&] { return result.has_value(); }, 1min));
        QVERIFY2(result->ok, qPrintable(result->error));
        QCOMPARE(result->affected, QStringList { u"checkout-svc-5"_s });
        QCOMPARE(result->facts.value(u"restarted"_s).toInt(), 1);
        QCOMPARE(result->facts.value(u"healthy_after"_s).toInt(), 1);
        QVERIFY(result->detail.contains(u"cold start"_s));
        const Pod *pod = rig.fleet().pod(u"checkout-svc-5");
        QCOMPARE(pod->phase, PodPhase::Running);
        QVERIFY(warmFactor(*pod, rig.clock.now()) < 0.6); // ready, not yet warm
    }

    void aCrashLoopingPodComesBackCrashLooping()
    {
        Rig rig;
        rig.world().inject(Fault::crashLoop(
            u"checkout-svc"_s, { u"checkout-svc-3"_s }, u"exit code 1: PAYMENTS_API_URL missing"_s, 25s));
        rig.advance(2min);
        const ActionResult r
            = rig.execute(u"workload"_s, request(u"restart_pods"_s, u"checkout-svc"_s, { u"checkout-svc-3"_s }));
        QVERIFY(!r.ok);
        QVERIFY(!r.blocked); // the system did not refuse: the fix did not work
        QCOMPARE(r.facts.value(u"healthy_after"_s).toInt(), 0);
        QVERIFY2(r.error.contains(u"checkout-svc-3 crashed again"_s) && r.error.contains(u"PAYMENTS_API_URL"_s),
            qPrintable(r.error));
        QCOMPARE(rig.fleet().pod(u"checkout-svc-3")->phase, PodPhase::CrashLoop);
    }

    void onlyUnhealthySkipsHealthyPods()
    {
        Rig rig;
        rig.advance(30s);
        const ActionResult r
            = rig.execute(u"workload"_s, request(u"restart_pods"_s, u"checkout-svc"_s, { u"checkout-svc-2"_s }));
        QVERIFY(r.ok);
        QCOMPARE(r.facts.value(u"restarted"_s).toInt(), 0);
        QCOMPARE(rig.fleet().pod(u"checkout-svc-2")->phase, PodPhase::Running);
    }

    void disruptionBudgetRefusesTooManyRestarts()
    {
        Rig rig;
        rig.advance(30s);
        const ActionResult r = rig.execute(u"workload"_s,
            request(u"restart_pods"_s, u"checkout-svc"_s, saturated, { { u"only_unhealthy"_s, false } }));
        QVERIFY(!r.ok);
        QVERIFY(r.blocked);
        QVERIFY2(r.error.contains(u"PodDisruptionBudget"_s), qPrintable(r.error));
        for (const Pod *p : rig.fleet().podsOf(u"checkout-svc"))
            QCOMPARE(p->phase, PodPhase::Running);
    }

    void scaleOutWarmsUpBeforeItHelps()
    {
        Rig rig(4, *parseTime(u"2026-11-27T18:00:00Z"));
        rig.world().inject(Fault::trafficSpike(u"search-svc"_s, 1.8, 1min));
        rig.advance(3min);
        QVERIFY(rig.value(u"service:http_server_requests:error_ratio{service=\"search-svc\"}"_s) > 0.05);
        const ActionResult r = rig.execute(u"workload"_s, request(u"scale"_s, u"search-svc"_s, {}, { { u"by"_s, 2 } }));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.facts.value(u"replicas"_s).toInt(), 6);
        QCOMPARE(r.affected, (QStringList { u"search-svc-5"_s, u"search-svc-6"_s }));
        QVERIFY(r.detail.contains(u"warming up"_s));
        // Ready, but cold: slow start keeps their share small, and the overload is not over yet.
        QVERIFY(warmFactor(*rig.fleet().pod(u"search-svc-5"), rig.clock.now()) < 0.6);
        QVERIFY(rig.value(u"service:http_server_requests:error_ratio{service=\"search-svc\"}"_s) > 0.02);
        rig.advance(3min);
        QVERIFY(rig.value(u"service:http_server_requests:error_ratio{service=\"search-svc\"}"_s) < 0.01);
        QCOMPARE(rig.value(u"kube_deployment_spec_replicas{service=\"search-svc\"}"_s), 6.0);
    }

    void scaleTakesThePlannersStepAndHoldsItsBounds()
    {
        Rig rig;
        rig.advance(10s);
        ActionResult r = rig.execute(
            u"workload"_s, request(u"scale"_s, u"checkout-svc"_s, {}, { { u"replicas"_s, 7 }, { u"scale_to"_s, 6 } }));
        QVERIFY(r.ok);
        QCOMPARE(r.facts.value(u"replicas"_s).toInt(), 6);
        r = rig.execute(u"workload"_s, request(u"scale"_s, u"checkout-svc"_s, {}, { { u"by"_s, 1 }, { u"max"_s, 6 } }));
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(u"already has 6 replicas"_s), qPrintable(r.error));
        r = rig.execute(
            u"workload"_s, request(u"scale"_s, u"checkout-svc"_s, {}, { { u"by"_s, -2 }, { u"min"_s, 3 } }));
        QVERIFY(r.ok);
        rig.advance(10s);
        QCOMPARE(rig.value(u"kube_deployment_spec_replicas{service=\"checkout-svc\"}"_s), 4.0);
    }

    void killingIdleConnectionsFreesThePoolPassByPass()
    {
        // The seed's pool (docs/design.md, "Passes"): 15% per pass takes a 20-slot pool
        // from 95% to under 70% in 3 passes.
        Rig rig(3, *parseTime(u"2026-11-27T14:00:00Z"));
        rig.advance(10s);
        rig.world().inject(Fault::connectionLeak(u"orders-worker"_s, 2min, 9));
        rig.advance(20s);
        const int exporter = exporterPid(rig);
        QList<int> inUse { rig.fleet().database.inUse() };
        for (int pass = 1; pass <= 3; ++pass) {
            const ActionResult r = rig.execute(u"database"_s,
                request(
                    u"terminate_connections"_s, u"orders-db"_s, oldestIdle(rig, 2), { { u"older_than"_s, 300'000 } }));
            QVERIFY2(r.ok, qPrintable(r.error));
            QCOMPARE(r.facts.value(u"terminated"_s).toInt(), 2);
            inUse << rig.fleet().database.inUse();
            rig.advance(5s);
        }
        QCOMPARE(inUse, (QList<int> { 19, 17, 15, 13 }));
        QCOMPARE(rig.value(u"service:pg_connection_utilization:ratio"_s), 0.65);
        QCOMPARE(exporterPid(rig), exporter); // never touched
        // The leak is still there: the fix holds long enough to verify, then the pool creeps up again.
        rig.advance(2min);
        QCOMPARE(rig.fleet().database.inUse(), 14);
    }

    void terminationChecksEachSessionAgainAtTheKill()
    {
        Rig rig(3, *parseTime(u"2026-11-27T14:00:00Z"));
        rig.advance(10s);
        DbSession &worker = *std::find_if(rig.fleet().database.sessions.begin(), rig.fleet().database.sessions.end(),
            [](const DbSession &s) { return s.application == u"orders-worker"; });
        worker.state = u"active"_s;
        worker.stateSince = rig.clock.now() - 10min;
        const QString target = u"pid %1"_s.arg(worker.pid);
        const ActionResult r = rig.execute(u"database"_s,
            request(u"terminate_connections"_s, u"orders-db"_s, { target, u"pid 1"_s }, { { u"state"_s, u"idle"_s } }));
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(target + u" is active now"_s) && r.error.contains(u"pid 1 already gone"_s),
            qPrintable(r.error));
        QCOMPARE(r.facts.value(u"terminated"_s).toInt(), 0);
    }

    void killingTheExporterLeavesThePoolMetricsStale()
    {
        Rig rig(3, *parseTime(u"2026-11-27T14:00:00Z"));
        rig.advance(1min);
        rig.fleet().database.sessions.removeIf(
            [](const DbSession &s) { return s.application == u"postgres_exporter"; });
        const TimePoint killedAt = rig.clock.now();
        rig.advance(8s);
        const MetricResult stale = rig.query(u"service:pg_connection_utilization:ratio"_s);
        QCOMPARE(stale.samples.size(), 1);
        QVERIFY(stale.samples.front().at <= killedAt); // the newest is from before: freshness guards see its age
        rig.advance(15s);
        QVERIFY(rig.query(u"service:pg_connection_utilization:ratio"_s).samples.front().at
            > killedAt); // reconnected after 10 s
    }

    void resettingThePoolRelievesThePodsItTouches()
    {
        Rig rig;
        rig.advance(30s);
        rig.world().inject(Fault::poolSaturation(u"checkout-svc"_s, saturated, 5));
        rig.advance(3min);
        const ActionResult r = rig.execute(u"workload"_s,
            request(u"reset_connection_pool"_s, u"checkout-svc"_s, { u"checkout-svc-1"_s, u"checkout-svc-2"_s }));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.facts.value(u"reset"_s).toInt(), 2);
        QVERIFY2(r.detail.contains(u"released 10 stuck connections"_s), qPrintable(r.detail));
        rig.advance(1min);
        QVERIFY(rig.value(u"service_pod:container_cpu_usage:ratio{pod=\"checkout-svc-1\"}"_s) < 0.92);
        QVERIFY(rig.value(u"service_pod:container_cpu_usage:ratio{pod=\"checkout-svc-2\"}"_s) < 0.92);
        QVERIFY(rig.value(u"service_pod:container_cpu_usage:ratio{pod=\"checkout-svc-3\"}"_s)
            > 0.95); // untouched, still saturated
        // Scaling to 7 takes enough load off the third for its remaining slots to keep up.
        QVERIFY(rig.execute(u"workload"_s, request(u"scale"_s, u"checkout-svc"_s, {}, { { u"replicas"_s, 7 } })).ok);
        rig.advance(2min);
        QVERIFY(rig.value(u"service:http_server_request_duration_seconds:p99{service=\"checkout-svc\"}"_s) < 1.0);
        QVERIFY(checkoutErrors(rig) < 0.01);
    }

    // One change to the service, as on Kubernetes (review finding 1): its rollout then
    // replaces the pods one at a time, and the error rate falls as it goes.
    void rollbackRestoresTheErrorRateAsItRollsOut()
    {
        Rig rig(8, *parseTime(u"2026-11-27T15:00:00Z"));
        rig.world().inject(Fault::badDeploy(u"checkout-svc"_s, u"v2.15.0"_s, 0.12, 0.3, 0.7));
        QVERIFY(rig.runUntil([&] { return rig.service(u"checkout-svc"_s).rolloutTo.isEmpty(); }, 5min));
        rig.advance(2min);
        QVERIFY(checkoutErrors(rig) > 0.1);
        const Fleet planned = rig.targets(u"workload"_s, u"pods"_s, u"checkout-svc"_s);
        QVERIFY(planned.workload);
        QCOMPARE(planned.workload->revision.number, u"v2.15.0"_s);
        const ActionResult r = rig.execute(u"workload"_s,
            request(u"rollback_deployment"_s, u"checkout-svc"_s, {},
                { { pinned::rollbackFrom, u"v2.15.0"_s }, { pinned::rollbackTo, u"v2.14.0"_s } }));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.facts.value(u"revision"_s).toString(), u"v2.14.0"_s);
        QVERIFY2(
            r.detail.contains(u"from v2.15.0 to v2.14.0"_s) && r.detail.contains(u"replaces 5 pods one at a time"_s),
            qPrintable(r.detail));
        auto back = [&] {
            int n = 0;
            for (const Pod *p : rig.fleet().podsOf(u"checkout-svc"))
                n += p->version == u"v2.14.0"_s && p->ready() ? 1 : 0;
            return n;
        };
        rig.advance(40s);
        QVERIFY2(back() >= 1 && back() <= 3, qPrintable(QString::number(back()))); // one at a time, not all at once
        QVERIFY(rig.runUntil([&] { return rig.service(u"checkout-svc"_s).rolloutTo.isEmpty(); }, 5min));
        QCOMPARE(rig.service(u"checkout-svc"_s).currentVersion, u"v2.14.0"_s);
        QCOMPARE(rig.service(u"checkout-svc"_s).previousVersion, u"v2.15.0"_s);
        rig.advance(2min);
        QVERIFY(checkoutErrors(rig) < 0.01);
    }

    // As on Kubernetes: scale only from the count the plan read, by no more than its cap.
    void scaleRefusedWhenTheCountMovedOrOverTheCap()
    {
        Rig rig;
        const Fleet planned = rig.targets(u"workload"_s, u"replicas"_s, u"checkout-svc"_s);
        QVERIFY(planned.workload && planned.workload->replicas);
        const int have = *planned.workload->replicas;
        ActionResult r = rig.execute(u"workload"_s,
            request(u"scale"_s, u"checkout-svc"_s, {},
                { { u"by"_s, 1 }, { pinned::scaleFrom, have - 1 }, { pinned::scaleTo, have },
                    { pinned::capPerCycle, 1 } }));
        QVERIFY(r.blocked);
        QVERIFY2(r.error.contains(u"runs %1 replicas now, not the %2 the plan started from"_s.arg(have).arg(have - 1)),
            qPrintable(r.error));
        r = rig.execute(u"workload"_s,
            request(u"scale"_s, u"checkout-svc"_s, {},
                { { u"by"_s, 3 }, { pinned::scaleFrom, have }, { pinned::scaleTo, have + 3 },
                    { pinned::capPerCycle, 1 } }));
        QVERIFY(r.blocked);
        QVERIFY2(r.error.contains(u"over the cap of 1"_s), qPrintable(r.error));
        QCOMPARE(*rig.targets(u"workload"_s, u"replicas"_s, u"checkout-svc"_s).workload->replicas, have);
    }

    // A plan made on v2.15.0 does not roll back a service that has moved on since.
    void rollbackRefusedWhenTheServiceLeftThePlannedRevision()
    {
        Rig rig(8, *parseTime(u"2026-11-27T15:00:00Z"));
        rig.world().inject(Fault::badDeploy(u"checkout-svc"_s, u"v2.15.0"_s, 0.12, 0.3, 0.7));
        QVERIFY(rig.runUntil([&] { return rig.service(u"checkout-svc"_s).rolloutTo.isEmpty(); }, 5min));
        const ActionResult r = rig.execute(u"workload"_s,
            request(u"rollback_deployment"_s, u"checkout-svc"_s, {},
                { { pinned::rollbackFrom, u"v2.14.0"_s }, { pinned::rollbackTo, u"v2.13.0"_s } }));
        QVERIFY(!r.ok);
        QVERIFY(r.blocked);
        QVERIFY2(r.error.contains(u"is on revision v2.15.0 now, not on revision v2.14.0"_s), qPrintable(r.error));
        QCOMPARE(rig.service(u"checkout-svc"_s).currentVersion, u"v2.15.0"_s);
        QVERIFY(rig.service(u"checkout-svc"_s).rolloutTo.isEmpty());
    }

    void renewalExtendsExpiry()
    {
        Rig rig;
        rig.world().inject(Fault::certificateExpiry(u"api.example.com"_s, 6 * 24h));
        rig.advance(10s);
        QVERIFY(rig.firing(u"BlackboxSslCertificateWillExpireSoon"_s));
        const ActionResult r = rig.execute(u"certificates"_s,
            request(u"renew_certificate"_s, u"api-gateway"_s, { u"api.example.com"_s, u"checkout.example.com"_s }));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.affected, QStringList { u"api.example.com"_s });
        QCOMPARE(r.facts.value(u"renewed"_s).toInt(), 1);
        QCOMPARE(r.facts.value(u"days_left"_s).toDouble(), 90.0);
        QVERIFY(r.detail.contains(u"not due: checkout.example.com"_s));
        rig.advance(10s);
        QVERIFY(!rig.firing(u"BlackboxSslCertificateWillExpireSoon"_s));
    }

    void aRefusingIssuerFailsTheRenewalVisibly()
    {
        Rig rig;
        rig.world().inject(Fault::certificateExpiry(
            u"api.example.com"_s, 3 * 24h, u"rateLimited: too many certificates already issued"_s));
        const ActionResult r = rig.execute(
            u"certificates"_s, request(u"renew_certificate"_s, u"api-gateway"_s, { u"api.example.com"_s }));
        QVERIFY(!r.ok);
        QVERIFY2(
            r.error.contains(u"letsencrypt refused the order for api.example.com: rateLimited"_s), qPrintable(r.error));
        QVERIFY(rig.fleet().certificate(u"api.example.com")->notAfter < rig.clock.now() + 4 * 24h);
    }

    void failoverIsRefusedWhileReplicasLag()
    {
        Rig rig;
        rig.world().inject(Fault::replicationLag(u"orders-db-replica-1"_s, 38));
        rig.world().inject(Fault::replicationLag(u"orders-db-replica-2"_s, 52));
        rig.advance(2min);
        rig.world().inject(Fault::primaryDown(u"storage stopped answering"_s));
        rig.advance(1min);
        ActionResult r
            = rig.execute(u"database"_s, request(u"failover_database"_s, u"orders-db"_s, { u"orders-db-replica-1"_s }));
        QVERIFY(!r.ok);
        QVERIFY(r.blocked); // refused by the system, not a failed fix
        QVERIFY2(r.error.contains(u"orders-db-replica-1 is 3"_s)
                && r.error.contains(u"behind the primary (the bound is 5s)"_s),
            qPrintable(r.error));
        QVERIFY(checkoutErrors(rig) > 0.5); // writes fail while nobody is primary

        // Once a replica has caught up, the same failover goes through.
        rig.fleet().database.instances[1].lagSeconds = 0.8;
        r = rig.execute(u"database"_s, request(u"failover_database"_s, u"orders-db"_s, { u"orders-db-replica-1"_s }));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.facts.value(u"primary"_s).toString(), u"orders-db-replica-1"_s);
        rig.advance(2min);
        QCOMPARE(rig.fleet().database.primary()->name, u"orders-db-replica-1"_s);
        QVERIFY(checkoutErrors(rig) < 0.02);
    }

    void regionFailoverDrainsTheRegion()
    {
        Rig rig(6, *parseTime(u"2026-11-27T13:00:00Z"));
        rig.world().inject(Fault::regionDegraded(u"us-east-1"_s, 0.35, 0.4));
        rig.advance(3min);
        QVERIFY(rig.value(u"service:http_server_requests:error_ratio{service=\"api-gateway\"}"_s) > 0.1);
        const ActionResult r = rig.execute(u"traffic"_s,
            request(u"failover_region"_s, u"api-gateway"_s, { u"us-east-1"_s }, { { u"from"_s, u"us-east-1"_s } }));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.facts.value(u"serving_region"_s).toString(), u"eu-west-1"_s);
        QCOMPARE(rig.fleet().region(u"us-east-1")->state, u"drained"_s);
        rig.advance(2min);
        QVERIFY(rig.value(u"service:http_server_requests:error_ratio{service=\"api-gateway\"}"_s) < 0.02);
        // Nowhere left to go.
        const ActionResult again = rig.execute(
            u"traffic"_s, request(u"failover_region"_s, u"api-gateway"_s, {}, { { u"from"_s, u"eu-west-1"_s } }));
        QVERIFY(again.blocked);
    }

    void isolationKeepsTheEvidenceTerminationDestroysIt()
    {
        Rig rig;
        rig.world().inject(Fault::securitySignal(u"worker-3"_s, u"outbound to 185.220.101.4"_s));
        ActionResult r = rig.execute(u"hosts"_s, request(u"isolate_host"_s, u"checkout-svc"_s, { u"worker-3"_s }));
        QVERIFY(r.ok);
        QCOMPARE(r.facts.value(u"isolated"_s).toInt(), 1);
        QCOMPARE(rig.fleet().host(u"worker-3")->state, u"isolated"_s);
        QVERIFY(rig.fleet().evidenceLost.isEmpty());
        rig.advance(30s);
        QCOMPARE(rig.fleet().pod(u"checkout-svc-2")->figures.offered, 0.0); // out of load balancing, still running
        QCOMPARE(rig.fleet().pod(u"checkout-svc-2")->phase, PodPhase::Running);
        r = rig.execute(u"hosts"_s, request(u"terminate_host"_s, u"checkout-svc"_s, { u"worker-3"_s }));
        QVERIFY(r.ok);
        QCOMPARE(rig.fleet().evidenceLost.size(), 1);
        QVERIFY(rig.fleet().evidenceLost.front().contains(u"terminated worker-3"_s));
    }

    void restartingOnACompromisedHostLosesEvidence()
    {
        Rig rig;
        rig.world().inject(Fault::securitySignal(u"worker-3"_s, u"outbound to 185.220.101.4"_s));
        QVERIFY(rig.execute(u"workload"_s,
                       request(u"restart_pods"_s, u"checkout-svc"_s, { u"checkout-svc-2"_s },
                           { { u"only_unhealthy"_s, false } }))
                    .ok);
        QCOMPARE(rig.fleet().evidenceLost.size(), 1);
        QVERIFY(rig.fleet().evidenceLost.front().contains(u"restarted checkout-svc-2 on compromised worker-3"_s));
    }

    void commandsFailVisibly()
    {
        Rig rig;
        const ActionResult r = rig.execute(u"command"_s,
            request(u"run_command"_s, u"checkout-svc"_s, { u"worker-1"_s },
                { { u"argv"_s, QStringList { u"systemctl"_s, u"restart"_s, u"x"_s } } }));
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(u"[systemctl, restart, x] was not run"_s), qPrintable(r.error));
    }

    void unknownTargetsFailWithWhatExists()
    {
        Rig rig;
        ActionResult r
            = rig.execute(u"workload"_s, request(u"restart_pods"_s, u"checkout-svc"_s, { u"checkout-svc-9"_s }));
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(u"checkout-svc has no pod named 'checkout-svc-9' (it has checkout-svc-1,"_s),
            qPrintable(r.error));
        r = rig.execute(u"workload"_s, request(u"restart_pods"_s, u"orders-db"_s, {}));
        QVERIFY(r.error.contains(u"not a service with pods"_s));
        r = rig.execute(u"database"_s, request(u"failover_database"_s, u"checkout-svc"_s, {}));
        QVERIFY(r.error.contains(u"the database is orders-db"_s));
        r = rig.execute(u"workload"_s, request(u"renew_certificate"_s, u"checkout-svc"_s, {}));
        QVERIFY2(r.error.contains(u"does not run 'renew_certificate'"_s), qPrintable(r.error));
    }

    void diagnosticsNameTheCause_data()
    {
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("cause");
        QTest::addRow("leak") << u"orders-db"_s << u"leak"_s;
        QTest::addRow("saturated pools") << u"checkout-svc"_s << u"pool_saturation"_s;
        QTest::addRow("crash loop") << u"payments-svc"_s << u"crash_loop"_s;
        QTest::addRow("spike") << u"search-svc"_s << u"traffic_spike"_s;
        QTest::addRow("nothing wrong") << u"catalog-svc"_s << u"unknown"_s;
    }
    void diagnosticsNameTheCause()
    {
        QFETCH(QString, service);
        QFETCH(QString, cause);
        Rig rig;
        rig.world().inject(Fault::connectionLeak(u"orders-worker"_s, 10min, 9));
        rig.world().inject(Fault::poolSaturation(u"checkout-svc"_s, saturated, 5));
        rig.world().inject(Fault::crashLoop(u"payments-svc"_s, { u"payments-svc-1"_s }, u"OOMKilled"_s, 25s));
        rig.world().inject(Fault::trafficSpike(u"search-svc"_s, 1.6, 30s));
        rig.advance(3min);
        const ActionResult r = rig.execute(u"diagnostics"_s, request(u"collect_diagnostics"_s, service));
        QVERIFY(r.ok);
        QCOMPARE(r.facts.value(u"cause"_s).toString(), cause);
        QVERIFY2(r.detail.startsWith(u"cause "_s + cause + u": "_s), qPrintable(r.detail));
        for (const QString &fact : { u"unhealthy_targets"_s, u"replication_lag_seconds"_s, u"pool_utilization"_s })
            QVERIFY2(r.facts.contains(fact), qPrintable(fact));
    }
};

QTEST_GUILESS_MAIN(TestSimulatedActions)
#include "tst_simulatedactions.moc"

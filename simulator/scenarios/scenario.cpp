#include "simulator/scenarios/scenario.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {
namespace {

QList<Scenario> build()
{
    QList<Scenario> s;
    s << Scenario { u"connection-pool-exhaustion"_s,
        u"orders-db's pool fills with sessions orders-worker forgets; killing idle ones (15% a pass) fixes it, no human"_s,
        4711, u"2026-11-27T14:00:00Z"_s, 10min, { { 10s, Fault::connectionLeak(u"orders-worker"_s, 2min, 9) } },
        { u"resolved"_s, 45s, { u"terminate_connections"_s }, { u"restart_pods"_s, u"failover_database"_s }, true,
            u"detected at 95%, diagnosed as a leak, 19 -> 17 -> 15 -> 13 connections in three passes, verified under "
            u"70%, "
            u"on-call notified after"_s } };
    s << Scenario { u"checkout-cpu-saturation"_s,
        u"3 of 5 checkout-svc pods pin their CPU on saturated pools at the evening peak: p99 4.2 s, 8.3% errors"_s,
        2808, u"2026-11-27T19:30:00Z"_s, 20min,
        { { 30s,
            Fault::poolSaturation(
                u"checkout-svc"_s, { u"checkout-svc-1"_s, u"checkout-svc-2"_s, u"checkout-svc-3"_s }, 5) } },
        { u"resolved"_s, 4min, { u"reset_connection_pool"_s, u"scale"_s }, { u"restart_pods"_s }, true,
            u"root cause a saturated pool; reset the pool on 2 of 5 pods (cap 2 per cycle), scale to 7, resolved in "
            u"under "
            u"4 minutes with no human (the manual baseline is about 28)"_s } };
    s << Scenario { u"crashloop-restart-fails"_s,
        u"checkout-svc-3 crash-loops on a broken config; restarts cannot fix it, the breaker opens after 3 and pages a human"_s,
        303, u"2026-11-27T14:00:00Z"_s, 30min,
        { { 10s,
            Fault::crashLoop(u"checkout-svc"_s, { u"checkout-svc-3"_s },
                u"exit code 1: PAYMENTS_API_URL missing from the config map"_s, 25s) } },
        { u"escalated"_s, std::nullopt, { u"restart_pods"_s }, {}, true,
            u"three automated restarts fail within 10 minutes, the breaker opens, no fourth restart, a human is paged "
            u"with "
            u"diagnostics"_s } };
    // The cause is in the pod this time: a restart is a new pod (as an eviction makes one on
    // Kubernetes), which starts clean. Crashes 5 s after each start: the third restart
    // within 10 minutes comes about 80 s after the fault.
    s << Scenario { u"crashloop-restart-heals"_s,
        u"checkout-svc-2 crash-loops on a corrupt cache in its emptyDir; a restart gives it a clean pod, no human"_s,
        404, u"2026-11-27T14:00:00Z"_s, 15min,
        { { 10s,
            Fault::crashLoopInPod(u"checkout-svc"_s, { u"checkout-svc-2"_s },
                u"exit code 2: index cache checksum mismatch in /cache (emptyDir)"_s, 5s) } },
        { u"resolved"_s, 3min, { u"restart_pods"_s }, { u"scale"_s, u"rollback_deployment"_s }, true,
            u"three restarts within 10 minutes fire KubePodCrashLooping; the runbook restarts the one unhealthy pod "
            u"(cap 1 of 5), its new pod starts clean, resolved with nobody paged"_s } };
    s << Scenario { u"bad-deploy-rollback"_s,
        u"checkout-svc rolls out v2.15.0, which fails 12% of requests and loses orders; roll back once the gates fail"_s,
        1520, u"2026-11-27T15:00:00Z"_s, 30min,
        { { 30s, Fault::badDeploy(u"checkout-svc"_s, u"v2.15.0"_s, 0.12, 0.3, 0.7) } },
        { u"resolved"_s, 10min, { u"rollback_deployment"_s }, { u"restart_pods"_s }, true,
            u"error rate, 5xx and orders per minute fail their gates after the rollout; diagnosis names the deploy; "
            u"the "
            u"rollback restores v2.14.0 pod by pod and the error rate with it"_s } };
    s << Scenario { u"traffic-spike-scale"_s,
        u"search-svc load climbs to 1.8x at the evening peak; composite scaling adds a pod at a time until it holds"_s,
        1800, u"2026-11-27T18:00:00Z"_s, 40min, { { 30s, Fault::trafficSpike(u"search-svc"_s, 1.8, 2min) } },
        { u"resolved"_s, 15min, { u"scale"_s }, { u"restart_pods"_s }, true,
            u"CPU, queue depth or p99 over threshold scales out by one, then a 5-minute cooldown, until all are back; "
            u"new "
            u"pods warm up before they help"_s } };
    s << Scenario { u"traffic-ebb-scale-in"_s,
        u"a campaign ends and search-svc's load falls to 0.4x; composite scaling removes one idle pod, never below 2"_s,
        2100, u"2026-11-27T21:00:00Z"_s, 40min, { { 30s, Fault::trafficSpike(u"search-svc"_s, 0.4, 5min) } },
        { u"resolved"_s, 5min, { u"scale"_s }, { u"restart_pods"_s }, true,
            u"CPU, queue depth and p99 all stay low for 10 minutes: scale in by one pod, then a 5-minute cooldown; "
            u"scale-out stays quiet"_s } };
    s << Scenario { u"cert-expiry"_s, u"api.example.com's renewal job broke: 6 days left; renew it before it expires"_s,
        1400, u"2026-11-27T10:00:00Z"_s, 10min, { { 10s, Fault::certificateExpiry(u"api.example.com"_s, 6 * 24h) } },
        { u"resolved"_s, 2min, { u"renew_certificate"_s }, {}, true,
            u"the expiry alert fires, the certificate is renewed for 90 days, the alert resolves"_s } };
    s << Scenario {
        u"data-corruption"_s,
        u"orders-db pages fail their checksums: nothing destructive runs, state is preserved, a human is paged"_s, 404,
        u"2026-11-27T03:04:00Z"_s, 15min,
        { { 10s,
            Fault::dataCorruption(u"3 pages of the orders table fail checksums after a storage firmware update"_s) } },
        { u"escalated"_s, std::nullopt, {},
            { u"restart_pods"_s, u"failover_database"_s, u"terminate_connections"_s, u"terminate_host"_s }, true,
            u"the data-corruption guard blocks every automated action; diagnostics are collected and a human is paged"_s }
    };
    s << Scenario { u"security-incident"_s,
        u"unexpected outbound connections from worker-3: isolate it only with approval, never destroy the evidence"_s,
        230, u"2026-11-27T02:30:00Z"_s, 15min,
        { { 10s,
            Fault::securitySignal(
                u"worker-3"_s, u"a process not in the image connects out to 185.220.101.4:4444"_s) } },
        { u"escalated"_s, std::nullopt, {}, { u"terminate_host"_s, u"restart_pods"_s, u"rollback_deployment"_s }, true,
            u"the security guard blocks automation on every service the host runs; isolation waits for a human; "
            u"nothing is "
            u"restarted or terminated"_s } };
    s << Scenario { u"unknown-cascade"_s,
        u"search-svc and catalog-svc fail together and the gateway with them, for a reason no runbook knows"_s, 1600,
        u"2026-11-27T16:00:00Z"_s, 15min,
        { { 10s,
            Fault::unknownCascade(
                { u"search-svc"_s, u"catalog-svc"_s }, 0.22, 1.2, u"the cluster DNS resolver drops 1 query in 4"_s) } },
        { u"escalated"_s, std::nullopt, {}, { u"restart_pods"_s, u"scale"_s, u"rollback_deployment"_s }, true,
            u"the unknown-cascade guard stops restarts that would add cold starts to the failure; a human is paged "
            u"with the "
            u"diagnostics of every failing service"_s } };
    s << Scenario { u"db-failover-replication-lag"_s,
        u"orders-db's primary dies while its replicas lag 38-52 s: failover waits for approval and is refused while lag is high"_s,
        1100, u"2026-11-27T11:00:00Z"_s, 20min,
        { { 10s, Fault::replicationLag(u"orders-db-replica-1"_s, 38) },
            { 10s, Fault::replicationLag(u"orders-db-replica-2"_s, 52) },
            { 3min, Fault::primaryDown(u"its storage stopped answering"_s) } },
        { u"escalated"_s, std::nullopt, {}, {}, true,
            u"failover needs a human's approval at every level; approved or not, it is refused while the best replica "
            u"is "
            u"38 s behind (bound 5 s), and a human decides"_s } };
    s << Scenario {
        u"payments-in-flight"_s,
        u"the payment provider hangs with transactions in flight: drain, never replay, a human decides"_s, 2010,
        u"2026-11-27T20:10:00Z"_s, 15min,
        { { 10s, Fault::paymentsInFlight(u"the provider's API accepts connections and never answers"_s) } },
        { u"escalated"_s, std::nullopt, {}, { u"replay_transactions"_s, u"restart_pods"_s }, true,
            u"the in-flight guard blocks restarts and replays that could charge customers twice; a human is paged"_s }
    };
    s << Scenario { u"region-degraded"_s,
        u"us-east-1 starts failing a third of its requests: shift its traffic to eu-west-1, with a human's approval"_s,
        1300, u"2026-11-27T13:00:00Z"_s, 20min, { { 10s, Fault::regionDegraded(u"us-east-1"_s, 0.35, 0.4) } },
        { u"resolved"_s, 10min, { u"failover_region"_s }, { u"restart_pods"_s }, true,
            u"region failover waits for approval, then drains us-east-1 over 30 s; eu-west-1 absorbs the load"_s } };
    return s;
}

} // namespace

TimePoint Scenario::start() const
{
    return parseTime(startsAt).value_or(fromMillis(0));
}

const QList<Scenario> &scenarios()
{
    static const QList<Scenario> list = build();
    return list;
}

QStringList faultNames()
{
    QStringList out;
    for (const Scenario &s : scenarios()) {
        for (const Scenario::Step &step : s.script) {
            if (!out.contains(step.fault.kindName()))
                out << step.fault.kindName();
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

const Scenario *scenarioForFault(QStringView faultName)
{
    for (const Scenario &s : scenarios()) {
        for (const Scenario::Step &step : s.script) {
            if (step.fault.kindName() == faultName)
                return &s;
        }
    }
    return nullptr;
}

const Scenario *findScenario(QStringView name)
{
    for (const Scenario &s : scenarios()) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

} // namespace antibody::sim

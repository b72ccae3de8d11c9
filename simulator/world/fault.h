#pragma once

#include "simulator/world/fleet.h"

#include <QStringList>

namespace antibody::sim {

// Something going wrong in the fleet. Scenarios are scripts of these; tests and
// drills inject them directly. Each is made by one of the named constructors,
// which say what the fields mean for that kind.
struct Fault
{
    enum class Kind {
        ConnectionLeak,
        PoolSaturation,
        TrafficSpike,
        CrashLoop,
        BadDeploy,
        CertificateExpiry,
        ReplicationLag,
        PrimaryDown,
        RegionDegraded,
        DataCorruption,
        SecuritySignal,
        UnknownCascade,
        PaymentsInFlight,
    };

    Kind kind = Kind::ConnectionLeak;
    QString target; // the application, service, certificate, replica, region or host it hits
    QStringList others; // pods (saturation, crash loop) or services (cascade)
    double magnitude = 0;
    double secondary = 0;
    Duration period { 0 };
    QString text; // a version, a reason, what a human would find

    // An application opens a session every `interval` and never closes it; `backlog` are already leaked, spaced by
    // `interval`.
    static Fault connectionLeak(QString application, Duration interval, int backlog);
    // `stuckSlots` of each pod's client pool are held by hung requests until the pool is reset or the pod restarts.
    static Fault poolSaturation(QString service, QStringList pods, int stuckSlots);
    // Load moves to `multiplier` times normal over `ramp` (1.0 ends a spike).
    static Fault trafficSpike(QString service, double multiplier, Duration ramp);
    // Every start of these pods dies `after` it began, for `reason`; restarts do not help. An empty reason heals.
    static Fault crashLoop(QString service, QStringList pods, QString reason, Duration after);
    // As crashLoop, but the cause lives in the pod (a corrupt cache on its emptyDir volume):
    // the kubelet's restarts keep it, a restart by an action (a new pod) heals it.
    static Fault crashLoopInPod(QString service, QStringList pods, QString reason, Duration after);
    // A rollout of `version`, which fails `errorRate` more requests, adds latency and loses orders.
    static Fault badDeploy(QString service, QString version, double errorRate, double addedLatency, double orderFactor);
    // The certificate now expires `left` from now; a non-empty `issuerFailure` makes renewals fail with it.
    static Fault certificateExpiry(QString certificate, Duration left, QString issuerFailure = {});
    // The replica falls behind towards `seconds` of lag (0 lets it catch up).
    static Fault replicationLag(QString replica, double seconds);
    static Fault primaryDown(QString reason);
    static Fault regionDegraded(QString region, double errorRate, double addedLatency);
    static Fault dataCorruption(QString detail);
    static Fault securitySignal(QString host, QString detail);
    // Services failing with no cause anyone has a runbook for.
    static Fault unknownCascade(QStringList services, double errorRate, double addedLatency, QString hiddenCause);
    // The payment provider stops answering: payments hang, in flight.
    static Fault paymentsInFlight(QString detail);

    QString kindName() const;
    // One line: "connection leak: orders-worker forgets a session every 2m (10 leaked already)".
    QString describe() const;
};

// Applies the fault to the fleet as of `now`.
void applyFault(FleetState &fleet, TimePoint now, const Fault &fault);

} // namespace antibody::sim

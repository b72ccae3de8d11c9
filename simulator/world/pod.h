#pragma once

#include "engine/core/time.h"

#include <QList>
#include <QString>
#include <optional>

namespace antibody::sim {

enum class PodPhase { Running, Starting, CrashLoop, Terminating };
QString podPhaseText(PodPhase phase); // running, starting, crashloop, terminating

// What one pod did during the last tick.
struct PodFigures
{
    double offered = 0; // requests/s routed to it
    double served = 0; // requests/s it answered (successfully or not)
    double timedOut = 0; // requests/s that waited past the timeout
    double cpu = 0; // fraction
    double observedCpu = 0; // as monitoring reports it: averaged over the last half minute
    double shift = 0; // latency every request pays: service time plus queueing, seconds
    double spread = 0; // mean of the exponential tail on top of `shift`, seconds
    double p99 = 0; // seconds
    double poolUtilization = 0;
};

// One pod of a service: where it runs, its phase (podlifecycle moves it through
// them), and the faults and actions in progress on it.
struct Pod
{
    QString name; // checkout-svc-3
    QString service;
    QString zone;
    QString region;
    QString host;
    QString version;
    PodPhase phase = PodPhase::Running;
    TimePoint phaseSince;
    TimePoint phaseEnds; // Starting: cold start over; Terminating: gone; CrashLoop: next start
    TimePoint readySince; // warm-up runs from here
    TimePoint startedAt; // the process's start: a crash-looping pod dies `crashAfter` later
    int stuckSlots = 0; // client-pool slots held by hung requests (the pool-saturation fault)
    double queue = 0; // requests waiting
    QList<TimePoint> restarts; // starts after a crash or a restart, kept for 10 minutes
    int restartCount = 0; // every one of them: kube_pod_container_status_restarts_total
    std::optional<Duration> crashAfter; // the crash-loop fault: every start dies this long after it
    QString crashReason;
    // The crash's cause lives in the pod (a corrupt cache on its emptyDir volume): the
    // kubelet's restarts keep it, a new pod (a restart by an action, an eviction) starts clean.
    bool crashCauseInPod = false;
    TimePoint createdAt; // the pod object's creation: a restart keeps it, a replacement is new
    Duration backoff { 0 }; // CrashLoopBackOff: 10 s, doubling to 5 min
    bool vanishOnTermination = false; // scale-in: the pod is removed instead of started again
    QString nextVersion; // the version a restart comes back with (rollout, rollback)
    std::optional<TimePoint> drainingUntil; // reset_connection_pool in progress
    PodFigures figures;

    bool startedAfterCrash = false; // this start is the kubelet's, after a crash: the loop goes on

    bool ready() const { return phase == PodPhase::Running; }
    // Crashed, backing off, or briefly up between crashes: what `kubectl get pods` shows as CrashLoopBackOff.
    bool inCrashLoop() const { return phase == PodPhase::CrashLoop || startedAfterCrash; }
    bool healthy() const { return !inCrashLoop(); }
};

} // namespace antibody::sim

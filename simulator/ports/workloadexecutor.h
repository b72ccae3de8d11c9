#pragma once

#include "simulator/ports/simulatedexecutor.h"

namespace antibody::sim {

struct Pod;
struct Service;

// The workload family on the simulated fleet: restart_pods (a cold start per
// pod; a crash-looping pod comes back crash-looping), scale (new pods warm up
// before they carry their share), reset_connection_pool (releases the stuck
// slots of a pod's client pool) and rollback_deployment (one change to the service,
// whose rollout then replaces the pods one at a time, as on Kubernetes).
class WorkloadExecutor : public SimulatedExecutor
{
public:
    explicit WorkloadExecutor(World &world);

protected:
    void run(const ActionRequest &request, Done done) override;

private:
    void restart(const ActionRequest &request, Service &svc, Done done);
    void scale(const ActionRequest &request, Service &svc, Done done);
    void resetPool(const ActionRequest &request, Service &svc, Done done);
    void rollback(const ActionRequest &request, Service &svc, Done done);

    // The named targets as pods of `svc`, or the first name that is not one.
    QList<Pod *> resolve(const ActionRequest &request, const Service &svc, QString *error);
    // Waits until each pod restarted at `since` is ready or has crashed again.
    void awaitStarts(const QStringList &pods, TimePoint since, const QString &action,
        std::function<ActionResult(const QStringList &ready, const QStringList &crashed)> report, Done done);
    void noteEvidence(const Pod &pod, const QString &what);
};

} // namespace antibody::sim

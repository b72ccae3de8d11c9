#pragma once

#include "engine/core/labels.h"
#include "engine/core/time.h"
#include "engine/ports/workloadstate.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariantMap>
#include <functional>
#include <optional>

namespace antibody {

// One member of a fleet: a pod, a connection, a region, a host, a certificate...
struct Target
{
    QString name; // unique within the fleet: "checkout-svc-7d9f-2", "pid 4711", "eu-west-1"
    Labels labels; // zone, region, version, state, application...
    QString state; // "running", "idle", "crashloop", "serving"...
    QMap<QString, double> metrics; // per-target figures a `where:` filter reads: cpu, idle_seconds...
    bool healthy = true;
};

struct TargetQuery
{
    QString action; // the catalog action the step runs
    QString dimension; // pods, connections, regions, ...
    QString service; // fleet scope
    QVariantMap params;
};

// A fleet as seen right now, for blast-radius planning.
struct Fleet
{
    bool ok = false;
    QString error;
    QString dimension;
    QString scope;
    QList<Target> members;
    TimePoint observedAt;
    std::optional<WorkloadState> workload; // workload fleets: the deployment itself, where the executor reads it
};

struct ActionRequest
{
    QString executionId; // unique per execution; idempotency key for executors that support one
    QString incidentId;
    QString step;
    QString action;
    QString service;
    QVariantMap params; // normalized parameter values (durations in ms, percents as fractions)
    QStringList targets; // names chosen by the planner, never more than the cap allows
    int pass = 1;
};

struct ActionResult
{
    bool ok = false;
    bool blocked
        = false; // refused by the system itself (a PodDisruptionBudget, a lagging replica): not a failure of the fix
    QString error; // what went wrong, for a human
    QStringList affected; // the targets actually touched
    QVariantMap facts; // published for later conditions: terminated, replicas, revision...
    QString detail; // one line for the timeline
};

// Port: runs the actions of one family (workload, database, certificates,
// traffic, hosts, command, diagnostics). Lives on the engine's thread; `done`
// runs there too and never inside the call that asked.
class ActionExecutor
{
public:
    virtual ~ActionExecutor();
    virtual QString family() const = 0;
    virtual QStringList actions() const = 0;
    // The fleet a step would act on, read-only.
    virtual void fleet(const TargetQuery &query, std::function<void(const Fleet &)> done) = 0;
    virtual void execute(const ActionRequest &request, std::function<void(const ActionResult &)> done) = 0;
};

} // namespace antibody

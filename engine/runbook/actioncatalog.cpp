#include "engine/runbook/actioncatalog.h"

#include "engine/domain/outcome.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

ParamSpec param(QString name, ParamType type, QString defaultValue, QString description, QString unit = {})
{
    return ParamSpec { std::move(name), type, false, std::move(defaultValue), std::move(unit), {},
        std::move(description) };
}

ParamSpec required(QString name, ParamType type, QString description, QString unit = {})
{
    return ParamSpec { std::move(name), type, true, {}, std::move(unit), {}, std::move(description) };
}

ParamSpec choice(QString name, QStringList values, QString defaultValue, QString description)
{
    return ParamSpec { std::move(name), ParamType::Enum, defaultValue.isEmpty(), std::move(defaultValue), {},
        std::move(values), std::move(description) };
}

FactSpec number(QString name, QString description)
{
    return FactSpec { std::move(name), ParamType::Number, {}, std::move(description) };
}

QList<ActionSpec> buildCatalog()
{
    const QStringList causes { u"leak"_s, u"traffic_spike"_s, u"slow_queries"_s, u"pool_saturation"_s, u"crash_loop"_s,
        u"bad_deploy"_s, u"resource_pressure"_s, u"unknown"_s };
    const QStringList severities { u"critical"_s, u"high"_s, u"medium"_s, u"low"_s, u"info"_s };

    QList<ActionSpec> c;
    c << ActionSpec {
        u"query_metrics"_s,
        u"metrics"_s,
        Tier::Safe,
        Effect::ReadOnly,
        {},
        Duration { 30'000 },
        { required(u"metric"_s, ParamType::Metric,
              u"The metric to read: a name with optional label matchers, or PromQL on a Prometheus source."_s),
            param(u"window"_s, ParamType::Duration, u"5m"_s, u"How far back to read."_s, u"duration"_s) },
        {},
        { number(u"value"_s, u"The latest sample."_s), number(u"avg"_s, u"Average over the window."_s),
            number(u"max"_s, u"Maximum over the window."_s), number(u"min"_s, u"Minimum over the window."_s),
            number(u"age_seconds"_s, u"Age of the latest sample when read."_s) },
        u"Reads a metric over a window and attaches the series to the incident's diagnostics. Changes nothing."_s,
    };
    c << ActionSpec {
        u"collect_diagnostics"_s,
        u"diagnostics"_s,
        Tier::Safe,
        Effect::ReadOnly,
        {},
        Duration { 60'000 },
        { ParamSpec { u"checks"_s, ParamType::StringList, false,
            u"[pool, slow_queries, traffic, memory, downstream, deploys]"_s, {},
            { u"pool"_s, u"slow_queries"_s, u"traffic"_s, u"memory"_s, u"downstream"_s, u"deploys"_s, u"replication"_s,
                u"health"_s },
            u"Which checks to run; each adds its findings to the diagnostics bundle."_s } },
        {},
        { FactSpec { u"cause"_s, ParamType::String, causes, u"The most likely cause the checks point to."_s },
            number(u"pool_utilization"_s, u"Connection pool in use, as a fraction of its size."_s),
            number(u"idle_connections"_s, u"Idle connections in the pool."_s),
            number(u"idle_ratio"_s, u"Idle connections as a fraction of those in use."_s),
            number(u"long_running_queries"_s, u"Queries running longer than 30 s."_s),
            number(u"traffic_ratio"_s, u"Request rate against its usual level (1.0 = normal)."_s),
            number(u"unhealthy_targets"_s, u"Targets failing health checks."_s),
            number(u"replication_lag_seconds"_s, u"Replication lag of the database's replicas."_s),
            number(u"restarts_recent"_s, u"Restarts in the last 10 minutes."_s),
            FactSpec { u"recent_deploy"_s, ParamType::Bool, {}, u"A deploy finished in the last 30 minutes."_s } },
        u"Collects the evidence a human would look at first (pool state, slow queries, traffic against baseline, "
        u"memory and GC pressure, downstream latency, recent deploys) into the incident's diagnostics bundle and "
        u"names the most likely cause, so later steps can branch on it. Changes nothing."_s,
    };
    c << ActionSpec {
        u"wait_for_metric"_s,
        u"metrics"_s,
        Tier::Safe,
        Effect::ReadOnly,
        {},
        Duration { 120'000 },
        { required(u"metric"_s, ParamType::Metric, u"The metric to watch."_s),
            param(u"below"_s, ParamType::Threshold, {}, u"Succeeds once the metric is below this value."_s),
            param(u"above"_s, ParamType::Threshold, {}, u"Succeeds once the metric is above this value."_s),
            param(u"timeout"_s, ParamType::Duration, u"120s"_s, u"Fails when the goal has not held by then."_s,
                u"duration"_s),
            param(u"hold"_s, ParamType::Duration, u"0s"_s,
                u"How long the goal must hold before it counts, measured over fresh samples: a data gap starts it again."_s,
                u"duration"_s) },
        { u"below"_s, u"above"_s },
        { number(u"value"_s, u"The last value read."_s) },
        u"Verifies a remediation: waits until the metric crosses the goal, reading only data newer than the last "
        u"action. Fails on timeout, which is what `condition: step.failed` escalation reacts to."_s,
    };
    c << ActionSpec {
        u"terminate_connections"_s,
        u"database"_s,
        Tier::Safe,
        Effect::Mutates,
        u"connections"_s,
        Duration { 60'000 },
        { choice(u"state"_s, { u"idle"_s, u"idle_in_transaction"_s }, u"idle"_s, u"Which connections qualify."_s),
            param(u"older_than"_s, ParamType::Duration, u"300s"_s,
                u"Only connections in that state for longer than this."_s, u"duration"_s),
            param(u"database"_s, ParamType::String, {}, u"Limit to one database (all when unset)."_s),
            param(u"exclude_applications"_s, ParamType::StringList, u"[]"_s,
                u"application_name values never touched (exporters, the remediator itself always)."_s) },
        {},
        { number(u"terminated"_s, u"Connections terminated by this step."_s) },
        u"Terminates the oldest qualifying connections, at most the blast radius per pass, never its own session. "
        u"Passes repeat while the following verify step's goal does not yet hold."_s,
    };
    c << ActionSpec {
        u"reset_connection_pool"_s,
        u"workload"_s,
        Tier::Safe,
        Effect::Mutates,
        u"pods"_s,
        Duration { 60'000 },
        { param(u"drain_timeout"_s, ParamType::Duration, u"30s"_s,
            u"How long in-flight requests may finish before the pool is recycled."_s, u"duration"_s) },
        {},
        { number(u"reset"_s, u"Pods whose pool was reset."_s) },
        u"Gracefully drains and recycles the application-side connection pool of the chosen pods; the pods keep serving."_s,
    };
    c << ActionSpec {
        u"restart_pods"_s,
        u"workload"_s,
        Tier::Safe,
        Effect::Mutates,
        u"pods"_s,
        Duration { 180'000 },
        { param(u"grace_period"_s, ParamType::Duration, u"30s"_s, u"Time a pod gets to shut down cleanly."_s,
              u"duration"_s),
            param(u"only_unhealthy"_s, ParamType::Bool, u"true"_s, u"Restart only pods failing their health checks."_s),
            param(u"settle"_s, ParamType::Duration, u"2m"_s,
                u"A pod younger than this that is not ready yet is starting, not failing: left alone (a replacement a "
                u"restart made gets this long to become ready). Crash-looping pods count at any age."_s,
                u"duration"_s) },
        {},
        { number(u"restarted"_s, u"Pods restarted by this step."_s),
            number(u"healthy_after"_s, u"Pods healthy after the restarts."_s) },
        u"Restarts stateless pods through the platform's graceful path (on Kubernetes, the Eviction API, so "
        u"PodDisruptionBudgets hold). Each restarted pod is out of service during its cold start. Later passes never "
        u"pick a pod an earlier pass restarted, a pod shutting down, or a new pod still inside `settle`."_s,
    };
    c << ActionSpec {
        u"scale"_s,
        u"workload"_s,
        Tier::Safe,
        Effect::Mutates,
        u"replicas"_s,
        Duration { 300'000 },
        { param(u"by"_s, ParamType::Integer, {}, u"Change in replicas: +1 to scale out, -1 to scale in."_s),
            param(u"replicas"_s, ParamType::Integer, {}, u"Target replica count."_s),
            param(u"min"_s, ParamType::Integer, u"1"_s, u"Never fewer replicas than this."_s),
            param(u"max"_s, ParamType::Integer, u"20"_s, u"Never more replicas than this."_s),
            param(u"cooldown"_s, ParamType::Duration, u"5m"_s,
                u"No further scaling of this service for this long afterwards."_s, u"duration"_s),
            param(u"allow_hpa"_s, ParamType::Bool, u"false"_s,
                u"Scale even when a HorizontalPodAutoscaler owns the replica count. Refused otherwise: the autoscaler "
                u"undoes a "
                u"manual change at its next sync."_s) },
        { u"by"_s, u"replicas"_s },
        { number(u"replicas"_s, u"Replicas after the step."_s) },
        u"Changes a service's replica count (the deployment's spec.replicas, not the pods listed) within min and max, "
        u"by at most the blast radius, from the count the plan read: refused when that count moved since. A change of "
        u"more than 50% of the fleet is a major capacity change and waits for approval whatever the runbook's level."_s,
    };
    c.back().wholeObject = true;
    c << ActionSpec {
        u"rollback_deployment"_s,
        u"workload"_s,
        Tier::Safe,
        Effect::Mutates,
        u"pods"_s,
        Duration { 300'000 },
        { param(u"to_revision"_s, ParamType::String, u"previous"_s, u"The revision to return to."_s) },
        {},
        { FactSpec { u"revision"_s, ParamType::String, {}, u"The revision now serving."_s } },
        u"Rolls the deployment back to an earlier immutable revision in one change, fixed when the plan is made: "
        u"refused when the deployment has left the revision the plan saw. The deployment's rolling update then "
        u"replaces the pods, never more out of service at once than the blast radius allows. Use it when the "
        u"metric gates (error rate, p99, 5xx, a business metric) fixed before the deploy fail."_s,
    };
    c.back().wholeObject = true;
    c << ActionSpec {
        u"renew_certificate"_s,
        u"certificates"_s,
        Tier::Safe,
        Effect::Mutates,
        u"certificates"_s,
        Duration { 120'000 },
        { param(u"before_expiry"_s, ParamType::Duration, u"14d"_s,
              u"Renew certificates that expire within this long."_s, u"duration"_s),
            param(u"issuer"_s, ParamType::String, {},
                u"The issuer to request from (the certificate's own when unset)."_s) },
        {},
        { number(u"renewed"_s, u"Certificates renewed."_s),
            number(u"days_left"_s, u"Days of validity after renewal (least of the renewed)."_s) },
        u"Requests a new certificate before the current one expires and installs it without a restart."_s,
    };
    c << ActionSpec {
        u"failover_database"_s,
        u"database"_s,
        Tier::Approve,
        Effect::Mutates,
        u"databases"_s,
        Duration { 300'000 },
        { param(u"max_replication_lag"_s, ParamType::Duration, u"5s"_s,
              u"Refuses to promote a replica lagging more than this."_s, u"duration"_s),
            param(u"promote"_s, ParamType::String, {}, u"The replica to promote (the least lagging when unset)."_s) },
        {},
        { FactSpec { u"primary"_s, ParamType::String, {}, u"The primary after the failover."_s } },
        u"Promotes a replica to primary. Needs a human's approval at every level, and is refused while replication "
        u"lag is above the bound: a lagging promotion loses committed writes."_s,
    };
    c << ActionSpec {
        u"failover_region"_s,
        u"traffic"_s,
        Tier::Approve,
        Effect::Mutates,
        u"regions"_s,
        Duration { 600'000 },
        { param(u"from"_s, ParamType::String, {},
              u"The region to move traffic away from (the `region` label of the alert that opened the incident when unset)."_s),
            param(u"to"_s, ParamType::String, {},
                u"The region to move it to (the healthiest other region when unset)."_s) },
        {},
        { FactSpec { u"serving_region"_s, ParamType::String, {}, u"The region serving after the shift."_s } },
        u"Shifts traffic (DNS weights or load-balancer pools) from one region to another, one region per cycle. "
        u"Needs approval."_s,
    };
    c << ActionSpec {
        u"isolate_host"_s,
        u"hosts"_s,
        Tier::Approve,
        Effect::Mutates,
        u"hosts"_s,
        Duration { 120'000 },
        { param(u"preserve_state"_s, ParamType::Bool, u"true"_s,
            u"Keep the host running with memory and disks intact for forensics."_s) },
        {},
        { number(u"isolated"_s, u"Hosts isolated."_s) },
        u"Cuts a host off the network and out of load balancing without stopping it, so evidence survives. The "
        u"response to a security signal; needs approval."_s,
    };
    c << ActionSpec {
        u"page_oncall"_s,
        u"paging"_s,
        Tier::Safe,
        Effect::Notifies,
        {},
        Duration { 30'000 },
        { choice(u"severity"_s, severities, u"high"_s, u"Page severity."_s),
            param(u"context"_s, ParamType::String, {}, u"One line for the human: what happened and what was tried."_s),
            param(u"attach_diagnostics"_s, ParamType::Bool, u"true"_s,
                u"Send the incident's diagnostics bundle with the page."_s) },
        {},
        {},
        u"Pages the on-call human (PagerDuty Events API v2 or a webhook) with the diagnostics already collected."_s,
    };
    c << ActionSpec {
        u"notify"_s,
        u"paging"_s,
        Tier::Safe,
        Effect::Notifies,
        {},
        Duration { 30'000 },
        { param(u"channel"_s, ParamType::String, u"default"_s, u"Which configured notifier to use."_s),
            param(u"message"_s, ParamType::String, {},
                u"Text of the notification (a summary of the incident when unset)."_s) },
        {},
        {},
        u"Tells people after the fact (\"healed, notified after\"): a chat message or webhook, never a page."_s,
    };
    c << ActionSpec {
        u"run_command"_s,
        u"command"_s,
        Tier::Approve,
        Effect::Mutates,
        u"hosts"_s,
        Duration { 60'000 },
        { required(u"argv"_s, ParamType::StringList, u"The program and its arguments, run without a shell."_s),
            param(u"timeout"_s, ParamType::Duration, u"60s"_s, u"Killed after this long."_s, u"duration"_s) },
        {},
        { number(u"exit_code"_s, u"The command's exit status."_s) },
        u"Runs a command as an argument vector, never through a shell string. Generic commands can do anything, so "
        u"they always wait for approval."_s,
    };
    c << ActionSpec {
        u"terminate_host"_s,
        u"hosts"_s,
        Tier::Never,
        Effect::Mutates,
        u"hosts"_s,
        Duration { 60'000 },
        {},
        {},
        {},
        u"Destroys a host. Never automated: on a compromised or corrupted host it destroys the evidence a human "
        u"needs. Use isolate_host."_s,
    };
    c << ActionSpec {
        u"replay_transactions"_s,
        u"payments"_s,
        Tier::Never,
        Effect::Mutates,
        u"targets"_s,
        Duration { 60'000 },
        {},
        {},
        {},
        u"Re-sends financial transactions that were in flight. Never automated: a duplicate charge costs more than "
        u"minutes of slowdown. Drain gracefully and let a human decide."_s,
    };
    // The traits the pipeline branches on (ActionSpec::role, targetRule, changesCapacity):
    // here, and only here, by name.
    const auto traits = [&c](QStringView name, auto apply) {
        for (ActionSpec &a : c) {
            if (a.name == name)
                apply(a);
        }
    };
    traits(u"query_metrics", [](ActionSpec &a) { a.role = ActionRole::ReadMetrics; });
    traits(u"collect_diagnostics", [](ActionSpec &a) { a.role = ActionRole::Diagnose; });
    traits(u"wait_for_metric", [](ActionSpec &a) { a.role = ActionRole::Verify; });
    traits(u"page_oncall", [](ActionSpec &a) { a.role = ActionRole::Page; });
    traits(u"notify", [](ActionSpec &a) { a.role = ActionRole::Notify; });
    traits(u"terminate_connections", [](ActionSpec &a) { a.targetRule = TargetRule::ConnectionsByAge; });
    traits(u"restart_pods", [](ActionSpec &a) { a.targetRule = TargetRule::FailingPods; });
    traits(u"scale", [](ActionSpec &a) {
        a.targetRule = TargetRule::Replicas;
        a.changesCapacity = true;
    });
    traits(u"reset_connection_pool", [](ActionSpec &a) { a.targetRule = TargetRule::BusiestFirst; });
    traits(u"rollback_deployment", [](ActionSpec &a) { a.targetRule = TargetRule::Revision; });
    traits(u"renew_certificate", [](ActionSpec &a) { a.targetRule = TargetRule::ExpiringFirst; });
    traits(u"failover_database", [](ActionSpec &a) { a.targetRule = TargetRule::HealthiestReplica; });
    traits(u"failover_region", [](ActionSpec &a) { a.targetRule = TargetRule::AlertRegion; });
    for (const QStringView host : { u"isolate_host", u"run_command", u"terminate_host" })
        traits(host, [](ActionSpec &a) { a.targetRule = TargetRule::AlertHost; });
    return c;
}

} // namespace

QString tierText(Tier t)
{
    switch (t) {
    case Tier::Safe:
        return u"safe"_s;
    case Tier::Approve:
        return u"approve"_s;
    case Tier::Never:
        return u"never"_s;
    }
    return {};
}

QString effectText(Effect e)
{
    switch (e) {
    case Effect::ReadOnly:
        return u"read-only"_s;
    case Effect::Notifies:
        return u"notifies"_s;
    case Effect::Mutates:
        return u"mutates"_s;
    }
    return {};
}

const ParamSpec *ActionSpec::param(QStringView paramName) const
{
    for (const ParamSpec &p : params) {
        if (p.name == paramName)
            return &p;
    }
    return nullptr;
}

const FactSpec *ActionSpec::fact(QStringView factName) const
{
    for (const FactSpec &f : facts) {
        if (f.name == factName)
            return &f;
    }
    return nullptr;
}

ActionCatalog::ActionCatalog()
    : m_actions(buildCatalog())
{
}

ActionCatalog &ActionCatalog::writable()
{
    static ActionCatalog catalog;
    return catalog;
}

const ActionCatalog &ActionCatalog::instance()
{
    return writable();
}

void ActionCatalog::extend(ActionSpec spec)
{
    writable().m_actions.append(std::move(spec));
}

const ActionSpec *ActionCatalog::find(QStringView name) const
{
    for (const ActionSpec &a : m_actions) {
        if (a.name == name)
            return &a;
    }
    return nullptr;
}

const ActionSpec *ActionCatalog::withRole(ActionRole role) const
{
    for (const ActionSpec &a : m_actions) {
        if (a.role == role)
            return &a;
    }
    return nullptr;
}

bool ActionCatalog::hasRole(QStringView action, ActionRole role)
{
    const ActionSpec *spec = instance().find(action);
    return spec && spec->role == role;
}

bool ActionCatalog::changesCapacity(QStringView action)
{
    const ActionSpec *spec = instance().find(action);
    return spec && spec->changesCapacity;
}

QStringList ActionCatalog::names() const
{
    QStringList out;
    for (const ActionSpec &a : m_actions)
        out << a.name;
    return out;
}

QStringList ActionCatalog::outcomes()
{
    QStringList out;
    for (StepResult r : factResults())
        out << stepResultText(r);
    return out;
}

QStringList ActionCatalog::dimensions()
{
    return { u"pods"_s, u"connections"_s, u"regions"_s, u"hosts"_s, u"replicas"_s, u"certificates"_s, u"databases"_s,
        u"targets"_s };
}

} // namespace antibody

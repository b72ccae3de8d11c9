#include "engine/pipeline/targetselection.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

double metric(const Target &t, const QString &name, double fallback = 0)
{
    return t.metrics.value(name, fallback);
}

bool passesSelector(const Step &step, const Target &t)
{
    if (!matchesAll(step.targets.matchers, t.labels))
        return false;
    if (!step.targets.where)
        return true;
    const auto verdict = step.targets.where->evaluate([&](const QStringList &path) -> std::optional<QVariant> {
        const QString key = path.join(u'.');
        if (t.metrics.contains(key))
            return t.metrics.value(key);
        if (key == u"state")
            return t.state;
        if (key == u"healthy")
            return t.healthy;
        if (t.labels.contains(key))
            return t.labels.value(key);
        return std::nullopt;
    });
    return verdict.known && verdict.value;
}

QString paramText(const Step &step, const ActionSpec &spec, const QString &key)
{
    if (const ParamValue *p = step.param(key))
        return p->toText();
    const ParamSpec *ps = spec.param(key);
    return ps ? ps->defaultValue : QString();
}

double paramSeconds(const Step &step, const ActionSpec &spec, const QString &key)
{
    if (const ParamValue *p = step.param(key))
        return toSeconds(p->toDuration());
    const ParamSpec *ps = spec.param(key);
    const auto d = ps ? parseDuration(ps->defaultValue) : std::nullopt;
    return d ? toSeconds(*d) : 0.0;
}

bool paramBool(const Step &step, const ActionSpec &spec, const QString &key)
{
    if (const ParamValue *p = step.param(key))
        return p->value.toBool();
    const ParamSpec *ps = spec.param(key);
    return ps && ps->defaultValue == u"true";
}

std::optional<qint64> paramInt(const Step &step, const QString &key)
{
    if (const ParamValue *p = step.param(key))
        return p->value.toLongLong();
    return std::nullopt;
}

QVariantMap rollbackPins(const WorkloadState &w)
{
    return { { pinned::rollbackFrom, w.revision.number }, { pinned::rollbackFromTemplate, w.revision.templateHash },
        { pinned::rollbackTo, w.rollbackTo.number }, { pinned::rollbackToTemplate, w.rollbackTo.templateHash },
        { pinned::rollbackToReplicaSet, w.rollbackTo.replicaSet } };
}

} // namespace

QString TargetSelection::scopeOf(const Step &step, const Incident &incident)
{
    return step.targets.service.isEmpty() ? incident.service : step.targets.service;
}

Cap TargetSelection::defaultCap(const QString &dimension)
{
    // The seed's conservative defaults: 10-15% of pods, 15% of connections, one region or host per cycle.
    if (dimension == u"pods" || dimension == u"connections" || dimension == u"replicas")
        return *Cap::parse(u"15%");
    return *Cap::parse(u"1");
}

TargetSelection::Result TargetSelection::select(const Step &step, const ActionSpec &spec, const Fleet &fleet,
    const Incident &incident, std::optional<int> batchLimit, const QStringList &alreadyAffected)
{
    Result result;
    BlastRadius &r = result.radius;
    r.dimension = spec.dimension;
    r.scope = fleet.scope.isEmpty() ? scopeOf(step, incident) : fleet.scope;
    r.cap = step.blastRadius ? step.blastRadius->cap : defaultCap(spec.dimension);

    QList<Target> members = fleet.members;
    std::sort(members.begin(), members.end(), [](const Target &a, const Target &b) { return a.name < b.name; });
    for (const Target &t : members)
        r.fleet << t.name;
    const int fleetSize = r.fleetSize();

    QList<Target> picked;
    for (const Target &t : members) {
        if (passesSelector(step, t) && !alreadyAffected.contains(t.name))
            picked << t;
    }

    const TargetRule rule = spec.targetRule;
    if (rule == TargetRule::Replicas) {
        // The count to change is the workload's spec.replicas where the executor reads it:
        // the pods listed include a rollout's surge and terminating pods.
        const std::optional<int> replicas = fleet.workload ? fleet.workload->replicas : std::nullopt;
        const int current = replicas.value_or(fleetSize);
        if (replicas) {
            r.fleet.clear();
            for (int i = 1; i <= current; ++i)
                r.fleet << u"%1 replica %2"_s.arg(r.scope).arg(i);
        }
        r.capCount = r.cap.allowed(std::max(1, current));
        if (batchLimit)
            r.capCount = std::min(r.capCount, std::max(1, *batchLimit));
        if (fleet.workload && !fleet.workload->autoscaler.isEmpty() && !paramBool(step, spec, u"allow_hpa"_s)) {
            r.leftServing = current;
            result.refusal
                = u"%1 is scaled by the HorizontalPodAutoscaler %2, which would undo it; allow_hpa: true scales it anyway"_s
                      .arg(fleet.workload->name, fleet.workload->autoscaler);
            result.why = u"refused: "_s + result.refusal;
            return result;
        }
        const qint64 minReplicas = paramInt(step, u"min"_s).value_or(1);
        const qint64 maxReplicas = paramInt(step, u"max"_s).value_or(20);
        qint64 wanted = current;
        if (const auto by = paramInt(step, u"by"_s))
            wanted = current + *by;
        else if (const auto to = paramInt(step, u"replicas"_s))
            wanted = *to;
        wanted = std::clamp<qint64>(wanted, minReplicas, std::max(minReplicas, maxReplicas));
        const int delta = static_cast<int>(wanted - current);
        const int step1 = std::clamp(delta, -r.capCount, r.capCount);
        if (delta > 0) {
            for (int i = 1; i <= delta; ++i)
                r.candidates << u"%1 (new replica %2)"_s.arg(r.scope).arg(current + i);
        } else {
            // scale in removes the newest replicas first
            for (int i = 0; i < -delta && i < r.fleet.size(); ++i)
                r.candidates << r.fleet.at(r.fleet.size() - 1 - i);
        }
        r.chosen = r.candidates.mid(0, std::abs(step1));
        r.cycles = r.capCount > 0 ? std::max(1, int(std::ceil(double(std::abs(delta)) / r.capCount))) : 1;
        r.leftServing = delta >= 0 ? current : current - r.affected();
        result.pins.insert(pinned::scaleFrom, current);
        result.pins.insert(pinned::scaleTo, current + step1);
        result.pins.insert(pinned::capPerCycle, r.capCount);
        result.why = delta == 0
            ? u"%1 already runs %2 replicas (min %3, max %4): nothing to change"_s.arg(r.scope)
                  .arg(current)
                  .arg(minReplicas)
                  .arg(maxReplicas)
            : u"%1 from %2 to %3 replicas (min %4, max %5)"_s.arg(delta > 0 ? u"scale out"_s : u"scale in"_s)
                  .arg(current)
                  .arg(wanted)
                  .arg(minReplicas)
                  .arg(maxReplicas);
        return result;
    }

    if (rule == TargetRule::ConnectionsByAge) {
        const QString state = paramText(step, spec, u"state"_s);
        const double olderThan = paramSeconds(step, spec, u"older_than"_s);
        const QStringList excluded = step.param(u"exclude_applications"_s)
            ? step.param(u"exclude_applications"_s)->value.toStringList()
            : QStringList();
        picked.removeIf([&](const Target &t) {
            return t.state != state || metric(t, u"state_seconds"_s) < olderThan
                || excluded.contains(t.labels.value(u"application"_s));
        });
        std::stable_sort(picked.begin(), picked.end(), [](const Target &a, const Target &b) {
            return metric(a, u"state_seconds"_s) > metric(b, u"state_seconds"_s);
        });
        result.why = u"%1 connections %2 for more than %3, oldest first"_s.arg(picked.size())
                         .arg(state, formatDuration(Duration { qint64(olderThan * 1000) }));
    } else if (rule == TargetRule::FailingPods) {
        // Pods on their way out and new ones still starting are not failing: an earlier
        // pass's evictions and their replacements look exactly like that.
        const double settle = paramSeconds(step, spec, u"settle"_s);
        const auto leaving = picked.removeIf([](const Target &t) { return t.state == u"terminating"; });
        const auto starting = picked.removeIf(
            [&](const Target &t) { return t.state == u"starting" && metric(t, u"age_seconds"_s, 1e18) < settle; });
        if (paramBool(step, spec, u"only_unhealthy"_s))
            picked.removeIf([](const Target &t) { return t.healthy; });
        result.why = u"%1 pods %2"_s.arg(picked.size())
                         .arg(paramBool(step, spec, u"only_unhealthy"_s) ? u"failing health checks"_s : u"selected"_s);
        QStringList alone;
        if (leaving > 0)
            alone << u"%1 shutting down"_s.arg(leaving);
        if (starting > 0)
            alone << u"%1 starting (younger than %2)"_s.arg(starting).arg(
                formatDuration(Duration { qint64(settle * 1000) }));
        if (!alreadyAffected.isEmpty())
            alone << u"%1 restarted by an earlier pass"_s.arg(alreadyAffected.size());
        if (!alone.isEmpty())
            result.why += u"; left alone: "_s + alone.join(u", "_s);
    } else if (rule == TargetRule::BusiestFirst) {
        std::stable_sort(picked.begin(), picked.end(),
            [](const Target &a, const Target &b) { return metric(a, u"cpu"_s) > metric(b, u"cpu"_s); });
        result.why = step.targets.where
            ? u"%1 pods where %2, busiest first"_s.arg(picked.size()).arg(step.targets.whereText)
            : u"%1 pods, busiest first"_s.arg(picked.size());
    } else if (rule == TargetRule::Revision && fleet.workload) {
        // One change to the deployment: its rolling update replaces every pod, the cap
        // bounds how many are out of service at once (the executor checks the strategy).
        const WorkloadState &w = *fleet.workload;
        if (!w.rollbackTo.isKnown()) {
            picked.clear();
            result.refusal = w.noRollback.isEmpty() ? u"%1 has no revision to return to"_s.arg(w.name) : w.noRollback;
            result.why = u"refused: "_s + result.refusal;
        } else {
            result.pins = rollbackPins(w);
            result.why
                = u"roll %1 back from %2 to %3: the deployment replaces its pods, at most the cap out of service at a time"_s
                      .arg(w.name, w.revision.text(), w.rollbackTo.text());
        }
    } else if (rule == TargetRule::ExpiringFirst) {
        const double before = paramSeconds(step, spec, u"before_expiry"_s);
        picked.removeIf([&](const Target &t) { return metric(t, u"expires_in_seconds"_s, 1e18) > before; });
        std::stable_sort(picked.begin(), picked.end(), [](const Target &a, const Target &b) {
            return metric(a, u"expires_in_seconds"_s) < metric(b, u"expires_in_seconds"_s);
        });
        result.why = u"%1 certificate%2 expiring within %3"_s.arg(picked.size())
                         .arg(picked.size() == 1 ? QString() : u"s"_s)
                         .arg(formatDuration(Duration { qint64(before * 1000) }));
    } else if (rule == TargetRule::HealthiestReplica) {
        const QString promote = paramText(step, spec, u"promote"_s);
        picked.removeIf([&](const Target &t) {
            return t.labels.value(u"role"_s) != u"replica" || !t.healthy || (!promote.isEmpty() && t.name != promote);
        });
        std::stable_sort(picked.begin(), picked.end(),
            [](const Target &a, const Target &b) { return metric(a, u"lag_seconds"_s) < metric(b, u"lag_seconds"_s); });
        picked = picked.mid(0, 1);
        result.why = picked.isEmpty() ? u"no healthy replica to promote"_s
                                      : u"promote %1 (replication lag %2 s)"_s.arg(picked.front().name)
                                            .arg(metric(picked.front(), u"lag_seconds"_s));
    } else if (rule == TargetRule::AlertRegion) {
        QString from = paramText(step, spec, u"from"_s);
        if (from.isEmpty())
            from = incident.labels.value(u"region"_s);
        picked.removeIf([&](const Target &t) { return t.name != from; });
        result.why = from.isEmpty() ? u"no region named: set `from` or alert on a `region` label"_s
                                    : u"shift traffic away from %1"_s.arg(from);
    } else if (rule == TargetRule::AlertHost) {
        const QString host = incident.labels.value(u"host"_s);
        if (!host.isEmpty() && !step.targets.isSet())
            picked.removeIf([&](const Target &t) { return t.name != host; });
        result.why
            = host.isEmpty() ? u"%1 hosts selected"_s.arg(picked.size()) : u"the host the alert names: %1"_s.arg(host);
    } else {
        result.why = u"%1 %2 selected"_s.arg(picked.size()).arg(spec.dimension);
    }

    for (const Target &t : picked)
        r.candidates << t.name;
    r.capCount = r.cap.allowed(fleetSize);
    if (batchLimit)
        r.capCount = std::min(r.capCount, std::max(1, *batchLimit));
    r.chosen = r.candidates.mid(0, r.capCount);
    r.cycles = r.capCount > 0 ? std::max(1, int(std::ceil(double(r.candidates.size()) / r.capCount))) : 1;
    if (!result.pins.isEmpty())
        result.pins.insert(pinned::capPerCycle, r.capCount);
    int serving = 0;
    for (const Target &t : members) {
        if (t.healthy && !r.chosen.contains(t.name))
            ++serving;
    }
    r.leftServing = serving;
    return result;
}

} // namespace antibody

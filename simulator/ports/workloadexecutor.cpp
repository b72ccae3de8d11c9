#include "simulator/ports/workloadexecutor.h"

#include "simulator/world/podlifecycle.h"
#include "simulator/world/world.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {
namespace {

// As Kubernetes' minReadySeconds: a pod counts as available once it has stayed ready this long.
constexpr Duration minReadyTime = 10s;

QString names(const QList<Pod *> &pods)
{
    QStringList out;
    for (const Pod *p : pods)
        out << p->name;
    return out.join(u", "_s);
}

} // namespace

WorkloadExecutor::WorkloadExecutor(World &world)
    : SimulatedExecutor(world, u"workload"_s)
{
}

void WorkloadExecutor::run(const ActionRequest &request, Done done)
{
    Service *svc = world().fleet().service(request.service);
    if (!svc || svc->kind != Service::Kind::App) {
        finishAfter(0s, std::move(done),
            failed(u"%1 is not a service with pods in the simulated fleet"_s.arg(request.service)));
        return;
    }
    if (request.action == u"restart_pods"_s)
        restart(request, *svc, std::move(done));
    else if (request.action == u"scale"_s)
        scale(request, *svc, std::move(done));
    else if (request.action == u"reset_connection_pool"_s)
        resetPool(request, *svc, std::move(done));
    else
        rollback(request, *svc, std::move(done));
}

QList<Pod *> WorkloadExecutor::resolve(const ActionRequest &request, const Service &svc, QString *error)
{
    QList<Pod *> out;
    for (const QString &name : request.targets) {
        Pod *p = world().fleet().pod(name);
        if (!p || p->service != svc.name) {
            QStringList known;
            for (const Pod *k : world().fleet().podsOf(svc.name))
                known << k->name;
            *error = u"%1 has no pod named '%2' (it has %3)"_s.arg(svc.name, name, known.join(u", "_s));
            return {};
        }
        out << p;
    }
    return out;
}

void WorkloadExecutor::noteEvidence(const Pod &pod, const QString &what)
{
    const FleetState &fleet = world().fleet();
    for (const Host &h : fleet.hosts) {
        if (h.name == pod.host && h.compromised)
            world().recordEvidenceLost(
                u"%1 %2 on compromised %3: the container's memory and files are gone"_s.arg(what, pod.name, h.name));
    }
    if (pod.service == u"payments-svc"_s && fleet.payments.inFlight > 0)
        world().recordEvidenceLost(
            u"%1 %2 with %3 payments in flight: their outcome is now unknown"_s.arg(what, pod.name)
                .arg(fleet.payments.inFlight));
}

void WorkloadExecutor::awaitStarts(const QStringList &pods, TimePoint since, const QString &action,
    std::function<ActionResult(const QStringList &ready, const QStringList &crashed)> report, Done done)
{
    auto poll = [this, pods, since, report]() -> std::optional<ActionResult> {
        QStringList ready;
        QStringList crashed;
        for (const QString &name : pods) {
            const Pod *p = world().fleet().pod(name);
            if (!p || (p->phase == PodPhase::CrashLoop && p->phaseSince > since))
                crashed << name;
            else if (p->phase == PodPhase::Running && p->startedAt > since && now() - p->readySince >= minReadyTime)
                ready << name;
        }
        if (ready.size() + crashed.size() < pods.size())
            return std::nullopt;
        return report(ready, crashed);
    };
    auto timedOut = [pods, action] {
        return failed(
            u"%1: %2 not ready after %3"_s.arg(action, pods.join(u", "_s), formatDuration(defaultTimeout(action))));
    };
    watch(defaultTimeout(action), std::move(poll), std::move(timedOut), std::move(done));
}

void WorkloadExecutor::restart(const ActionRequest &request, Service &svc, Done done)
{
    QString error;
    QList<Pod *> pods = resolve(request, svc, &error);
    if (!error.isEmpty()) {
        finishAfter(0s, std::move(done), failed(error));
        return;
    }
    const Duration grace = durationParam(request.params, u"grace_period"_s, 30s);
    QStringList skipped;
    if (boolParam(request.params, u"only_unhealthy"_s, true)) {
        for (auto it = pods.begin(); it != pods.end();) {
            if ((*it)->healthy()) {
                skipped << (*it)->name;
                it = pods.erase(it);
            } else {
                ++it;
            }
        }
    }
    if (pods.isEmpty()) {
        ActionResult r;
        r.ok = true;
        r.facts = { { u"restarted"_s, 0 }, { u"healthy_after"_s, 0 } };
        r.detail = u"nothing to restart: %1 healthy (only_unhealthy)"_s.arg(skipped.join(u", "_s));
        finishAfter(0s, std::move(done), r);
        return;
    }
    // The PodDisruptionBudget counts ready pods; restarting ones that are not ready costs nothing.
    int readyAfter = 0;
    for (const Pod *p : world().fleet().podsOf(svc.name))
        readyAfter += p->ready() && !pods.contains(p) ? 1 : 0;
    const bool takesReady = std::any_of(pods.cbegin(), pods.cend(), [](const Pod *p) { return p->ready(); });
    if (takesReady && readyAfter < svc.pdbMinAvailable) {
        finishAfter(0s, std::move(done),
            refused(u"PodDisruptionBudget %1 needs %2 pods available; restarting %3 would leave %4"_s.arg(svc.name)
                        .arg(svc.pdbMinAvailable)
                        .arg(names(pods))
                        .arg(readyAfter)));
        return;
    }
    const TimePoint since = now();
    QStringList restarted;
    for (Pod *p : pods) {
        noteEvidence(*p, u"restarted"_s);
        beginRestart(*p, since, grace);
        restarted << p->name;
    }
    auto report = [this, restarted, skipped, since](const QStringList &ready, const QStringList &crashed) {
        ActionResult r;
        r.ok = crashed.isEmpty();
        r.affected = restarted;
        r.facts = { { u"restarted"_s, restarted.size() }, { u"healthy_after"_s, ready.size() } };
        QStringList why;
        for (const QString &name : crashed) {
            const Pod *p = world().fleet().pod(name);
            why << (p ? u"%1 crashed again %2 after it started (%3)"_s.arg(
                        name, formatDuration(p->phaseSince - p->startedAt), p->crashReason)
                      : u"%1 is gone"_s.arg(name));
        }
        r.error = why.join(u"; "_s);
        r.detail = u"restarted %1: %2 of %3 ready after a cold start of %4"_s.arg(restarted.join(u", "_s))
                       .arg(ready.size())
                       .arg(restarted.size())
                       .arg(formatDuration(std::chrono::duration_cast<std::chrono::seconds>(now() - since)));
        if (!crashed.isEmpty())
            r.detail += u"; "_s + r.error;
        if (!skipped.isEmpty())
            r.detail += u"; left %1 alone (healthy)"_s.arg(skipped.join(u", "_s));
        return r;
    };
    awaitStarts(restarted, since, request.action, std::move(report), std::move(done));
}

void WorkloadExecutor::scale(const ActionRequest &request, Service &svc, Done done)
{
    const int have = replicasOf(world().fleet(), svc.name);
    const auto by = intParam(request.params, u"by"_s);
    const auto replicas = intParam(request.params, u"replicas"_s);
    // The planner's step for this cycle, within the blast radius, when it gives one.
    const auto capped = intParam(request.params, u"scale_to"_s);
    if (!capped && by.has_value() == replicas.has_value()) {
        finishAfter(0s, std::move(done), failed(u"scale needs exactly one of `by` and `replicas`"_s));
        return;
    }
    const int low = static_cast<int>(intParam(request.params, u"min"_s).value_or(1));
    const int high = static_cast<int>(intParam(request.params, u"max"_s).value_or(20));
    const int wanted = static_cast<int>(capped ? *capped : replicas ? *replicas : have + *by);
    const int target = std::clamp(wanted, low, std::max(low, high));
    // As on Kubernetes: only from the count the plan read, by no more than its cap.
    const auto plannedFrom = intParam(request.params, pinned::scaleFrom);
    if (plannedFrom && *plannedFrom != have) {
        finishAfter(0s, std::move(done),
            refused(
                u"%1 runs %2 replicas now, not the %3 the plan started from: not scaling to %4; a new plan decides"_s
                    .arg(svc.name)
                    .arg(have)
                    .arg(*plannedFrom)
                    .arg(target)));
        return;
    }
    const auto cap = intParam(request.params, pinned::capPerCycle);
    if (cap && std::abs(target - have) > *cap) {
        finishAfter(0s, std::move(done),
            refused(u"%1: the step changes %2 replicas (%3 -> %4), over the cap of %5 per cycle"_s.arg(svc.name)
                        .arg(std::abs(target - have))
                        .arg(have)
                        .arg(target)
                        .arg(*cap)));
        return;
    }
    if (target == have) {
        finishAfter(0s, std::move(done),
            failed(u"%1 already has %2 replicas and this step may not go beyond %3..%4"_s.arg(svc.name)
                       .arg(have)
                       .arg(low)
                       .arg(high)));
        return;
    }
    const QString clamped
        = target != wanted ? u" (asked for %1, held to %2..%3)"_s.arg(wanted).arg(low).arg(high) : QString();
    const TimePoint since = now();
    const Resized resized = resize(world().fleet(), svc, world().random(), since, target, 30s);
    if (target < have) {
        const QStringList &removed = resized.removed;
        ActionResult r;
        r.ok = true;
        r.affected = removed;
        r.facts = { { u"replicas"_s, target } };
        r.detail = u"scaled %1 in from %2 to %3 replicas%4: %5 drained and removed"_s.arg(svc.name)
                       .arg(have)
                       .arg(target)
                       .arg(clamped, removed.join(u", "_s));
        finishAfter(3s, std::move(done), r);
        return;
    }
    const QStringList added = resized.added;
    auto report = [this, added, have, target, clamped, since, name = svc.name](
                      const QStringList &ready, const QStringList &crashed) {
        ActionResult r;
        r.ok = crashed.isEmpty();
        r.affected = added;
        r.facts = { { u"replicas"_s, target } };
        r.error = crashed.isEmpty() ? QString() : u"%1 failed to start"_s.arg(crashed.join(u", "_s));
        r.detail = u"scaled %1 out from %2 to %3 replicas%4: %5 ready after %6, warming up for a minute"_s.arg(name)
                       .arg(have)
                       .arg(target)
                       .arg(clamped, ready.join(u", "_s),
                           formatDuration(std::chrono::duration_cast<std::chrono::seconds>(now() - since)));
        return r;
    };
    awaitStarts(added, since - 1ms, request.action, std::move(report), std::move(done));
}

void WorkloadExecutor::resetPool(const ActionRequest &request, Service &svc, Done done)
{
    QString error;
    const QList<Pod *> pods = resolve(request, svc, &error);
    if (!error.isEmpty()) {
        finishAfter(0s, std::move(done), failed(error));
        return;
    }
    const Duration drain = std::min<Duration>(durationParam(request.params, u"drain_timeout"_s, 30s), 3s);
    QStringList reset;
    QStringList notRunning;
    int released = 0;
    for (Pod *p : pods) {
        if (!p->ready()) {
            notRunning << p->name;
            continue;
        }
        released += p->stuckSlots;
        p->drainingUntil = now() + drain;
        reset << p->name;
    }
    ActionResult r;
    r.ok = !reset.isEmpty() || pods.isEmpty();
    r.affected = reset;
    r.facts = { { u"reset"_s, reset.size() } };
    r.detail
        = u"reset the connection pool of %1: drained in-flight requests, released %2 stuck connections; the pods kept serving"_s
              .arg(reset.isEmpty() ? u"no pod"_s : reset.join(u", "_s))
              .arg(released);
    if (!notRunning.isEmpty()) {
        r.detail += u"; %1 not running, not reset"_s.arg(notRunning.join(u", "_s));
        r.error = r.ok ? QString() : u"no chosen pod was running: %1"_s.arg(notRunning.join(u", "_s));
    }
    finishAfter(drain + 1s, std::move(done), r);
}

void WorkloadExecutor::rollback(const ActionRequest &request, Service &svc, Done done)
{
    const QString revision = svc.rollbackTarget(request.params.value(u"to_revision"_s).toString());
    if (!svc.versions.contains(revision)) {
        finishAfter(0s, std::move(done),
            failed(
                u"%1 has no revision '%2' (it has %3)"_s.arg(svc.name, revision, svc.versions.keys().join(u", "_s))));
        return;
    }
    // The deployment's template now: a rollout in progress has already changed it.
    const QString from = svc.rolloutTo.isEmpty() ? svc.currentVersion : svc.rolloutTo;
    // As on Kubernetes: only from where the plan found the service, to where it chose.
    const QString plannedFrom = request.params.value(pinned::rollbackFrom).toString();
    const QString plannedTo = request.params.value(pinned::rollbackTo).toString();
    if ((!plannedFrom.isEmpty() && plannedFrom != from) || (!plannedTo.isEmpty() && plannedTo != revision)) {
        finishAfter(0s, std::move(done),
            refused(u"%1 is on revision %2 now, not on revision %3 where the plan found it: not rolling back to "
                    u"revision %4; a new plan decides"_s.arg(svc.name, from, plannedFrom, plannedTo)));
        return;
    }
    QStringList replaced;
    for (const Pod *p : world().fleet().podsOf(svc.name)) {
        if (p->version != revision || !p->nextVersion.isEmpty()) {
            noteEvidence(*p, u"rolled back"_s);
            replaced << p->name;
        }
    }
    ActionResult r;
    r.ok = true;
    r.facts = { { u"revision"_s, revision } };
    if (from == revision && replaced.isEmpty()) {
        r.detail = u"nothing to roll back: %1 already runs %2"_s.arg(svc.name, revision);
        finishAfter(1s, std::move(done), r);
        return;
    }
    // One change to the whole deployment, as `kubectl rollout undo`: the old template
    // becomes the current one, and the rollout replaces the pods one at a time.
    svc.currentVersion = from;
    svc.rolloutTo = revision;
    r.affected << svc.name;
    r.detail = u"rolled %1 back from %2 to %3: its rollout replaces %4 pods one at a time (%5)"_s
                   .arg(svc.name, from, revision)
                   .arg(replaced.size())
                   .arg(replaced.join(u", "_s));
    finishAfter(1s, std::move(done), r);
}

} // namespace antibody::sim

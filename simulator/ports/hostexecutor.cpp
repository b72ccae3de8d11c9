#include "simulator/ports/hostexecutor.h"

#include "simulator/world/podlifecycle.h"
#include "simulator/world/world.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {

HostExecutor::HostExecutor(World &world)
    : SimulatedExecutor(world, u"hosts"_s)
{
}

void HostExecutor::run(const ActionRequest &request, Done done)
{
    FleetState &fleet = world().fleet();
    const bool terminate = request.action == u"terminate_host"_s;
    const bool preserve = boolParam(request.params, u"preserve_state"_s, true);
    QStringList touched;
    QStringList already;
    QStringList stranded;
    for (const QString &name : request.targets) {
        Host *h = fleet.host(name);
        if (!h) {
            finishAfter(0s, std::move(done), failed(u"the simulated fleet has no host '%1'"_s.arg(name)));
            return;
        }
        const QString wanted = terminate ? u"terminated"_s : preserve ? u"isolated"_s : u"stopped"_s;
        if (h->state == wanted) {
            already << name;
            continue;
        }
        h->state = wanted;
        touched << name;
        for (const Pod &p : fleet.pods) {
            if (p.host == name)
                stranded << p.name;
        }
        if (terminate || !preserve) {
            world().recordEvidenceLost(u"%1 %2: its memory%3 and whatever an intruder left there are gone"_s.arg(
                terminate ? u"terminated"_s : u"stopped"_s, name, terminate ? u", disks"_s : QString()));
        }
        if (terminate) { // the scheduler replaces the pods that ran there, elsewhere
            for (const QString &pod : std::as_const(stranded)) {
                const Pod *p = fleet.pod(pod);
                if (!p || p->host != name)
                    continue;
                Service *svc = fleet.service(p->service);
                fleet.pods.removeIf([&](const Pod &q) { return q.name == pod; });
                if (svc)
                    addPod(fleet, *svc, world().random(), now());
            }
        }
    }
    ActionResult r;
    r.ok = true;
    r.affected = touched;
    if (!terminate)
        r.facts = { { u"isolated"_s, touched.size() } };
    if (terminate)
        r.detail = u"terminated %1; its pods (%2) are rescheduled elsewhere"_s.arg(
            touched.join(u", "_s), stranded.join(u", "_s));
    else if (preserve)
        r.detail = u"isolated %1: off the network and out of load balancing, still running with memory and disks "
                   u"intact for forensics; its pods (%2) no longer serve"_s.arg(
                       touched.join(u", "_s), stranded.join(u", "_s));
    else
        r.detail = u"stopped %1 (state not preserved)"_s.arg(touched.join(u", "_s));
    if (!already.isEmpty())
        r.detail += u"; already so: "_s + already.join(u", "_s);
    finishAfter(5s, std::move(done), r);
}

} // namespace antibody::sim

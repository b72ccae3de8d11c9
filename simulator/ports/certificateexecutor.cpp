#include "simulator/ports/certificateexecutor.h"

#include "simulator/world/world.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {
namespace {

constexpr Duration orderTime = 8s; // ACME order, challenge, issuance, hot reload
constexpr Duration validity = 90 * 24h;

double days(Duration d)
{
    return toSeconds(d) / 86400.0;
}

} // namespace

CertificateExecutor::CertificateExecutor(World &world)
    : SimulatedExecutor(world, u"certificates"_s)
{
}

void CertificateExecutor::run(const ActionRequest &request, Done done)
{
    const Duration window = durationParam(request.params, u"before_expiry"_s, 14 * 24h);
    const QString issuer = request.params.value(u"issuer"_s).toString();
    QStringList renewed;
    QStringList skipped;
    QStringList refusals;
    double leastDaysLeft = -1;
    for (const QString &name : request.targets) {
        Certificate *c = world().fleet().certificate(name);
        if (!c) {
            finishAfter(0s, std::move(done), failed(u"the simulated fleet has no certificate '%1'"_s.arg(name)));
            return;
        }
        const Duration left = c->notAfter - now();
        if (left > window) {
            skipped << u"%1 (valid %2 more days)"_s.arg(name).arg(days(left), 0, 'f', 0);
            continue;
        }
        if (!c->issuerFailure.isEmpty()) {
            refusals << u"%1 refused the order for %2: %3"_s.arg(
                issuer.isEmpty() ? c->issuer : issuer, name, c->issuerFailure);
            continue;
        }
        renewed << u"%1 (was %2 days)"_s.arg(name).arg(days(left), 0, 'f', 1);
        c->notAfter = now() + orderTime + validity;
        if (!issuer.isEmpty())
            c->issuer = issuer;
        leastDaysLeft = days(validity);
    }
    ActionResult r;
    r.ok = refusals.isEmpty();
    for (const QString &line : renewed)
        r.affected << line.section(u" ("_s, 0, 0);
    r.facts = { { u"renewed"_s, renewed.size() } };
    if (leastDaysLeft >= 0)
        r.facts.insert(u"days_left"_s, leastDaysLeft);
    r.error = refusals.join(u"; "_s);
    QStringList parts;
    if (!renewed.isEmpty())
        parts << u"renewed %1: valid for %2 days"_s.arg(renewed.join(u", "_s)).arg(days(validity), 0, 'f', 0);
    if (!refusals.isEmpty())
        parts << r.error;
    if (!skipped.isEmpty())
        parts << u"not due: "_s + skipped.join(u", "_s);
    r.detail = parts.isEmpty() ? u"no certificate chosen"_s : parts.join(u"; "_s);
    finishAfter(refusals.isEmpty() ? orderTime : 3s, std::move(done), r);
}

} // namespace antibody::sim

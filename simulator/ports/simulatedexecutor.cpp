#include "simulator/ports/simulatedexecutor.h"

#include "engine/runbook/actioncatalog.h"
#include "simulator/ports/targets.h"
#include "simulator/world/world.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {
namespace {

constexpr Duration apiLatency = 50ms; // what a call to the platform's API takes

} // namespace

SimulatedExecutor::SimulatedExecutor(World &world, QString family)
    : m_world(world)
    , m_family(std::move(family))
    , m_timers(world.clock())
{
}

QStringList SimulatedExecutor::actions() const
{
    QStringList out;
    for (const ActionSpec &a : ActionCatalog::instance().actions()) {
        if (a.family == m_family)
            out << a.name;
    }
    return out;
}

TimePoint SimulatedExecutor::now() const
{
    return m_world.now();
}

void SimulatedExecutor::later(Duration delay, std::function<void()> work)
{
    m_timers.after(delay, std::move(work));
}

void SimulatedExecutor::fleet(const TargetQuery &query, std::function<void(const Fleet &)> done)
{
    const Fleet answer = describeFleet(m_world.fleet(), query, now());
    later(apiLatency, [done = std::move(done), answer] { done(answer); });
}

void SimulatedExecutor::execute(const ActionRequest &request, std::function<void(const ActionResult &)> done)
{
    if (!actions().contains(request.action)) {
        finishAfter(Duration { 0 }, std::move(done),
            failed(u"the simulated %1 executor does not run '%2' (it runs %3)"_s.arg(
                m_family, request.action, actions().join(u", "_s))));
        return;
    }
    // The platform answers after its API round trip; the action's work starts then.
    later(apiLatency, [this, request, done = std::move(done)]() mutable { run(request, std::move(done)); });
}

void SimulatedExecutor::finishAfter(Duration delay, Done done, ActionResult result)
{
    later(delay, [done = std::move(done), result] { done(result); });
}

void SimulatedExecutor::watch(Duration limit, Poll poll, std::function<ActionResult()> timedOut, Done done)
{
    auto w = std::make_shared<Watch>(Watch { now() + limit, std::move(poll), std::move(timedOut), std::move(done) });
    later(1s, [this, w] { check(w); });
}

void SimulatedExecutor::check(const std::shared_ptr<Watch> &w)
{
    if (auto result = w->poll())
        w->done(*result);
    else if (now() >= w->deadline)
        w->done(w->timedOut());
    else
        later(1s, [this, w] { check(w); });
}

Duration SimulatedExecutor::defaultTimeout(const QString &action)
{
    const ActionSpec *spec = ActionCatalog::instance().find(action);
    return spec ? spec->defaultTimeout : Duration { 60s };
}

ActionResult SimulatedExecutor::failed(const QString &error, const QString &detail)
{
    ActionResult r;
    r.error = error;
    r.detail = detail.isEmpty() ? error : detail;
    return r;
}

ActionResult SimulatedExecutor::refused(const QString &reason)
{
    ActionResult r = failed(reason);
    r.blocked = true;
    return r;
}

Duration SimulatedExecutor::durationParam(const QVariantMap &params, const QString &key, Duration fallback)
{
    const QVariant v = params.value(key);
    if (!v.isValid())
        return fallback;
    if (v.typeId() == QMetaType::QString)
        return parseDuration(v.toString()).value_or(fallback);
    bool ok = false;
    const qint64 ms = v.toLongLong(&ok);
    return ok ? Duration { ms } : fallback;
}

bool SimulatedExecutor::boolParam(const QVariantMap &params, const QString &key, bool fallback)
{
    const QVariant v = params.value(key);
    if (!v.isValid())
        return fallback;
    if (v.typeId() == QMetaType::QString)
        return v.toString() == u"true"_s || v.toString() == u"yes"_s;
    return v.toBool();
}

QStringList SimulatedExecutor::listParam(const QVariantMap &params, const QString &key)
{
    const QVariant v = params.value(key);
    if (v.typeId() == QMetaType::QString)
        return v.toString().isEmpty() ? QStringList() : QStringList { v.toString() };
    return v.toStringList();
}

std::optional<qint64> SimulatedExecutor::intParam(const QVariantMap &params, const QString &key)
{
    const QVariant v = params.value(key);
    if (!v.isValid())
        return std::nullopt;
    bool ok = false;
    const qint64 n = v.toString().replace(u"+"_s, QString()).toLongLong(&ok);
    return ok ? std::optional<qint64>(n) : std::nullopt;
}

} // namespace antibody::sim

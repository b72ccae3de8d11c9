#pragma once

// A simulated environment on a virtual clock, with helpers that run the clock
// until an asynchronous answer arrives. Shared by the simulator's suites.
#include "engine/core/virtualclock.h"
#include "simulator/scenarios/simulatedenvironment.h"

#include <QTest>
#include <optional>

namespace antibody::sim::test {

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// 2026-11-27 19:30 UTC: the evening peak, when checkout-svc runs hot.
inline TimePoint peakHour()
{
    return *parseTime(u"2026-11-27T19:30:00.000Z");
}

struct Rig
{
    explicit Rig(quint64 seed = 7, TimePoint start = peakHour())
        : clock(start)
        , env(clock, seed)
    {
    }

    World &world() { return env.world(); }
    FleetState &fleet() { return env.world().fleet(); }
    void advance(Duration d) { clock.advanceBy(d); }

    // Runs the clock until `ready` holds or `limit` passes; false on the limit.
    template <typename Ready> bool runUntil(Ready ready, Duration limit = 10min)
    {
        const TimePoint until = clock.now() + limit;
        while (!ready()) {
            if (clock.now() >= until || !clock.runNext())
                return false;
        }
        return true;
    }

    ActionResult execute(const QString &family, ActionRequest request, Duration limit = 10min)
    {
        std::optional<ActionResult> result;
        ActionExecutor *executor = env.executor(family);
        if (!executor) {
            ActionResult missing;
            missing.error = u"no executor for "_s + family;
            return missing;
        }
        if (request.executionId.isEmpty())
            request.executionId = u"test-execution"_s;
        executor->execute(request, [&](const ActionResult &r) { result = r; });
        if (result) { // the port contract: never inside the call
            ActionResult broken;
            broken.error = u"answered inside execute()"_s;
            return broken;
        }
        if (!runUntil([&] { return result.has_value(); }, limit)) {
            ActionResult late;
            late.error = u"no answer within "_s + formatDuration(limit);
            return late;
        }
        return *result;
    }

    Fleet targets(const QString &family, const QString &dimension, const QString &service)
    {
        std::optional<Fleet> answer;
        env.executor(family)->fleet(TargetQuery { {}, dimension, service, {} }, [&](const Fleet &f) { answer = f; });
        runUntil([&] { return answer.has_value(); }, 1min);
        return answer.value_or(Fleet {});
    }

    MetricResult query(const QString &expression, Labels scope = {})
    {
        std::optional<MetricResult> answer;
        env.metricSource()->query(
            MetricQuery { expression, std::move(scope) }, [&](const MetricResult &r) { answer = r; });
        runUntil([&] { return answer.has_value(); }, 1min);
        return answer.value_or(MetricResult {});
    }

    // The single sample a selector matches, or NaN.
    double value(const QString &expression)
    {
        const MetricResult r = query(expression);
        return r.ok && r.samples.size() == 1 ? r.samples.front().value : std::nan("");
    }

    const Service &service(const QString &name) { return *fleet().service(name); }

    bool firing(const QString &alertName, const QString &service = {})
    {
        for (const Alert &a : world().firingAlerts()) {
            if (a.name == alertName && (service.isEmpty() || a.service() == service))
                return true;
        }
        return false;
    }

    VirtualClock clock;
    SimulatedEnvironment env;
};

inline ActionRequest request(
    const QString &action, const QString &service, QStringList targets = {}, QVariantMap params = {})
{
    ActionRequest r;
    r.action = action;
    r.service = service;
    r.targets = std::move(targets);
    r.params = std::move(params);
    return r;
}

} // namespace antibody::sim::test

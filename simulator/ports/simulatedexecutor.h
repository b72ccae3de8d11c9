#pragma once

#include "engine/ports/actionexecutor.h"
#include "simulator/ports/ownedtimers.h"

#include <memory>
#include <optional>

namespace antibody::sim {

class World;

// What every simulated executor shares: the family's actions from the catalog,
// fleet() from the world's targets, and completions that always arrive through
// the clock, never inside the call that asked (the port's contract). A family
// implements run() for its actions.
class SimulatedExecutor : public ActionExecutor
{
public:
    SimulatedExecutor(World &world, QString family);

    QString family() const override { return m_family; }
    QStringList actions() const override;
    void fleet(const TargetQuery &query, std::function<void(const Fleet &)> done) override;
    void execute(const ActionRequest &request, std::function<void(const ActionResult &)> done) override;

protected:
    using Done = std::function<void(const ActionResult &)>;
    using Poll = std::function<std::optional<ActionResult>()>;

    // Runs one of the family's actions; answers through `done` exactly once,
    // by way of finishAfter() or watch().
    virtual void run(const ActionRequest &request, Done done) = 0;

    World &world() const { return m_world; }
    TimePoint now() const;
    // Runs `work` after `delay` of virtual time, unless the executor is gone by then.
    void later(Duration delay, std::function<void()> work);
    // Delivers `result` after `delay` of virtual time.
    void finishAfter(Duration delay, Done done, ActionResult result);
    // Asks `poll` every second until it has a result; after `limit` answers `timedOut` instead.
    void watch(Duration limit, Poll poll, std::function<ActionResult()> timedOut, Done done);
    // The catalog's time limit for an action.
    static Duration defaultTimeout(const QString &action);

    static ActionResult failed(const QString &error, const QString &detail = {});
    static ActionResult refused(const QString &reason); // blocked by the system itself, not a failure

    // Parameters as the engine normalizes them (durations in ms), or as written.
    static Duration durationParam(const QVariantMap &params, const QString &key, Duration fallback);
    static bool boolParam(const QVariantMap &params, const QString &key, bool fallback);
    static QStringList listParam(const QVariantMap &params, const QString &key);
    static std::optional<qint64> intParam(const QVariantMap &params, const QString &key);

private:
    struct Watch
    {
        TimePoint deadline;
        Poll poll;
        std::function<ActionResult()> timedOut;
        Done done;
    };
    void check(const std::shared_ptr<Watch> &watch);

    World &m_world;
    QString m_family;
    OwnedTimers m_timers;
};

} // namespace antibody::sim

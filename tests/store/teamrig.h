#pragma once

// Replicas of the team engine in one test process, in virtual time: each is what one
// `antibody-server` runs (a PostgresStore, its LeaderLease with the server's settings,
// and an engine on the test doubles that starts when the lease is granted), on one
// PostgreSQL database of scripts/teamdb. They act on one shared world: one connection
// pool and one Alertmanager, and every call that reaches the pool's executor is counted
// there, whichever replica made it.
//
// A process's life is modelled by its clock: a killed replica's clock stops for good (no
// timer of it fires again, no executor answers it, nothing more of it reaches the
// database, as with SIGKILL); a paused one stops and later runs again, with its clock
// having jumped (SIGSTOP/SIGCONT) or lagging behind the world's (a suspended VM). The
// database's clock is the world's, whoever looks at it.
#include "engine/core/virtualclock.h"
#include "store/postgres/leaderlease.h"
#include "store/postgres/postgresstore.h"
#include "tests/engine/doubles/enginerig.h"

#include <QHash>
#include <memory>

namespace antibody::pgtest {

// One call that reached the pool's executor.
struct PoolCall
{
    QString replica;
    QString executionId;
    QString step;
    int pass = 0;
    QStringList targets; // what the plan chose
    QStringList affected; // what was still there and was terminated
    int fleetSize = 0; // connections in the pool when the call came
};

struct TeamReplica
{
    QString name;
    Duration lag { 0 }; // how far its clock is behind the world's
    bool frozen = false;
    bool dead = false;
    bool engineStarted = false;
    std::optional<TimePoint> ledAt; // world time the lease was granted
    std::optional<qint64> epoch;
    QStringList failures; // what its store refused or could not write
    QString heardAlert; // the fingerprint of the pool alert its engine heard firing
    // Called before a call reaches the pool; true: the process dies there, before acting.
    std::function<bool(const ActionRequest &)> dieBeforeActing;
    std::unique_ptr<PostgresStore> store;
    std::unique_ptr<test::EngineRig> rig;
    std::unique_ptr<LeaderLease> lease;
};

class TeamRig
{
public:
    // `database`: a database of createDatabase(). The lease has antibody-server's settings.
    explicit TeamRig(QString database);
    ~TeamRig();
    TeamRig(const TeamRig &) = delete;
    TeamRig &operator=(const TeamRig &) = delete;

    // A process starts: it opens the store and asks for the lease at once.
    TeamReplica &join(const QString &name);
    void kill(TeamReplica &replica);
    void pause(TeamReplica &replica);
    // SIGCONT (`clockJumped`: its clock counted the pause) or a VM waking up (it did not).
    void resume(TeamReplica &replica, bool clockJumped);
    // SIGTERM: the engine stops and the lease is given up.
    void terminate(TeamReplica &replica);
    // Ends what is left of dead replicas once another leads under a later epoch (their
    // connections close; whatever they still write on the way out is refused by the
    // epoch). Returns what each store refused, by replica.
    QHash<QString, QStringList> reap();

    TimePoint now() const { return m_now; }
    // Runs every live replica's timers in the order of the world's time.
    void advanceBy(Duration d) { advanceTo(m_now + d); }
    void advanceTo(TimePoint until);
    // Advances in steps of `step` until `done` holds or `limit` has passed; whether it held.
    bool runUntil(const std::function<bool()> &done, Duration limit, Duration step = Duration { 1'000 });

    // The replica whose engine runs and that is neither killed nor paused, if any.
    TeamReplica *leader();
    QList<TeamReplica *> replicas();

    // The pool: `idle` idle connections old enough for the runbook and a few active ones.
    void exhaustPool(int idle = 15, int active = 4);
    int poolSize() const { return static_cast<int>(m_pool.size()); }
    double utilization() const { return double(m_pool.size()) / maxConnections; }
    // Alertmanager: the alert fires (or resolves) and the leading engine hears it.
    void firePoolAlert();
    void resolvePoolAlert();

    // The runbook engines start with: the seed's pool runbook at Level 3 unless set.
    void setRunbook(const Runbook &runbook) { m_runbook = runbook; }

    const QList<PoolCall> &poolCalls() const { return m_calls; }
    QString database() const { return m_database; }
    static constexpr int maxConnections = 20;

private:
    void lead(TeamReplica &replica, qint64 epoch);
    void exit(TeamReplica &replica, const QString &why);
    // Ends what is left of a process: the engine, then the lease, then the store.
    static void end(TeamReplica &replica);
    void syncFleets();
    ActionResult act(TeamReplica &replica, const ActionRequest &request);
    TimePoint localTime(const TeamReplica &replica) const { return m_now - replica.lag; }

    QString m_database;
    TimePoint m_start;
    TimePoint m_now;
    std::vector<std::unique_ptr<TeamReplica>> m_replicas;
    QList<Target> m_pool;
    int m_nextPid = 4000;
    std::optional<Alert> m_alert; // as Alertmanager holds it
    QList<PoolCall> m_calls;
    Runbook m_runbook;
};

} // namespace antibody::pgtest

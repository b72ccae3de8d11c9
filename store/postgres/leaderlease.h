#pragma once

#include "engine/core/clock.h"

#include <QObject>
#include <QString>
#include <functional>
#include <optional>

namespace antibody {

class PgSession;

// Which replica leads: one row of `leader_leases` in the store's database. A replica
// acquires it when it has expired (its epoch grows by one: the fencing token), renews it
// while it leads, and steps down when it stops. Expiry is on the database's clock, so the
// replicas' own clocks never have to agree. The session writes under the epoch only while
// the lease is held: a renew that has not landed for `lostAfter` means this replica no
// longer leads, whatever the row says, and the epoch check refuses anything it still
// tries to write once another replica took over.
class LeaderLease : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        Duration ttl { 15'000 }; // how long a grant or a renew holds, on the database's clock
        Duration renewEvery { 5'000 };
        Duration lostAfter { 10'000 }; // no renew landed for this long: not the leader any more

        // antibody-server's: a killed leader is replaced within ttl + renewEvery = 12 s (the
        // team engine promises 15); a leader whose renews fail counts itself out after 6 s,
        // 4 s before anyone else can have the lease, so it stops acting first and the
        // epoch fences whatever it still tries.
        static Settings forServers()
        {
            return Settings { Duration { 10'000 }, Duration { 2'000 }, Duration { 6'000 } };
        }
    };
    // Who holds the lease as the database sees it now.
    struct Holding
    {
        QString holder;
        qint64 epoch = 0;
        bool live = false; // not expired
    };

    // Fences `session` with this lease's epoch. `clock` paces the renewals and measures
    // how long ago one landed (a VirtualClock in tests).
    LeaderLease(PgSession &session, Clock &clock, Settings settings);
    LeaderLease(PgSession &session, Clock &clock);
    ~LeaderLease() override;
    LeaderLease(const LeaderLease &) = delete;
    LeaderLease &operator=(const LeaderLease &) = delete;

    // Tries now and then every `renewEvery`: acquires the lease when it is free, renews it while held.
    void start();
    // Stops trying and steps down.
    void stop();

    bool tryAcquire();
    // Whether the renew landed; a lease taken over or expired is lost at once.
    bool renew();
    // Gives the lease up now (it expires at once, the next replica need not wait the TTL).
    void stepDown();

    bool isLeader() const;
    std::optional<qint64> epoch() const { return isLeader() ? m_epoch : std::nullopt; }
    std::optional<Holding> holding();

    // Tests: the database's clock as this lease reads it, shifted by this much (virtual
    // time, never a sleep). Unset: the database's clock as it is.
    void setDatabaseTimeShift(std::function<Duration()> shift) { m_shift = std::move(shift); }

Q_SIGNALS:
    void acquired(qint64 epoch);
    void lost(const QString &reason);

private:
    void tick();
    void lose(const QString &reason);
    QString shift() const;

    PgSession &m_session;
    Clock &m_clock;
    Settings m_settings;
    std::function<Duration()> m_shift;
    std::optional<qint64> m_epoch;
    TimePoint m_lastRenewal;
    std::optional<Clock::TimerId> m_timer;
};

} // namespace antibody

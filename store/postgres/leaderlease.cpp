#include "store/postgres/leaderlease.h"

#include "store/postgres/pgrow.h"
#include "store/postgres/pgsession.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

Q_LOGGING_CATEGORY(lcLease, "antibody.store.lease")

QString interval(Duration d)
{
    return u"%1 milliseconds"_s.arg(d.count());
}

} // namespace

LeaderLease::LeaderLease(PgSession &session, Clock &clock, Settings settings)
    : m_session(session)
    , m_clock(clock)
    , m_settings(settings)
{
    m_session.fenceWith([this] { return epoch(); });
}

LeaderLease::LeaderLease(PgSession &session, Clock &clock)
    : LeaderLease(session, clock, Settings {})
{
}

LeaderLease::~LeaderLease()
{
    stop();
    m_session.fenceWith({});
}

QString LeaderLease::shift() const
{
    return interval(m_shift ? m_shift() : Duration { 0 });
}

void LeaderLease::start()
{
    if (m_timer)
        return;
    tick();
}

void LeaderLease::stop()
{
    if (m_timer)
        m_clock.cancel(*m_timer);
    m_timer.reset();
    stepDown();
}

void LeaderLease::tick()
{
    if (m_epoch)
        renew();
    if (!isLeader())
        tryAcquire();
    m_timer = m_clock.callAfter(m_settings.renewEvery, [this] { tick(); });
}

bool LeaderLease::isLeader() const
{
    return m_epoch && m_clock.now() - m_lastRenewal < m_settings.lostAfter;
}

bool LeaderLease::tryAcquire()
{
    if (m_epoch && !isLeader())
        lose(u"no renew landed for %1"_s.arg(formatDuration(m_settings.lostAfter)));
    // Granted only when the lease has expired: the epoch grows by one, whoever had it before.
    const PgRows granted = m_session.statement(
        u"INSERT INTO leader_leases AS l (name, holder, epoch, acquired_at, renewed_at, expires_at) "
        "VALUES ($1, $2, 1, now() + $3::interval, now() + $3::interval, now() + $3::interval + $4::interval) "
        "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, epoch = l.epoch + 1, "
        "acquired_at = excluded.acquired_at, renewed_at = excluded.renewed_at, expires_at = excluded.expires_at "
        "WHERE l.expires_at <= excluded.acquired_at RETURNING epoch"_s,
        PgParams() << m_session.leaseName() << m_session.holder() << shift() << interval(m_settings.ttl));
    if (!granted.ok) {
        qCWarning(lcLease, "cannot ask for the leader lease of %s: %s", qUtf8Printable(m_session.location()),
            qUtf8Printable(granted.error));
        return false;
    }
    if (granted.rows.isEmpty())
        return false;
    m_epoch = PgRow(granted, 0).integer(0);
    m_lastRenewal = m_clock.now();
    qCInfo(lcLease, "%s leads under epoch %lld", qUtf8Printable(m_session.holder()), *m_epoch);
    Q_EMIT acquired(*m_epoch);
    return true;
}

bool LeaderLease::renew()
{
    if (!m_epoch)
        return false;
    const PgRows renewed = m_session.statement(
        u"UPDATE leader_leases SET renewed_at = now() + $4::interval, expires_at = now() + $4::interval + $5::interval "
        "WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > now() + $4::interval RETURNING epoch"_s,
        PgParams() << m_session.leaseName() << m_session.holder() << *m_epoch << shift() << interval(m_settings.ttl));
    if (!renewed.ok) {
        // Not an answer about the lease: keep trying until `lostAfter` says otherwise.
        qCWarning(lcLease, "the renew of the leader lease did not land: %s", qUtf8Printable(renewed.error));
        if (!isLeader())
            lose(u"no renew landed for %1 (%2)"_s.arg(formatDuration(m_settings.lostAfter), renewed.error));
        return false;
    }
    if (renewed.rows.isEmpty()) {
        const auto now = holding();
        lose(now && now->epoch != *m_epoch ? u"%1 took the lease over (epoch %2)"_s.arg(now->holder).arg(now->epoch)
                                           : u"the lease expired before it was renewed"_s);
        return false;
    }
    m_lastRenewal = m_clock.now();
    return true;
}

void LeaderLease::stepDown()
{
    if (!m_epoch)
        return;
    const qint64 epoch = *m_epoch;
    m_epoch.reset();
    const PgRows released = m_session.statement(u"UPDATE leader_leases SET expires_at = now() + $4::interval "
                                                "WHERE name = $1 AND holder = $2 AND epoch = $3"_s,
        PgParams() << m_session.leaseName() << m_session.holder() << epoch << shift());
    if (!released.ok) {
        qCWarning(
            lcLease, "could not give the leader lease up (it expires on its own): %s", qUtf8Printable(released.error));
    }
    Q_EMIT lost(u"stepped down"_s);
}

void LeaderLease::lose(const QString &reason)
{
    if (!m_epoch)
        return;
    qCWarning(lcLease, "%s no longer leads (epoch %lld): %s", qUtf8Printable(m_session.holder()), *m_epoch,
        qUtf8Printable(reason));
    m_epoch.reset();
    Q_EMIT lost(reason);
}

std::optional<LeaderLease::Holding> LeaderLease::holding()
{
    const PgRows q = m_session.statement(
        u"SELECT holder, epoch, expires_at > now() + $2::interval FROM leader_leases WHERE name = $1"_s,
        PgParams() << m_session.leaseName() << shift());
    if (!q.ok || q.rows.isEmpty())
        return std::nullopt;
    const PgRow r(q, 0);
    return Holding { r.text(0), r.integer(1), r.text(2) == u"t"_s };
}

} // namespace antibody

#include "engine/store/sqlitesafeguards.h"

#include "engine/store/redaction.h"
#include "engine/store/sqlitedatabase.h"
#include "engine/store/storedjson.h"

using namespace Qt::StringLiterals;

namespace antibody {

void SqliteSafeguards::saveBreaker(const BreakerState &breaker)
{
    const TimePoint at = breaker.openedAt.value_or(breaker.failures.isEmpty() ? TimePoint {} : breaker.failures.back());
    write(u"save the circuit breaker of %1"_s.arg(breaker.type), Durability::Durable, [&] {
        auto &upsert
            = m_db.cached("INSERT INTO breakers (type, state, failures, opened_at, last_reason) VALUES (?, ?, ?, ?, ?) "
                          "ON CONFLICT (type) DO UPDATE SET state = excluded.state, failures = excluded.failures, "
                          "opened_at = excluded.opened_at, last_reason = excluded.last_reason");
        upsert.bind(1, breaker.type)
            .bind(2, breakerStateText(breaker.state))
            .bind(3, StoredJson::text(StoredJson::times(breaker.failures)))
            .bind(4, breaker.openedAt ? std::optional<qint64>(toMillis(*breaker.openedAt)) : std::nullopt)
            .bind(5, Redaction::text(breaker.lastReason));
        upsert.run();
        seal(u"breakers"_s, { breaker.type }, at);
    });
}

QList<BreakerState> SqliteSafeguards::loadBreakers()
{
    QList<BreakerState> out;
    read(u"load the circuit breakers"_s, [&] {
        auto q = m_db.prepare(u"SELECT type, state, failures, opened_at, last_reason FROM breakers ORDER BY type"_s);
        while (q.step()) {
            BreakerState b;
            b.type = q.text(0);
            b.state = breakerStateFromText(q.text(1));
            b.failures = StoredJson::timeList(q.text(2));
            b.openedAt = q.optionalTime(3);
            b.lastReason = q.text(4);
            out << b;
        }
    });
    return out;
}

void SqliteSafeguards::saveCooldown(const Cooldown &cooldown)
{
    write(u"save the cooldown of %1"_s.arg(cooldown.resource), Durability::Durable, [&] {
        auto &upsert
            = m_db.cached("INSERT INTO cooldowns (resource, until, reason) VALUES (?, ?, ?) "
                          "ON CONFLICT (resource) DO UPDATE SET until = excluded.until, reason = excluded.reason");
        upsert.bind(1, cooldown.resource).bind(2, toMillis(cooldown.until)).bind(3, Redaction::text(cooldown.reason));
        upsert.run();
        seal(u"cooldowns"_s, { cooldown.resource }, cooldown.until);
    });
}

QList<Cooldown> SqliteSafeguards::loadCooldowns()
{
    QList<Cooldown> out;
    read(u"load the cooldowns"_s, [&] {
        auto q = m_db.prepare(u"SELECT resource, until, reason FROM cooldowns ORDER BY resource"_s);
        while (q.step())
            out << Cooldown { q.text(0), fromMillis(q.integer(1)), q.text(2) };
    });
    return out;
}

} // namespace antibody

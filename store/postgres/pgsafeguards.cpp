#include "store/postgres/pgsafeguards.h"

#include "engine/store/redaction.h"
#include "engine/store/storedjson.h"
#include "store/postgres/pgrow.h"

using namespace Qt::StringLiterals;

namespace antibody {

void PgSafeguards::saveBreaker(const BreakerState &breaker)
{
    const TimePoint at = breaker.openedAt.value_or(breaker.failures.isEmpty() ? TimePoint {} : breaker.failures.back());
    write(u"save the circuit breaker of %1"_s.arg(breaker.type), Durability::Decision, [&] {
        exec(u"INSERT INTO breakers (type, state, failures, opened_at, last_reason) VALUES ($1, $2, $3, $4, $5) "
             "ON CONFLICT (type) DO UPDATE SET state = excluded.state, failures = excluded.failures, "
             "opened_at = excluded.opened_at, last_reason = excluded.last_reason"_s,
            PgParams() << breaker.type << breakerStateText(breaker.state)
                       << StoredJson::text(StoredJson::times(breaker.failures)) << breaker.openedAt
                       << Redaction::text(breaker.lastReason));
        seal(u"breakers"_s, { breaker.type }, at);
    });
}

QList<BreakerState> PgSafeguards::loadBreakers()
{
    QList<BreakerState> out;
    read(u"load the circuit breakers"_s, [&] {
        const PgRows q = exec(u"SELECT type, state, failures, opened_at, last_reason FROM breakers ORDER BY type"_s);
        for (qsizetype i = 0; i < q.rows.size(); ++i) {
            const PgRow r(q, i);
            BreakerState b;
            b.type = r.text(0);
            b.state = breakerStateFromText(r.text(1));
            b.failures = StoredJson::timeList(r.text(2));
            b.openedAt = r.optionalTime(3);
            b.lastReason = r.text(4);
            out << b;
        }
    });
    return out;
}

void PgSafeguards::saveCooldown(const Cooldown &cooldown)
{
    write(u"save the cooldown of %1"_s.arg(cooldown.resource), Durability::Decision, [&] {
        exec(u"INSERT INTO cooldowns (resource, until, reason) VALUES ($1, $2, $3) "
             "ON CONFLICT (resource) DO UPDATE SET until = excluded.until, reason = excluded.reason"_s,
            PgParams() << cooldown.resource << cooldown.until << Redaction::text(cooldown.reason));
        seal(u"cooldowns"_s, { cooldown.resource }, cooldown.until);
    });
}

QList<Cooldown> PgSafeguards::loadCooldowns()
{
    QList<Cooldown> out;
    read(u"load the cooldowns"_s, [&] {
        const PgRows q = exec(u"SELECT resource, until, reason FROM cooldowns ORDER BY resource"_s);
        for (qsizetype i = 0; i < q.rows.size(); ++i) {
            const PgRow r(q, i);
            out << Cooldown { r.text(0), r.time(1), r.text(2) };
        }
    });
    return out;
}

} // namespace antibody

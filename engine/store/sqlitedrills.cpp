#include "engine/store/sqlitedrills.h"

#include "engine/store/redaction.h"
#include "engine/store/sqlitedatabase.h"

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

DrillResult drillFrom(const SqliteStatement &q)
{
    DrillResult d;
    d.runbook = q.text(0);
    d.scenario = q.text(1);
    d.passed = q.integer(2) != 0;
    d.outcome = q.text(3);
    if (const auto ms = q.optionalInteger(4))
        d.mttr = Duration { *ms };
    d.at = fromMillis(q.integer(5));
    d.detail = q.text(6);
    return d;
}

} // namespace

void SqliteDrills::saveDrill(const DrillResult &drill)
{
    write(u"save the drill of %1"_s.arg(drill.runbook), Durability::Durable, [&] {
        auto &insert = m_db.cached("INSERT INTO drills (runbook, scenario, passed, outcome, mttr_ms, at, detail) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, drill.runbook)
            .bind(2, drill.scenario)
            .bind(3, drill.passed ? 1 : 0)
            .bind(4, drill.outcome)
            .bind(5, drill.mttr ? std::optional<qint64>(drill.mttr->count()) : std::nullopt)
            .bind(6, toMillis(drill.at))
            .bind(7, Redaction::text(drill.detail));
        insert.run();
        seal(u"drills"_s, { m_db.lastInsertRowId() }, drill.at);
    });
}

std::optional<DrillResult> SqliteDrills::lastDrill(const QString &runbook)
{
    std::optional<DrillResult> out;
    read(u"read the last drill of %1"_s.arg(runbook), [&] {
        auto q = m_db.prepare(u"SELECT runbook, scenario, passed, outcome, mttr_ms, at, detail FROM drills "
                              "WHERE runbook = ? ORDER BY at DESC, id DESC LIMIT 1"_s);
        q.bind(1, runbook);
        if (q.step())
            out = drillFrom(q);
    });
    return out;
}

QList<DrillResult> SqliteDrills::drills(const QString &runbook)
{
    QList<DrillResult> out;
    read(u"list drills"_s, [&] {
        auto q = m_db.prepare(u"SELECT runbook, scenario, passed, outcome, mttr_ms, at, detail FROM drills "
                              "WHERE ? = '' OR runbook = ? ORDER BY at, id"_s);
        q.bind(1, runbook).bind(2, runbook);
        while (q.step())
            out << drillFrom(q);
    });
    return out;
}

} // namespace antibody

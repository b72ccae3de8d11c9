#include "store/postgres/pgdrills.h"

#include "engine/store/redaction.h"
#include "store/postgres/pgrow.h"

using namespace Qt::StringLiterals;

namespace antibody {

void PgDrills::saveDrill(const DrillResult &drill)
{
    write(u"save the drill of %1"_s.arg(drill.runbook), Durability::Decision, [&] {
        const PgRows inserted = exec(u"INSERT INTO drills (runbook, scenario, passed, outcome, mttr_ms, at, detail) "
                                     "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"_s,
            PgParams() << drill.runbook << drill.scenario << (drill.passed ? 1 : 0) << drill.outcome
                       << (drill.mttr ? std::optional<qint64>(drill.mttr->count()) : std::nullopt) << drill.at
                       << Redaction::text(drill.detail));
        seal(u"drills"_s, { PgRow(inserted, 0).integer(0) }, drill.at);
    });
}

QList<DrillResult> PgDrills::drillsWhere(const QString &condition, const QString &runbook, const QString &order)
{
    QList<DrillResult> out;
    read(u"read the drills of %1"_s.arg(runbook.isEmpty() ? u"every runbook"_s : runbook), [&] {
        const PgRows q = exec(u"SELECT runbook, scenario, passed, outcome, mttr_ms, at, detail FROM drills WHERE "_s
                + condition + u" ORDER BY "_s + order,
            PgParams() << runbook);
        for (qsizetype i = 0; i < q.rows.size(); ++i) {
            const PgRow r(q, i);
            DrillResult d;
            d.runbook = r.text(0);
            d.scenario = r.text(1);
            d.passed = r.integer(2) != 0;
            d.outcome = r.text(3);
            if (const auto ms = r.optionalInteger(4))
                d.mttr = Duration { *ms };
            d.at = r.time(5);
            d.detail = r.text(6);
            out << d;
        }
    });
    return out;
}

std::optional<DrillResult> PgDrills::lastDrill(const QString &runbook)
{
    const QList<DrillResult> last = drillsWhere(u"runbook = $1"_s, runbook, u"at DESC, id DESC LIMIT 1"_s);
    return last.isEmpty() ? std::nullopt : std::optional<DrillResult>(last.front());
}

QList<DrillResult> PgDrills::drills(const QString &runbook)
{
    return drillsWhere(u"$1 = '' OR runbook = $1"_s, runbook, u"at, id"_s);
}

} // namespace antibody

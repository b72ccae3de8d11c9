// SqliteStore's reads: recovery at start (unfinished executions, breakers,
// cooldowns), drills, and the facts recovery times are computed from.
#include "engine/store/ownerlock.h"
#include "engine/store/sqlitedatabase.h"
#include "engine/store/sqlitestore.h"
#include "engine/store/storedjson.h"
#include "engine/store/storedoutcome.h"
#include "engine/store/storeerror.h"

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

BreakerState::State breakerStateFrom(const QString &name)
{
    for (const auto s : { BreakerState::State::Open, BreakerState::State::HalfOpen }) {
        if (name == breakerStateText(s))
            return s;
    }
    return BreakerState::State::Closed;
}

std::optional<TimePoint> optionalTime(const SqliteStatement &q, int column)
{
    const auto ms = q.optionalInteger(column);
    return ms ? std::optional<TimePoint>(fromMillis(*ms)) : std::nullopt;
}

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

// Executions matching `condition` (on `e`, with one `?`, bound to `value`), each with
// its steps unless told otherwise, and the owner lock of the process that claimed each.
QList<ExecutionRecord> executionsWhere(SqliteDatabase &db, const QString &condition, const QString &value,
    QStringList *owners = nullptr, const QString &order = u"e.started_at, e.id"_s, bool withSteps = true)
{
    QList<ExecutionRecord> out;
    auto q = db.prepare(u"SELECT e.id, e.proposal_id, e.incident_id, e.fingerprint, e.executor, e.approved_by, "
                        "e.started_at, e.finished_at, e.outcome, e.owner, coalesce(p.runbook, ''), "
                        "coalesce(e.resource, 'service/' || i.service, '') FROM executions e "
                        "LEFT JOIN proposals p ON p.id = e.proposal_id LEFT JOIN incidents i ON i.id = e.incident_id "
                        "WHERE "_s
        + condition + u" ORDER BY "_s + order);
    q.bind(1, value);
    while (q.step()) {
        ExecutionRecord e;
        e.id = q.text(0);
        e.proposalId = q.text(1);
        e.incidentId = q.text(2);
        e.fingerprint = q.text(3);
        e.executor = q.text(4);
        e.approvedBy = q.text(5);
        e.startedAt = fromMillis(q.integer(6));
        e.finishedAt = optionalTime(q, 7);
        e.outcome = StoredOutcome::execution(q, 8);
        e.runbook = q.text(10);
        e.resource = q.text(11);
        out << e;
        if (owners)
            *owners << q.text(9);
    }
    if (!withSteps)
        return out;
    auto steps = db.prepare(u"SELECT id, step, action, pass, targets, params, started_at, finished_at, outcome, "
                            "detail, affected FROM steps WHERE execution_id = ? ORDER BY id"_s);
    for (ExecutionRecord &e : out) {
        steps.reset();
        steps.bind(1, e.id);
        while (steps.step()) {
            StepRecord s;
            s.id = steps.integer(0);
            s.executionId = e.id;
            s.incidentId = e.incidentId;
            s.step = steps.text(1);
            s.action = steps.text(2);
            s.pass = static_cast<int>(steps.integer(3));
            s.targets = StoredJson::stringList(steps.text(4));
            s.params = StoredJson::map(steps.text(5));
            s.startedAt = fromMillis(steps.integer(6));
            s.finishedAt = optionalTime(steps, 7);
            s.outcome = StoredOutcome::step(steps, 8);
            s.detail = steps.text(9);
            s.affected = StoredJson::stringList(steps.text(10));
            e.steps << s;
        }
    }
    return out;
}

} // namespace

bool SqliteStore::read(const QString &what, const std::function<void()> &body)
{
    flush(); // reads see everything written so far
    try {
        body();
        return true;
    } catch (const StoreError &e) {
        fail(u"could not %1: %2"_s.arg(what, e.message()));
        return false;
    }
}

QList<ExecutionRecord> SqliteStore::unfinishedExecutions()
{
    QList<ExecutionRecord> out;
    read(u"list the executions left in flight"_s, [&] {
        QStringList owners;
        const auto unfinished = executionsWhere(*m_db, u"e.outcome IS NULL AND ? = ''"_s, {}, &owners);
        // Only those whose process is gone: another live process on this database is still running its own.
        for (qsizetype i = 0; i < unfinished.size(); ++i) {
            if (!OwnerLock::isAlive(ownersFolder(m_db->file()), owners.at(i)))
                out << unfinished.at(i);
        }
    });
    return out;
}

bool SqliteStore::incidentEnded(const QString &incidentId)
{
    bool ended = false;
    read(u"look up incident %1"_s.arg(incidentId), [&] {
        auto &q = m_db->cached("SELECT state IN ('resolved', 'escalated', 'interrupted') FROM incidents WHERE id = ?");
        q.bind(1, incidentId);
        ended = q.step() && q.integer(0) != 0;
        q.reset();
    });
    return ended;
}

std::optional<ExecutionRecord> SqliteStore::findExecution(const QString &proposalId)
{
    QList<ExecutionRecord> found;
    read(u"look up the execution of %1"_s.arg(proposalId),
        [&] { found = executionsWhere(*m_db, u"e.proposal_id = ?"_s, proposalId); });
    return found.isEmpty() ? std::nullopt : std::optional<ExecutionRecord>(found.front());
}

std::optional<ExecutionRecord> SqliteStore::lastExecutionOn(const QString &resource)
{
    QList<ExecutionRecord> found;
    read(u"look up the last execution on %1"_s.arg(resource), [&] {
        found = executionsWhere(*m_db, u"coalesce(e.resource, 'service/' || i.service, '') = ?"_s, resource, nullptr,
            u"e.started_at DESC, e.rowid DESC LIMIT 1"_s, false);
    });
    return found.isEmpty() ? std::nullopt : std::optional<ExecutionRecord>(found.front());
}

QList<TimePoint> SqliteStore::automatedRunsSince(TimePoint since)
{
    QList<TimePoint> out;
    read(u"count the automated executions"_s, [&] {
        auto q = m_db->prepare(
            u"SELECT started_at FROM executions WHERE approved_by = '' AND started_at >= ? ORDER BY started_at"_s);
        q.bind(1, toMillis(since));
        while (q.step())
            out << fromMillis(q.integer(0));
    });
    return out;
}

QList<BreakerState> SqliteStore::loadBreakers()
{
    QList<BreakerState> out;
    read(u"load the circuit breakers"_s, [&] {
        auto q = m_db->prepare(u"SELECT type, state, failures, opened_at, last_reason FROM breakers ORDER BY type"_s);
        while (q.step()) {
            BreakerState b;
            b.type = q.text(0);
            b.state = breakerStateFrom(q.text(1));
            b.failures = StoredJson::timeList(q.text(2));
            b.openedAt = optionalTime(q, 3);
            b.lastReason = q.text(4);
            out << b;
        }
    });
    return out;
}

QList<Cooldown> SqliteStore::loadCooldowns()
{
    QList<Cooldown> out;
    read(u"load the cooldowns"_s, [&] {
        auto q = m_db->prepare(u"SELECT resource, until, reason FROM cooldowns ORDER BY resource"_s);
        while (q.step())
            out << Cooldown { q.text(0), fromMillis(q.integer(1)), q.text(2) };
    });
    return out;
}

std::optional<DrillResult> SqliteStore::lastDrill(const QString &runbook)
{
    std::optional<DrillResult> out;
    read(u"read the last drill of %1"_s.arg(runbook), [&] {
        auto q = m_db->prepare(u"SELECT runbook, scenario, passed, outcome, mttr_ms, at, detail FROM drills "
                               "WHERE runbook = ? ORDER BY at DESC, id DESC LIMIT 1"_s);
        q.bind(1, runbook);
        if (q.step())
            out = drillFrom(q);
    });
    return out;
}

QList<DrillResult> SqliteStore::drills(const QString &runbook)
{
    QList<DrillResult> out;
    read(u"list drills"_s, [&] {
        auto q = m_db->prepare(u"SELECT runbook, scenario, passed, outcome, mttr_ms, at, detail FROM drills "
                               "WHERE ? = '' OR runbook = ? ORDER BY at, id"_s);
        q.bind(1, runbook).bind(2, runbook);
        while (q.step())
            out << drillFrom(q);
    });
    return out;
}

QList<IncidentTimes> SqliteStore::incidentTimes()
{
    QList<IncidentTimes> out;
    read(u"read recovery times"_s, [&] { out = IncidentTimes::read(*m_db); });
    return out;
}

} // namespace antibody

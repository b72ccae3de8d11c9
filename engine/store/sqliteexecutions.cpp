#include "engine/store/sqliteexecutions.h"

#include "engine/store/redaction.h"
#include "engine/store/sqliteapprovals.h"
#include "engine/store/sqlitedatabase.h"
#include "engine/store/storedjson.h"
#include "engine/store/storedoutcome.h"
#include "engine/store/storeerror.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

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
        e.finishedAt = q.optionalTime(7);
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
            s.finishedAt = steps.optionalTime(7);
            s.outcome = StoredOutcome::step(steps, 8);
            s.detail = steps.text(9);
            s.affected = StoredJson::stringList(steps.text(10));
            e.steps << s;
        }
    }
    return out;
}

} // namespace

ExecutionClaim SqliteExecutions::claimExecution(const ExecutionRequest &request)
{
    ExecutionClaim claim;
    const QString executionId = request.proposalId + u"-X"_s;
    const bool stored = write(u"claim the execution of %1"_s.arg(request.proposalId), Durability::Durable, [&] {
        auto &existing
            = m_db.cached("SELECT id, executor, started_at, approved_by FROM executions WHERE proposal_id = ?");
        existing.bind(1, request.proposalId);
        if (existing.step()) {
            claim = { false, existing.text(0), existing.text(1), fromMillis(existing.integer(2)), existing.text(3), {},
                std::nullopt, false };
            existing.reset();
            return;
        }
        const auto proposal = SqliteApprovals::storedProposal(m_db, request.proposalId);
        if (!proposal) {
            claim.reason
                = u"no proposal %1 is stored in %2: nothing was executed"_s.arg(request.proposalId, m_db.file());
            return;
        }
        // The approval rules, from what is stored: whatever the claiming process believes.
        if (const QString refusal = ApprovalRules::claimRefusal(*proposal, request); !refusal.isEmpty()) {
            claim.reason = refusal;
            return;
        }
        // Everything another process may have changed since this one decided, read under
        // the write lock: the lease, the cooldown, an interruption, the rate limit.
        if (const auto refusal = refusalOf(request)) {
            claim = *refusal;
            return;
        }
        // UNIQUE (proposal_id) and the lease's index decide: whichever process inserts first executes.
        auto &insert = m_db.cached(
            "INSERT INTO executions (id, proposal_id, incident_id, fingerprint, executor, owner, approved_by, "
            "started_at, resource) "
            "SELECT ?, id, incident_id, ?, ?, ?, ?, ?, ? FROM proposals WHERE id = ? ON CONFLICT DO NOTHING");
        insert.bind(1, executionId)
            .bind(2, request.fingerprint)
            .bind(3, request.executor)
            .bind(4, m_session.ownerName())
            .bind(5, request.approvedBy)
            .bind(6, toMillis(request.at))
            .bind(8, request.proposalId);
        if (request.resource.isEmpty())
            insert.bindNull(7);
        else
            insert.bind(7, request.resource);
        insert.run();
        if (m_db.changes() == 1) {
            seal(u"executions"_s, { executionId }, request.at);
            claim = { true, executionId, request.executor, request.at, request.approvedBy, {}, std::nullopt, false };
            return;
        }
        claim.reason = u"no proposal %1 is stored in %2: nothing was executed"_s.arg(request.proposalId, m_db.file());
    });
    if (!stored) {
        claim = {};
        claim.reason = u"the claim could not be stored in %1, so nothing was executed: see the log"_s.arg(m_db.file());
    }
    return claim;
}

std::optional<ExecutionClaim> SqliteExecutions::refusalOf(const ExecutionRequest &request)
{
    ExecutionClaim refusal;
    const bool automated = request.approvedBy.isEmpty();
    if (!request.resource.isEmpty()) {
        auto &running = m_db.cached("SELECT id, executor, started_at, owner FROM executions "
                                    "WHERE resource = ? AND outcome IS NULL");
        running.bind(1, request.resource);
        if (running.step()) {
            const bool alive = m_session.ownerAlive(running.text(3));
            refusal.reason
                = u"%1 is being remediated by %2 (%3, since %4): one remediation at a time per resource%5"_s.arg(
                    request.resource, running.text(0), running.text(1), formatTime(fromMillis(running.integer(2))),
                    alive ? QString() : u"; its process stopped, so it is recovered as interrupted"_s);
            refusal.retryAt = request.at + leaseRetry;
            running.reset();
            return refusal;
        }
        auto &cooling = m_db.cached("SELECT until, reason FROM cooldowns WHERE resource = ? AND until > ?");
        cooling.bind(1, request.resource).bind(2, toMillis(request.at));
        if (cooling.step()) {
            refusal.retryAt = fromMillis(cooling.integer(0));
            refusal.reason
                = u"%1 cools down until %2 (%3)"_s.arg(request.resource, formatTime(*refusal.retryAt), cooling.text(1));
            cooling.reset();
            return refusal;
        }
        auto &last
            = m_db.cached("SELECT e.id, e.outcome FROM executions e LEFT JOIN incidents i ON i.id = e.incident_id "
                          "WHERE coalesce(e.resource, 'service/' || i.service) = ? "
                          "ORDER BY e.started_at DESC, e.rowid DESC LIMIT 1");
        last.bind(1, request.resource);
        if (automated && last.step() && StoredOutcome::execution(last, 1) == ExecutionOutcome::Interrupted) {
            refusal.needsApproval = true;
            refusal.reason = u"the last remediation of %1 (%2) was interrupted: a human approves the next run"_s.arg(
                request.resource, last.text(0));
            last.reset();
            return refusal;
        }
        last.reset();
    }
    if (automated && request.rateLimit > 0) {
        auto &recent = m_db.cached("SELECT count(*), min(started_at) FROM executions "
                                   "WHERE approved_by = '' AND started_at > ?");
        recent.bind(1, toMillis(request.at - request.rateWindow));
        recent.step();
        const qint64 runs = recent.integer(0);
        if (runs >= request.rateLimit) {
            refusal.retryAt = fromMillis(recent.integer(1)) + request.rateWindow;
            refusal.reason = u"%1 automated remediations in the last %2 reached the limit of %3"_s.arg(runs)
                                 .arg(formatDuration(request.rateWindow))
                                 .arg(request.rateLimit);
            recent.reset();
            return refusal;
        }
        recent.reset();
    }
    return std::nullopt;
}

qint64 SqliteExecutions::recordStepIntent(const StepRecord &step)
{
    qint64 id = 0;
    write(u"record the intent of step %1 (pass %2) of %3"_s.arg(step.step).arg(step.pass).arg(step.executionId),
        Durability::Durable, [&] {
            auto &execution = m_db.cached("SELECT outcome FROM executions WHERE id = ?");
            execution.bind(1, step.executionId);
            if (!execution.step())
                throw StoreError(u"no execution %1 is stored: the step is not run"_s.arg(step.executionId));
            if (!execution.isNull(0)) {
                throw StoreError(u"execution %1 already ended (%2): its steps are not run any more"_s.arg(
                    step.executionId, execution.text(0)));
            }
            execution.reset();
            auto &earlier
                = m_db.cached("SELECT started_at FROM steps WHERE execution_id = ? AND step = ? AND pass = ?");
            earlier.bind(1, step.executionId).bind(2, step.step).bind(3, step.pass);
            if (earlier.step()) {
                throw StoreError(u"step %1 pass %2 of %3 already started at %4: it is not run twice"_s.arg(step.step)
                                     .arg(step.pass)
                                     .arg(step.executionId, formatTime(fromMillis(earlier.integer(0)))));
            }
            earlier.reset();
            auto &insert
                = m_db.cached("INSERT INTO steps (execution_id, step, action, pass, targets, params, started_at, "
                              "detail, affected) VALUES (?, ?, ?, ?, ?, ?, ?, '', '[]')");
            insert.bind(1, step.executionId)
                .bind(2, step.step)
                .bind(3, step.action)
                .bind(4, step.pass)
                .bind(5, StoredJson::text(QJsonArray::fromStringList(step.targets)))
                .bind(6, StoredJson::text(QJsonObject::fromVariantMap(step.params)))
                .bind(7, toMillis(step.startedAt));
            insert.run();
            id = m_db.lastInsertRowId();
            seal(u"steps"_s, { id }, step.startedAt);
        });
    return id;
}

void SqliteExecutions::recordStepOutcome(const StepRecord &step)
{
    const TimePoint at = step.finishedAt.value_or(step.startedAt);
    write(u"record the outcome of step %1 of %2"_s.arg(step.step, step.executionId), Durability::Durable, [&] {
        auto &update = m_db.cached("UPDATE steps SET finished_at = ?, outcome = ?, detail = ?, affected = ? "
                                   "WHERE id = ? AND outcome IS NULL");
        update.bind(1, toMillis(at))
            .bind(2, stepResultText(step.outcome.value_or(StepResult::Unknown)))
            .bind(3, Redaction::text(step.detail))
            .bind(4, StoredJson::text(QJsonArray::fromStringList(step.affected)))
            .bind(5, step.id);
        update.run();
        if (m_db.changes() != 1)
            throw StoreError(
                u"step %1 (id %2) is not in flight: its outcome was already recorded, or its intent never was"_s
                    .arg(step.step)
                    .arg(step.id));
        seal(u"steps"_s, { step.id }, at);
    });
}

void SqliteExecutions::finishExecution(const QString &executionId, ExecutionOutcome outcome, TimePoint at)
{
    write(u"record the outcome of execution %1"_s.arg(executionId), Durability::Durable, [&] {
        auto &update
            = m_db.cached("UPDATE executions SET finished_at = ?, outcome = ? WHERE id = ? AND outcome IS NULL");
        update.bind(1, toMillis(at)).bind(2, executionOutcomeText(outcome)).bind(3, executionId);
        update.run();
        if (m_db.changes() != 1)
            throw StoreError(
                u"execution %1 is not running: it already ended, or it was never claimed"_s.arg(executionId));
        seal(u"executions"_s, { executionId }, at);
    });
}

QList<ExecutionRecord> SqliteExecutions::unfinishedExecutions()
{
    QList<ExecutionRecord> out;
    read(u"list the executions left in flight"_s, [&] {
        QStringList owners;
        const auto unfinished = executionsWhere(m_db, u"e.outcome IS NULL AND ? = ''"_s, {}, &owners);
        // Only those whose process is gone: another live process on this database is still running its own.
        for (qsizetype i = 0; i < unfinished.size(); ++i) {
            if (!m_session.ownerAlive(owners.at(i)))
                out << unfinished.at(i);
        }
    });
    return out;
}

std::optional<ExecutionRecord> SqliteExecutions::findExecution(const QString &proposalId)
{
    QList<ExecutionRecord> found;
    read(u"look up the execution of %1"_s.arg(proposalId),
        [&] { found = executionsWhere(m_db, u"e.proposal_id = ?"_s, proposalId); });
    return found.isEmpty() ? std::nullopt : std::optional<ExecutionRecord>(found.front());
}

std::optional<ExecutionRecord> SqliteExecutions::lastExecutionOn(const QString &resource)
{
    QList<ExecutionRecord> found;
    read(u"look up the last execution on %1"_s.arg(resource), [&] {
        found = executionsWhere(m_db, u"coalesce(e.resource, 'service/' || i.service, '') = ?"_s, resource, nullptr,
            u"e.started_at DESC, e.rowid DESC LIMIT 1"_s, false);
    });
    return found.isEmpty() ? std::nullopt : std::optional<ExecutionRecord>(found.front());
}

QList<TimePoint> SqliteExecutions::automatedRunsSince(TimePoint since)
{
    QList<TimePoint> out;
    read(u"count the automated executions"_s, [&] {
        auto q = m_db.prepare(
            u"SELECT started_at FROM executions WHERE approved_by = '' AND started_at >= ? ORDER BY started_at"_s);
        q.bind(1, toMillis(since));
        while (q.step())
            out << fromMillis(q.integer(0));
    });
    return out;
}

} // namespace antibody

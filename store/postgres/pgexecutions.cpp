#include "store/postgres/pgexecutions.h"

#include "engine/store/redaction.h"
#include "engine/store/storedjson.h"
#include "engine/store/storedoutcome.h"
#include "engine/store/storeerror.h"
#include "store/postgres/pgapprovals.h"
#include "store/postgres/pgrow.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

// Claims of every session are decided one after another, as SQLite's write lock does:
// the lease, the cooldown and the rate limit are read under it. A transaction-level
// lock, so it goes with the transaction whatever happens to the session (and works
// behind PgBouncer's transaction pooling).
constexpr qint64 claimLock = 0x616e7469636c6169; // "anticlai"

std::optional<ExecutionOutcome> executionOutcome(const PgRow &r, int column)
{
    const QString text = r.text(column);
    return StoredOutcome::execution(r.isNull(column) ? nullptr : &text);
}

std::optional<StepResult> stepOutcome(const PgRow &r, int column)
{
    const QString text = r.text(column);
    return StoredOutcome::step(r.isNull(column) ? nullptr : &text);
}

} // namespace

QList<ExecutionRecord> PgExecutions::executionsWhere(
    const QString &condition, const QString &value, const QString &order, bool withSteps)
{
    QList<ExecutionRecord> out;
    const PgRows q = exec(u"SELECT e.id, e.proposal_id, e.incident_id, e.fingerprint, e.executor, e.approved_by, "
                          "e.started_at, e.finished_at, e.outcome, coalesce(p.runbook, ''), "
                          "coalesce(e.resource, 'service/' || i.service, '') FROM executions e "
                          "LEFT JOIN proposals p ON p.id = e.proposal_id LEFT JOIN incidents i ON i.id = e.incident_id "
                          "WHERE "_s
            + condition + u" ORDER BY "_s + order,
        PgParams() << value);
    for (qsizetype i = 0; i < q.rows.size(); ++i) {
        const PgRow r(q, i);
        ExecutionRecord e;
        e.id = r.text(0);
        e.proposalId = r.text(1);
        e.incidentId = r.text(2);
        e.fingerprint = r.text(3);
        e.executor = r.text(4);
        e.approvedBy = r.text(5);
        e.startedAt = r.time(6);
        e.finishedAt = r.optionalTime(7);
        e.outcome = executionOutcome(r, 8);
        e.runbook = r.text(9);
        e.resource = r.text(10);
        out << e;
    }
    if (!withSteps)
        return out;
    for (ExecutionRecord &e : out) {
        const PgRows steps
            = exec(u"SELECT id, step, action, pass, targets, params, started_at, finished_at, outcome, detail, "
                   "affected FROM steps WHERE execution_id = $1 ORDER BY id"_s,
                PgParams() << e.id);
        for (qsizetype i = 0; i < steps.rows.size(); ++i) {
            const PgRow r(steps, i);
            StepRecord s;
            s.id = r.integer(0);
            s.executionId = e.id;
            s.incidentId = e.incidentId;
            s.step = r.text(1);
            s.action = r.text(2);
            s.pass = int(r.integer(3));
            s.targets = StoredJson::stringList(r.text(4));
            s.params = StoredJson::map(r.text(5));
            s.startedAt = r.time(6);
            s.finishedAt = r.optionalTime(7);
            s.outcome = stepOutcome(r, 8);
            s.detail = r.text(9);
            s.affected = StoredJson::stringList(r.text(10));
            e.steps << s;
        }
    }
    return out;
}

ExecutionClaim PgExecutions::claimExecution(const ExecutionRequest &request)
{
    ExecutionClaim out;
    const bool stored = write(
        u"claim the execution of %1"_s.arg(request.proposalId), Durability::Decision, [&] { out = claim(request); });
    if (!stored) {
        out = {};
        out.reason
            = u"the claim could not be stored in %1, so nothing was executed: see the log"_s.arg(m_session.location());
    }
    return out;
}

std::optional<ExecutionClaim> PgExecutions::claimedBefore(const QString &proposalId)
{
    const PgRows existing
        = exec(u"SELECT id, executor, started_at, approved_by FROM executions WHERE proposal_id = $1"_s,
            PgParams() << proposalId);
    if (existing.rows.isEmpty())
        return std::nullopt;
    const PgRow r(existing, 0);
    return ExecutionClaim { false, r.text(0), r.text(1), r.time(2), r.text(3), {}, std::nullopt, false };
}

ExecutionClaim PgExecutions::claim(const ExecutionRequest &request)
{
    exec(u"SELECT pg_advisory_xact_lock($1)"_s, PgParams() << claimLock);
    if (auto earlier = claimedBefore(request.proposalId))
        return *earlier;
    ExecutionClaim refused;
    const auto proposal = PgApprovals::storedProposal(m_session, request.proposalId);
    if (!proposal) {
        refused.reason
            = u"no proposal %1 is stored in %2: nothing was executed"_s.arg(request.proposalId, m_session.location());
        return refused;
    }
    // The approval rules, from what is stored: whatever the claiming replica believes.
    if (const QString refusal = ApprovalRules::claimRefusal(*proposal, request); !refusal.isEmpty()) {
        refused.reason = refusal;
        return refused;
    }
    if (const auto refusal = refusalOf(request))
        return *refusal;
    // UNIQUE (proposal_id) and the lease's index decide, should the lock above ever not.
    const QString executionId = request.proposalId + u"-X"_s;
    PgParams p;
    p << executionId << request.fingerprint << request.executor << m_session.holder() << epoch() << request.approvedBy
      << request.at;
    p.textOrNull(request.resource);
    p << request.proposalId;
    const PgRows inserted = exec(u"INSERT INTO executions (id, proposal_id, incident_id, fingerprint, executor, owner, "
                                 "epoch, approved_by, started_at, resource) "
                                 "SELECT $1, id, incident_id, $2, $3, $4, $5, $6, $7, $8 FROM proposals WHERE id = $9 "
                                 "ON CONFLICT DO NOTHING RETURNING id"_s,
        p);
    if (inserted.rows.isEmpty()) {
        if (auto winner = claimedBefore(request.proposalId))
            return *winner;
        refused.reason
            = u"%1 is being remediated by another execution: one at a time per resource"_s.arg(request.resource);
        refused.retryAt = request.at + leaseRetry;
        return refused;
    }
    seal(u"executions"_s, { executionId }, request.at);
    return { true, executionId, request.executor, request.at, request.approvedBy, {}, std::nullopt, false };
}

std::optional<ExecutionClaim> PgExecutions::refusalOf(const ExecutionRequest &request)
{
    ExecutionClaim refusal;
    const bool automated = request.approvedBy.isEmpty();
    if (!request.resource.isEmpty()) {
        const PgRows running
            = exec(u"SELECT e.id, e.executor, e.started_at, e.epoch < coalesce(l.epoch, 0) FROM executions e "
                   "LEFT JOIN leader_leases l ON l.name = $2 WHERE e.resource = $1 AND e.outcome IS NULL"_s,
                PgParams() << request.resource << m_session.leaseName());
        if (!running.rows.isEmpty()) {
            const PgRow r(running, 0);
            refusal.reason
                = u"%1 is being remediated by %2 (%3, since %4): one remediation at a time per resource%5"_s.arg(
                    request.resource, r.text(0), r.text(1), formatTime(r.time(2)),
                    r.text(3) == u"t"_s ? u"; its leader is gone, so it is recovered as interrupted"_s : QString());
            refusal.retryAt = request.at + leaseRetry;
            return refusal;
        }
        const PgRows cooling = exec(u"SELECT until, reason FROM cooldowns WHERE resource = $1 AND until > $2"_s,
            PgParams() << request.resource << request.at);
        if (!cooling.rows.isEmpty()) {
            const PgRow r(cooling, 0);
            refusal.retryAt = r.time(0);
            refusal.reason = u"%1 cools down until %2 (%3)"_s.arg(request.resource, formatTime(r.time(0)), r.text(1));
            return refusal;
        }
        const PgRows last
            = exec(u"SELECT e.id, e.outcome FROM executions e LEFT JOIN incidents i ON i.id = e.incident_id "
                   "WHERE coalesce(e.resource, 'service/' || i.service) = $1 "
                   "ORDER BY e.started_at DESC, e.id DESC LIMIT 1"_s,
                PgParams() << request.resource);
        if (automated && !last.rows.isEmpty() && executionOutcome(PgRow(last, 0), 1) == ExecutionOutcome::Interrupted) {
            refusal.needsApproval = true;
            refusal.reason = u"the last remediation of %1 (%2) was interrupted: a human approves the next run"_s.arg(
                request.resource, PgRow(last, 0).text(0));
            return refusal;
        }
    }
    if (automated && request.rateLimit > 0) {
        const PgRows recent = exec(u"SELECT count(*), min(started_at) FROM executions "
                                   "WHERE approved_by = '' AND started_at > $1"_s,
            PgParams() << request.at - request.rateWindow);
        const PgRow r(recent, 0);
        if (r.integer(0) >= request.rateLimit) {
            refusal.retryAt = r.time(1) + request.rateWindow;
            refusal.reason = u"%1 automated remediations in the last %2 reached the limit of %3"_s.arg(r.integer(0))
                                 .arg(formatDuration(request.rateWindow))
                                 .arg(request.rateLimit);
            return refusal;
        }
    }
    return std::nullopt;
}

qint64 PgExecutions::recordStepIntent(const StepRecord &step)
{
    qint64 id = 0;
    const QString what
        = u"record the intent of step %1 (pass %2) of %3"_s.arg(step.step).arg(step.pass).arg(step.executionId);
    write(what, Durability::Decision, [&] {
        const PgRows execution
            = exec(u"SELECT outcome, epoch FROM executions WHERE id = $1 FOR UPDATE"_s, PgParams() << step.executionId);
        if (execution.rows.isEmpty())
            throw StoreError(u"no execution %1 is stored: the step is not run"_s.arg(step.executionId));
        const PgRow e(execution, 0);
        if (!e.isNull(0)) {
            throw StoreError(
                u"execution %1 already ended (%2): its steps are not run any more"_s.arg(step.executionId, e.text(0)));
        }
        if (e.integer(1) != epoch()) {
            throw StoreError(u"execution %1 was claimed under lease epoch %2 by a leader that is gone (this one leads "
                             "under epoch %3): its outcome is unknown, no step of it runs again, recovery ends it"_s
                                 .arg(step.executionId)
                                 .arg(e.integer(1))
                                 .arg(epoch()));
        }
        const PgRows earlier
            = exec(u"SELECT started_at FROM steps WHERE execution_id = $1 AND step = $2 AND pass = $3"_s,
                PgParams() << step.executionId << step.step << step.pass);
        if (!earlier.rows.isEmpty()) {
            throw StoreError(
                u"step %1 pass %2 of %3 already started at %4: it is not run twice"_s.arg(step.step).arg(step.pass).arg(
                    step.executionId, formatTime(PgRow(earlier, 0).time(0))));
        }
        const PgRows inserted
            = exec(u"INSERT INTO steps (execution_id, step, action, pass, targets, params, started_at, detail, "
                   "affected) VALUES ($1, $2, $3, $4, $5, $6, $7, '', '[]') RETURNING id"_s,
                PgParams() << step.executionId << step.step << step.action << step.pass
                           << StoredJson::text(QJsonArray::fromStringList(step.targets))
                           << StoredJson::text(QJsonObject::fromVariantMap(step.params)) << step.startedAt);
        id = PgRow(inserted, 0).integer(0);
        seal(u"steps"_s, { id }, step.startedAt);
    });
    return id;
}

void PgExecutions::recordStepOutcome(const StepRecord &step)
{
    const TimePoint at = step.finishedAt.value_or(step.startedAt);
    write(u"record the outcome of step %1 of %2"_s.arg(step.step, step.executionId), Durability::Decision, [&] {
        const PgRows updated = exec(u"UPDATE steps SET finished_at = $1, outcome = $2, detail = $3, affected = $4 "
                                    "WHERE id = $5 AND outcome IS NULL RETURNING id"_s,
            PgParams() << at << stepResultText(step.outcome.value_or(StepResult::Unknown))
                       << Redaction::text(step.detail) << StoredJson::text(QJsonArray::fromStringList(step.affected))
                       << step.id);
        if (updated.rows.isEmpty()) {
            throw StoreError(
                u"step %1 (id %2) is not in flight: its outcome was already recorded, or its intent never was"_s
                    .arg(step.step)
                    .arg(step.id));
        }
        seal(u"steps"_s, { step.id }, at);
    });
}

void PgExecutions::finishExecution(const QString &executionId, ExecutionOutcome outcome, TimePoint at)
{
    write(u"record the outcome of execution %1"_s.arg(executionId), Durability::Decision, [&] {
        const PgRows updated = exec(u"UPDATE executions SET finished_at = $1, outcome = $2 "
                                    "WHERE id = $3 AND outcome IS NULL RETURNING id"_s,
            PgParams() << at << executionOutcomeText(outcome) << executionId);
        if (updated.rows.isEmpty()) {
            throw StoreError(
                u"execution %1 is not running: it already ended, or it was never claimed"_s.arg(executionId));
        }
        seal(u"executions"_s, { executionId }, at);
    });
}

QList<ExecutionRecord> PgExecutions::unfinishedExecutions()
{
    QList<ExecutionRecord> out;
    // Only those of an older epoch: the leader that claimed them is gone. The current
    // leader's own are running.
    read(u"list the executions left in flight"_s, [&] {
        out = executionsWhere(u"e.outcome IS NULL AND e.epoch < coalesce((SELECT epoch FROM leader_leases "
                              "WHERE name = $1), 0)"_s,
            m_session.leaseName(), u"e.started_at, e.id"_s);
    });
    return out;
}

std::optional<ExecutionRecord> PgExecutions::findExecution(const QString &proposalId)
{
    QList<ExecutionRecord> found;
    read(u"look up the execution of %1"_s.arg(proposalId),
        [&] { found = executionsWhere(u"e.proposal_id = $1"_s, proposalId, u"e.id"_s); });
    return found.isEmpty() ? std::nullopt : std::optional<ExecutionRecord>(found.front());
}

std::optional<ExecutionRecord> PgExecutions::lastExecutionOn(const QString &resource)
{
    QList<ExecutionRecord> found;
    read(u"look up the last execution on %1"_s.arg(resource), [&] {
        found = executionsWhere(u"coalesce(e.resource, 'service/' || i.service, '') = $1"_s, resource,
            u"e.started_at DESC, e.id DESC LIMIT 1"_s, false);
    });
    return found.isEmpty() ? std::nullopt : std::optional<ExecutionRecord>(found.front());
}

QList<TimePoint> PgExecutions::automatedRunsSince(TimePoint since)
{
    QList<TimePoint> out;
    read(u"count the automated executions"_s, [&] {
        const PgRows q = exec(
            u"SELECT started_at FROM executions WHERE approved_by = '' AND started_at >= $1 ORDER BY started_at"_s,
            PgParams() << since);
        for (qsizetype i = 0; i < q.rows.size(); ++i)
            out << PgRow(q, i).time(0);
    });
    return out;
}

} // namespace antibody

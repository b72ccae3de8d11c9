// SqliteStore's decision and execution records: each is committed before the call
// returns, and each refusal says who, when and what to do instead.
#include "engine/store/approvalrules.h"
#include "engine/store/ownerlock.h"
#include "engine/store/redaction.h"
#include "engine/store/sqlitedatabase.h"
#include "engine/store/sqlitestore.h"
#include "engine/store/storedjson.h"
#include "engine/store/storedoutcome.h"
#include "engine/store/storeerror.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

QStringList storedApprovers(SqliteDatabase &db, const QString &proposalId, const QString &fingerprint)
{
    auto &q = db.cached("SELECT approver FROM approvals WHERE proposal_id = ? AND fingerprint = ? "
                        "AND decision = 'approved' ORDER BY id");
    q.bind(1, proposalId).bind(2, fingerprint);
    QStringList out;
    while (q.step())
        out << q.text(0);
    return out;
}

std::optional<StoredProposal> storedProposal(SqliteDatabase &db, const QString &proposalId)
{
    auto &q = db.cached("SELECT fingerprint, mode, state, approvals_required, requested_by, expires_at "
                        "FROM proposals WHERE id = ?");
    q.bind(1, proposalId);
    if (!q.step())
        return std::nullopt;
    StoredProposal p { proposalId, q.text(0), q.text(1), q.text(2), int(q.integer(3)), q.text(4),
        fromMillis(q.integer(5)), {} };
    q.reset();
    p.approvers = storedApprovers(db, proposalId, p.fingerprint);
    return p;
}

// One row of `approvals`: an approval or a denial of the plan with this fingerprint.
qint64 insertDecision(SqliteDatabase &db, const Approval &a, const QString &decision, const QString &reason)
{
    auto &insert = db.cached("INSERT INTO approvals (proposal_id, fingerprint, approver, decision, reason, at) "
                             "VALUES (?, ?, ?, ?, ?, ?)");
    insert.bind(1, a.proposalId)
        .bind(2, a.fingerprint)
        .bind(3, a.approver)
        .bind(4, decision)
        .bind(5, Redaction::text(reason))
        .bind(6, toMillis(a.at));
    insert.run();
    return db.lastInsertRowId();
}

} // namespace

ApprovalOutcome SqliteStore::recordApproval(const Approval &approval)
{
    ApprovalOutcome out;
    const bool stored
        = write(u"record %1's approval of %2"_s.arg(approval.approver, approval.proposalId), Durability::Durable, [&] {
              const auto proposal = storedProposal(*m_db, approval.proposalId);
              if (!proposal) {
                  out.reason = u"no proposal %1 is stored in %2: nothing was approved"_s.arg(
                      approval.proposalId, m_db->file());
                  return;
              }
              out.approvers = storedApprovers(*m_db, approval.proposalId, approval.fingerprint);

              auto &execution
                  = m_db->cached("SELECT executor, approved_by, started_at FROM executions WHERE proposal_id = ?");
              execution.bind(1, approval.proposalId);
              if (execution.step()) {
                  out.reason = u"already executing since %1: approved by %2, run by %3"_s.arg(
                      formatTime(fromMillis(execution.integer(2))),
                      execution.text(1).isEmpty() ? u"nobody (it ran automatically)"_s : execution.text(1),
                      execution.text(0));
                  return;
              }
              execution.reset();
              if (const QString refusal = ApprovalRules::approvalRefusal(*proposal, approval); !refusal.isEmpty()) {
                  out.reason = refusal;
                  return;
              }
              auto &earlier = m_db->cached("SELECT at FROM approvals WHERE proposal_id = ? AND fingerprint = ? "
                                           "AND approver = ? AND decision = 'approved'");
              earlier.bind(1, approval.proposalId).bind(2, approval.fingerprint).bind(3, approval.approver);
              if (earlier.step()) {
                  out.reason = u"%1 already approved this plan at %2"_s.arg(
                      approval.approver, formatTime(fromMillis(earlier.integer(0))));
                  return;
              }
              earlier.reset();
              seal(u"approvals"_s, { insertDecision(*m_db, approval, u"approved"_s, approval.reason) }, approval.at);
              out.accepted = true;
              out.approvers << approval.approver;
          });
    if (!stored) {
        out.accepted = false;
        out.reason = u"the approval could not be stored in %1, so it does not count: see the log"_s.arg(m_db->file());
    }
    return out;
}

QStringList SqliteStore::approversOf(const QString &proposalId, const QString &fingerprint)
{
    QStringList out;
    read(u"read the approvals of %1"_s.arg(proposalId), [&] { out = storedApprovers(*m_db, proposalId, fingerprint); });
    return out;
}

void SqliteStore::recordDenial(const Approval &denial)
{
    write(u"record %1's denial of %2"_s.arg(denial.approver, denial.proposalId), Durability::Durable, [&] {
        const QString reason = denial.reason.trimmed().isEmpty() ? u"(no reason given)"_s : denial.reason;
        seal(u"approvals"_s, { insertDecision(*m_db, denial, u"denied"_s, reason) }, denial.at);
    });
}

ExecutionClaim SqliteStore::claimExecution(const ExecutionRequest &request)
{
    ExecutionClaim claim;
    const QString executionId = request.proposalId + u"-X"_s;
    const bool stored = write(u"claim the execution of %1"_s.arg(request.proposalId), Durability::Durable, [&] {
        auto &existing
            = m_db->cached("SELECT id, executor, started_at, approved_by FROM executions WHERE proposal_id = ?");
        existing.bind(1, request.proposalId);
        if (existing.step()) {
            claim = { false, existing.text(0), existing.text(1), fromMillis(existing.integer(2)), existing.text(3), {},
                std::nullopt, false };
            existing.reset();
            return;
        }
        const auto proposal = storedProposal(*m_db, request.proposalId);
        if (!proposal) {
            claim.reason
                = u"no proposal %1 is stored in %2: nothing was executed"_s.arg(request.proposalId, m_db->file());
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
        auto &insert = m_db->cached(
            "INSERT INTO executions (id, proposal_id, incident_id, fingerprint, executor, owner, approved_by, "
            "started_at, resource) "
            "SELECT ?, id, incident_id, ?, ?, ?, ?, ?, ? FROM proposals WHERE id = ? ON CONFLICT DO NOTHING");
        insert.bind(1, executionId)
            .bind(2, request.fingerprint)
            .bind(3, request.executor)
            .bind(4, m_owner->name())
            .bind(5, request.approvedBy)
            .bind(6, toMillis(request.at))
            .bind(8, request.proposalId);
        if (request.resource.isEmpty())
            insert.bindNull(7);
        else
            insert.bind(7, request.resource);
        insert.run();
        if (m_db->changes() == 1) {
            seal(u"executions"_s, { executionId }, request.at);
            claim = { true, executionId, request.executor, request.at, request.approvedBy, {}, std::nullopt, false };
            return;
        }
        claim.reason = u"no proposal %1 is stored in %2: nothing was executed"_s.arg(request.proposalId, m_db->file());
    });
    if (!stored) {
        claim = {};
        claim.reason = u"the claim could not be stored in %1, so nothing was executed: see the log"_s.arg(m_db->file());
    }
    return claim;
}

std::optional<ExecutionClaim> SqliteStore::refusalOf(const ExecutionRequest &request)
{
    ExecutionClaim refusal;
    const bool automated = request.approvedBy.isEmpty();
    if (!request.resource.isEmpty()) {
        auto &running = m_db->cached("SELECT id, executor, started_at, owner FROM executions "
                                     "WHERE resource = ? AND outcome IS NULL");
        running.bind(1, request.resource);
        if (running.step()) {
            const bool alive = OwnerLock::isAlive(ownersFolder(m_db->file()), running.text(3));
            refusal.reason
                = u"%1 is being remediated by %2 (%3, since %4): one remediation at a time per resource%5"_s.arg(
                    request.resource, running.text(0), running.text(1), formatTime(fromMillis(running.integer(2))),
                    alive ? QString() : u"; its process stopped, so it is recovered as interrupted"_s);
            refusal.retryAt = request.at + leaseRetry;
            running.reset();
            return refusal;
        }
        auto &cooling = m_db->cached("SELECT until, reason FROM cooldowns WHERE resource = ? AND until > ?");
        cooling.bind(1, request.resource).bind(2, toMillis(request.at));
        if (cooling.step()) {
            refusal.retryAt = fromMillis(cooling.integer(0));
            refusal.reason
                = u"%1 cools down until %2 (%3)"_s.arg(request.resource, formatTime(*refusal.retryAt), cooling.text(1));
            cooling.reset();
            return refusal;
        }
        auto &last
            = m_db->cached("SELECT e.id, e.outcome FROM executions e LEFT JOIN incidents i ON i.id = e.incident_id "
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
        auto &recent = m_db->cached("SELECT count(*), min(started_at) FROM executions "
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

qint64 SqliteStore::recordStepIntent(const StepRecord &step)
{
    qint64 id = 0;
    write(u"record the intent of step %1 (pass %2) of %3"_s.arg(step.step).arg(step.pass).arg(step.executionId),
        Durability::Durable, [&] {
            auto &execution = m_db->cached("SELECT outcome FROM executions WHERE id = ?");
            execution.bind(1, step.executionId);
            if (!execution.step())
                throw StoreError(u"no execution %1 is stored: the step is not run"_s.arg(step.executionId));
            if (!execution.isNull(0)) {
                throw StoreError(u"execution %1 already ended (%2): its steps are not run any more"_s.arg(
                    step.executionId, execution.text(0)));
            }
            execution.reset();
            auto &earlier
                = m_db->cached("SELECT started_at FROM steps WHERE execution_id = ? AND step = ? AND pass = ?");
            earlier.bind(1, step.executionId).bind(2, step.step).bind(3, step.pass);
            if (earlier.step()) {
                throw StoreError(u"step %1 pass %2 of %3 already started at %4: it is not run twice"_s.arg(step.step)
                                     .arg(step.pass)
                                     .arg(step.executionId, formatTime(fromMillis(earlier.integer(0)))));
            }
            earlier.reset();
            auto &insert
                = m_db->cached("INSERT INTO steps (execution_id, step, action, pass, targets, params, started_at, "
                               "detail, affected) VALUES (?, ?, ?, ?, ?, ?, ?, '', '[]')");
            insert.bind(1, step.executionId)
                .bind(2, step.step)
                .bind(3, step.action)
                .bind(4, step.pass)
                .bind(5, StoredJson::text(QJsonArray::fromStringList(step.targets)))
                .bind(6, StoredJson::text(QJsonObject::fromVariantMap(step.params)))
                .bind(7, toMillis(step.startedAt));
            insert.run();
            id = m_db->lastInsertRowId();
            seal(u"steps"_s, { id }, step.startedAt);
        });
    return id;
}

void SqliteStore::recordStepOutcome(const StepRecord &step)
{
    const TimePoint at = step.finishedAt.value_or(step.startedAt);
    write(u"record the outcome of step %1 of %2"_s.arg(step.step, step.executionId), Durability::Durable, [&] {
        auto &update = m_db->cached("UPDATE steps SET finished_at = ?, outcome = ?, detail = ?, affected = ? "
                                    "WHERE id = ? AND outcome IS NULL");
        update.bind(1, toMillis(at))
            .bind(2, stepResultText(step.outcome.value_or(StepResult::Unknown)))
            .bind(3, Redaction::text(step.detail))
            .bind(4, StoredJson::text(QJsonArray::fromStringList(step.affected)))
            .bind(5, step.id);
        update.run();
        if (m_db->changes() != 1)
            throw StoreError(
                u"step %1 (id %2) is not in flight: its outcome was already recorded, or its intent never was"_s
                    .arg(step.step)
                    .arg(step.id));
        seal(u"steps"_s, { step.id }, at);
    });
}

void SqliteStore::finishExecution(const QString &executionId, ExecutionOutcome outcome, TimePoint at)
{
    write(u"record the outcome of execution %1"_s.arg(executionId), Durability::Durable, [&] {
        auto &update
            = m_db->cached("UPDATE executions SET finished_at = ?, outcome = ? WHERE id = ? AND outcome IS NULL");
        update.bind(1, toMillis(at)).bind(2, executionOutcomeText(outcome)).bind(3, executionId);
        update.run();
        if (m_db->changes() != 1)
            throw StoreError(
                u"execution %1 is not running: it already ended, or it was never claimed"_s.arg(executionId));
        seal(u"executions"_s, { executionId }, at);
    });
}

void SqliteStore::closeIncident(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at)
{
    write(u"close incident %1"_s.arg(incidentId), Durability::Durable,
        [&] { closeIncidentRow(incidentId, state, reason, at); });
}

void SqliteStore::closeIncidentRow(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at)
{
    auto &update = m_db->cached("UPDATE incidents SET state = ? WHERE id = ? "
                                "AND state NOT IN ('resolved', 'escalated', 'interrupted')");
    update.bind(1, incidentStateId(state)).bind(2, incidentId);
    update.run();
    if (m_db->changes() != 1)
        return; // unknown here, or already over
    seal(u"incidents"_s, { incidentId }, at);
    writeTransition(incidentId, storedTransitions(incidentId), Transition { state, at, reason });
}

void SqliteStore::saveBreaker(const BreakerState &breaker)
{
    const TimePoint at = breaker.openedAt.value_or(breaker.failures.isEmpty() ? TimePoint {} : breaker.failures.back());
    write(u"save the circuit breaker of %1"_s.arg(breaker.type), Durability::Durable, [&] {
        auto &upsert = m_db->cached(
            "INSERT INTO breakers (type, state, failures, opened_at, last_reason) VALUES (?, ?, ?, ?, ?) "
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

void SqliteStore::saveCooldown(const Cooldown &cooldown)
{
    write(u"save the cooldown of %1"_s.arg(cooldown.resource), Durability::Durable, [&] {
        auto &upsert
            = m_db->cached("INSERT INTO cooldowns (resource, until, reason) VALUES (?, ?, ?) "
                           "ON CONFLICT (resource) DO UPDATE SET until = excluded.until, reason = excluded.reason");
        upsert.bind(1, cooldown.resource).bind(2, toMillis(cooldown.until)).bind(3, Redaction::text(cooldown.reason));
        upsert.run();
        seal(u"cooldowns"_s, { cooldown.resource }, cooldown.until);
    });
}

void SqliteStore::saveDrill(const DrillResult &drill)
{
    write(u"save the drill of %1"_s.arg(drill.runbook), Durability::Durable, [&] {
        auto &insert = m_db->cached("INSERT INTO drills (runbook, scenario, passed, outcome, mttr_ms, at, detail) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, drill.runbook)
            .bind(2, drill.scenario)
            .bind(3, drill.passed ? 1 : 0)
            .bind(4, drill.outcome)
            .bind(5, drill.mttr ? std::optional<qint64>(drill.mttr->count()) : std::nullopt)
            .bind(6, toMillis(drill.at))
            .bind(7, Redaction::text(drill.detail));
        insert.run();
        seal(u"drills"_s, { m_db->lastInsertRowId() }, drill.at);
    });
}

} // namespace antibody

#include "engine/store/sqliteapprovals.h"

#include "engine/store/redaction.h"
#include "engine/store/sqlitedatabase.h"

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

std::optional<StoredProposal> SqliteApprovals::storedProposal(SqliteDatabase &db, const QString &proposalId)
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

ApprovalOutcome SqliteApprovals::recordApproval(const Approval &approval)
{
    ApprovalOutcome out;
    const bool stored
        = write(u"record %1's approval of %2"_s.arg(approval.approver, approval.proposalId), Durability::Durable, [&] {
              const auto proposal = storedProposal(m_db, approval.proposalId);
              if (!proposal) {
                  out.reason
                      = u"no proposal %1 is stored in %2: nothing was approved"_s.arg(approval.proposalId, m_db.file());
                  return;
              }
              out.approvers = storedApprovers(m_db, approval.proposalId, approval.fingerprint);

              auto &execution
                  = m_db.cached("SELECT executor, approved_by, started_at FROM executions WHERE proposal_id = ?");
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
              auto &earlier = m_db.cached("SELECT at FROM approvals WHERE proposal_id = ? AND fingerprint = ? "
                                          "AND approver = ? AND decision = 'approved'");
              earlier.bind(1, approval.proposalId).bind(2, approval.fingerprint).bind(3, approval.approver);
              if (earlier.step()) {
                  out.reason = u"%1 already approved this plan at %2"_s.arg(
                      approval.approver, formatTime(fromMillis(earlier.integer(0))));
                  return;
              }
              earlier.reset();
              seal(u"approvals"_s, { insertDecision(m_db, approval, u"approved"_s, approval.reason) }, approval.at);
              out.accepted = true;
              out.approvers << approval.approver;
          });
    if (!stored) {
        out.accepted = false;
        out.reason = u"the approval could not be stored in %1, so it does not count: see the log"_s.arg(m_db.file());
    }
    return out;
}

QStringList SqliteApprovals::approversOf(const QString &proposalId, const QString &fingerprint)
{
    QStringList out;
    read(u"read the approvals of %1"_s.arg(proposalId), [&] { out = storedApprovers(m_db, proposalId, fingerprint); });
    return out;
}

void SqliteApprovals::recordDenial(const Approval &denial)
{
    write(u"record %1's denial of %2"_s.arg(denial.approver, denial.proposalId), Durability::Durable, [&] {
        const QString reason = denial.reason.trimmed().isEmpty() ? u"(no reason given)"_s : denial.reason;
        seal(u"approvals"_s, { insertDecision(m_db, denial, u"denied"_s, reason) }, denial.at);
    });
}

} // namespace antibody

#include "store/postgres/pgapprovals.h"

#include "engine/store/redaction.h"
#include "store/postgres/pgrow.h"

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

QStringList storedApprovers(PgSession &session, const QString &proposalId, const QString &fingerprint)
{
    const PgRows q = session.exec(u"SELECT approver FROM approvals WHERE proposal_id = $1 AND fingerprint = $2 "
                                  "AND decision = 'approved' ORDER BY id"_s,
        PgParams() << proposalId << fingerprint);
    QStringList out;
    for (const QStringList &row : q.rows)
        out << row.value(0);
    return out;
}

// One row of `approvals`: an approval or a denial of the plan with this fingerprint.
qint64 insertDecision(PgSession &session, const Approval &a, const QString &decision, const QString &reason)
{
    const PgRows inserted
        = session.exec(u"INSERT INTO approvals (proposal_id, fingerprint, approver, decision, reason, at) "
                       "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"_s,
            PgParams() << a.proposalId << a.fingerprint << a.approver << decision << Redaction::text(reason) << a.at);
    return PgRow(inserted, 0).integer(0);
}

} // namespace

std::optional<StoredProposal> PgApprovals::storedProposal(PgSession &session, const QString &proposalId)
{
    const PgRows q = session.exec(u"SELECT fingerprint, mode, state, approvals_required, requested_by, expires_at "
                                  "FROM proposals WHERE id = $1 FOR UPDATE"_s,
        PgParams() << proposalId);
    if (q.rows.isEmpty())
        return std::nullopt;
    const PgRow r(q, 0);
    StoredProposal p { proposalId, r.text(0), r.text(1), r.text(2), int(r.integer(3)), r.text(4), r.time(5), {} };
    p.approvers = storedApprovers(session, proposalId, p.fingerprint);
    return p;
}

ApprovalOutcome PgApprovals::recordApproval(const Approval &approval)
{
    ApprovalOutcome out;
    const bool stored = write(
        u"record %1's approval of %2"_s.arg(approval.approver, approval.proposalId), Durability::Decision, [&] {
            out = {};
            const auto proposal = storedProposal(m_session, approval.proposalId);
            if (!proposal) {
                out.reason = u"no proposal %1 is stored in %2: nothing was approved"_s.arg(
                    approval.proposalId, m_session.location());
                return;
            }
            out.approvers = storedApprovers(m_session, approval.proposalId, approval.fingerprint);
            const PgRows execution
                = exec(u"SELECT executor, approved_by, started_at FROM executions WHERE proposal_id = $1"_s,
                    PgParams() << approval.proposalId);
            if (!execution.rows.isEmpty()) {
                const PgRow e(execution, 0);
                out.reason = u"already executing since %1: approved by %2, run by %3"_s.arg(formatTime(e.time(2)),
                    e.text(1).isEmpty() ? u"nobody (it ran automatically)"_s : e.text(1), e.text(0));
                return;
            }
            if (const QString refusal = ApprovalRules::approvalRefusal(*proposal, approval); !refusal.isEmpty()) {
                out.reason = refusal;
                return;
            }
            const PgRows earlier = exec(u"SELECT at FROM approvals WHERE proposal_id = $1 AND fingerprint = $2 "
                                        "AND approver = $3 AND decision = 'approved'"_s,
                PgParams() << approval.proposalId << approval.fingerprint << approval.approver);
            if (!earlier.rows.isEmpty()) {
                out.reason = u"%1 already approved this plan at %2"_s.arg(
                    approval.approver, formatTime(PgRow(earlier, 0).time(0)));
                return;
            }
            seal(u"approvals"_s, { insertDecision(m_session, approval, u"approved"_s, approval.reason) }, approval.at);
            out.accepted = true;
            out.approvers << approval.approver;
        });
    if (!stored) {
        out.accepted = false;
        out.reason
            = u"the approval could not be stored in %1, so it does not count: see the log"_s.arg(m_session.location());
    }
    return out;
}

QStringList PgApprovals::approversOf(const QString &proposalId, const QString &fingerprint)
{
    QStringList out;
    read(u"read the approvals of %1"_s.arg(proposalId),
        [&] { out = storedApprovers(m_session, proposalId, fingerprint); });
    return out;
}

void PgApprovals::recordDenial(const Approval &denial)
{
    write(u"record %1's denial of %2"_s.arg(denial.approver, denial.proposalId), Durability::Decision, [&] {
        const QString reason = denial.reason.trimmed().isEmpty() ? u"(no reason given)"_s : denial.reason;
        seal(u"approvals"_s, { insertDecision(m_session, denial, u"denied"_s, reason) }, denial.at);
    });
}

} // namespace antibody

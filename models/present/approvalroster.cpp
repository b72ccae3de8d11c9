#include "models/present/approvalroster.h"

#include "models/present/humantime.h"

using namespace Qt::StringLiterals;

namespace antibody {

QString peopleList(const QStringList &people)
{
    if (people.size() <= 1)
        return people.value(0);
    return QCoreApplication::translate("ApprovalRoster", "%1 and %2")
        .arg(people.mid(0, people.size() - 1).join(u", "_s), people.last());
}

ApprovalRoster ApprovalRoster::of(const Proposal &proposal)
{
    ApprovalRoster roster;
    roster.m_required = std::max(1, proposal.approvalsRequired);
    roster.m_state = proposal.state;
    for (const Approval &a : proposal.approvals) {
        if (!a.approved || a.approver.isEmpty())
            continue;
        if (a.fingerprint != proposal.plan.fingerprint) {
            if (!roster.m_elsewhere.contains(a.approver))
                roster.m_elsewhere << a.approver;
        } else if (!roster.has(a.approver)) {
            roster.m_counted << a;
        }
    }
    std::stable_sort(roster.m_counted.begin(), roster.m_counted.end(),
        [](const Approval &a, const Approval &b) { return a.at < b.at; });
    // Someone who approved both plans counts for the current one: not "elsewhere" too.
    roster.m_elsewhere.removeIf([&](const QString &person) { return roster.has(person); });
    return roster;
}

bool ApprovalRoster::has(const QString &person) const
{
    return std::any_of(m_counted.cbegin(), m_counted.cend(), [&](const Approval &a) { return a.approver == person; });
}

QString ApprovalRoster::names() const
{
    QStringList people;
    for (const Approval &a : m_counted)
        people << a.approver;
    return peopleList(people);
}

QString ApprovalRoster::summary() const
{
    using State = Proposal::State;
    if (!m_counted.isEmpty() && (m_state == State::Approved || m_state == State::Executing))
        return tr("approved by %1: executing").arg(names());
    if (!m_counted.isEmpty() && m_state == State::Executed)
        return tr("approved by %1: executed").arg(names());
    if (m_state != State::Pending)
        return m_counted.isEmpty() ? QString() : tr("approved by %1").arg(names());
    const int more = needed();
    if (more == 0)
        return tr("approved by %1: starting").arg(names());
    const QString needs = m_counted.isEmpty()
        ? (more == 1 ? tr("1 approval needed") : tr("%1 approvals needed, from distinct people").arg(more))
        : (more == 1 ? tr("1 more approval needed") : tr("%1 more approvals needed").arg(more));
    return m_counted.isEmpty() ? needs : tr("approved by %1; %2").arg(names(), needs);
}

QString ApprovalRoster::detail(TimePoint now) const
{
    if (m_counted.isEmpty() && m_elsewhere.isEmpty() && m_required <= 1)
        return {};
    QStringList who;
    for (const Approval &a : m_counted)
        who << tr("%1 at %2 UTC (%3 ago)").arg(a.approver, formatClockTime(a.at), formatAge(now - a.at));
    QString count = tr("Approvals %1 of %2").arg(m_counted.size()).arg(m_required);
    if (!who.isEmpty())
        count += u": "_s + who.join(u", "_s);
    QStringList line { count };
    if (m_state == Proposal::State::Pending && needed() == 1)
        line << tr("1 more approval needed");
    else if (m_state == Proposal::State::Pending && needed() > 1)
        line << tr("%1 more approvals needed").arg(needed());
    if (!m_elsewhere.isEmpty())
        line << tr("%1 approved an earlier plan: not counted").arg(peopleList(m_elsewhere));
    return line.join(u" · "_s);
}

} // namespace antibody

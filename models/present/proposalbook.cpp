#include "models/present/proposalbook.h"

#include <algorithm>

namespace antibody {

ProposalBook::ProposalBook(QObject *parent)
    : QObject(parent)
{
}

bool ProposalBook::waitsForHuman(const Proposal &proposal)
{
    return proposal.state == Proposal::State::Pending && proposal.decision.mode == Mode::Approve;
}

void ProposalBook::update(const Proposal &proposal, const QString &notYours)
{
    if (notYours.isEmpty())
        m_notYours.remove(proposal.id);
    else
        m_notYours.insert(proposal.id, notYours);
    const bool known = m_proposals.contains(proposal.id);
    m_proposals.insert(proposal.id, proposal);
    const auto latest = m_latestByIncident.constFind(proposal.incidentId);
    if (latest == m_latestByIncident.constEnd() || !known) {
        // A proposal seen for the first time is the newest for its incident: the
        // engine supersedes the older one when it re-plans.
        m_latestByIncident.insert(proposal.incidentId, proposal.id);
    }

    const bool wasWaiting = m_waiting.contains(proposal.id);
    const bool nowWaiting = waitsForHuman(proposal);
    if (nowWaiting)
        m_waiting.insert(proposal.id);
    else
        m_waiting.remove(proposal.id);

    Q_EMIT proposalUpdated(proposal);
    if (nowWaiting && !wasWaiting)
        Q_EMIT approvalWaiting(proposal);
    if (nowWaiting != wasWaiting)
        Q_EMIT waitingCountChanged(waitingCount());
}

std::optional<Proposal> ProposalBook::proposal(const QString &id) const
{
    const auto it = m_proposals.constFind(id);
    if (it == m_proposals.constEnd())
        return std::nullopt;
    return *it;
}

std::optional<Proposal> ProposalBook::latestFor(const QString &incidentId) const
{
    const auto it = m_latestByIncident.constFind(incidentId);
    if (it == m_latestByIncident.constEnd())
        return std::nullopt;
    return proposal(*it);
}

QList<Proposal> ProposalBook::waiting() const
{
    QList<Proposal> out;
    for (const QString &id : m_waiting)
        out << m_proposals.value(id);
    std::sort(out.begin(), out.end(), [this](const Proposal &a, const Proposal &b) {
        const bool aYours = !m_notYours.contains(a.id);
        const bool bYours = !m_notYours.contains(b.id);
        return aYours != bYours ? aYours : a.createdAt < b.createdAt;
    });
    return out;
}

} // namespace antibody

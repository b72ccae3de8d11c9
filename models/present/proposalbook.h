#pragma once

#include "engine/domain/proposal.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <optional>

namespace antibody {

// Every proposal the engine has published, the latest per incident, and the ones
// waiting for a human: what the tray counts and the notifications announce.
class ProposalBook : public QObject
{
    Q_OBJECT
public:
    explicit ProposalBook(QObject *parent = nullptr);

    // `notYours`: why this console's person may not approve it (empty: they may).
    void update(const antibody::Proposal &proposal, const QString &notYours = {});

    std::optional<Proposal> proposal(const QString &id) const;
    // The newest proposal made for the incident.
    std::optional<Proposal> latestFor(const QString &incidentId) const;
    // Proposals waiting for a human's click: first those this console's person may
    // approve, then the others; each oldest first.
    QList<Proposal> waiting() const;
    // Why this console's person may not approve the proposal; empty when they may.
    QString notYours(const QString &proposalId) const { return m_notYours.value(proposalId); }
    int waitingCount() const { return static_cast<int>(m_waiting.size()); }

    static bool waitsForHuman(const Proposal &proposal);

Q_SIGNALS:
    void proposalUpdated(const antibody::Proposal &proposal);
    // A proposal has just started waiting for approval: announce it.
    void approvalWaiting(const antibody::Proposal &proposal);
    void waitingCountChanged(int count);

private:
    QHash<QString, Proposal> m_proposals;
    QHash<QString, QString> m_latestByIncident;
    QSet<QString> m_waiting;
    QHash<QString, QString> m_notYours; // proposal id → why not, for a team server's person
};

} // namespace antibody

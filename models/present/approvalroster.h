#pragma once

#include "engine/core/time.h"
#include "engine/domain/proposal.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace antibody {

// Who approved the plan on screen, and how many more people it needs: what the proposal
// card and the approval bar say of people. Only approvals of the plan shown (its
// fingerprint) count, and a person counts once, at their first approval: the rule the
// engine counts by, so that the console never says "2 of 2" while the engine waits.
class ApprovalRoster
{
    Q_DECLARE_TR_FUNCTIONS(ApprovalRoster)

public:
    static ApprovalRoster of(const Proposal &proposal);

    // The approvals that count, one per person, oldest first.
    const QList<Approval> &counted() const { return m_counted; }
    // Who approved another plan of this proposal (an older fingerprint): shown, never counted.
    const QStringList &elsewhere() const { return m_elsewhere; }
    int required() const { return m_required; }
    // Distinct people still needed; 0 once enough approved.
    int needed() const { return std::max<int>(0, m_required - int(m_counted.size())); }
    bool has(const QString &person) const;

    // "alice", "alice and bob", "alice, bob and carol".
    QString names() const;
    // "1 more approval needed", "approved by alice and bob: executing": one line, no times.
    QString summary() const;
    // Each approval with its time, "alice at 03:04:05 UTC (3m 12s ago)", and what is still
    // needed: the card's line. Empty when the plan waits for one person and nobody approved.
    QString detail(TimePoint now) const;

private:
    QList<Approval> m_counted;
    QStringList m_elsewhere;
    int m_required = 1;
    Proposal::State m_state = Proposal::State::Pending;
};

// "alice", "alice and bob", "alice, bob and carol": people as a sentence names them.
QString peopleList(const QStringList &people);

} // namespace antibody

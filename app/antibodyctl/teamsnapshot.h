#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace antibody::ctl {

// The team server's state as a command holds it: the snapshot after hello, kept
// current with the `incident`, `proposal` and `breaker` records the server sends, and
// found by the ids people type: an incident's short or full id, a proposal's, a
// breaker's name.
class TeamSnapshot
{
public:
    explicit TeamSnapshot(const QJsonObject &snapshot = {});

    // An `incident`, `proposal` or `breaker` message: the record as it is now replaces what was held.
    void apply(const QJsonObject &message);

    // Incidents not yet resolved, escalated or interrupted, oldest first.
    QList<QJsonObject> openIncidents() const;
    const QList<QJsonObject> &proposals() const { return m_proposals; }
    QJsonObject proposal(const QString &id) const;
    QJsonObject incident(const QString &id) const;
    // The circuit breakers the server has, each named by its `type`.
    const QList<QJsonObject> &breakers() const { return m_breakers; }
    QJsonObject breaker(const QString &name) const;
    // The incident's proposal while it waits for people (awaiting approval, the plan pending), else empty.
    QJsonObject waitingProposal(const QJsonObject &incident) const;

    // "INC-1a2b3c4d-P2": the proposal id as the incident's short form shows it.
    static QString shortProposalId(const QString &proposalId, const QString &incidentId);

    struct Found
    {
        QJsonObject incident;
        QJsonObject proposal; // the incident's current one, or the one named
        QString error; // no such incident or proposal, or more than one
    };
    // An incident (full id, short form, or a unique start of it) or a proposal (its id,
    // full or after the incident's short form).
    Found find(const QString &id) const;

private:
    QList<QJsonObject> m_incidents;
    QList<QJsonObject> m_proposals;
    QList<QJsonObject> m_breakers;
};

} // namespace antibody::ctl

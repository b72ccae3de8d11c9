#pragma once

#include "engine/core/time.h"
#include "engine/domain/incident.h"
#include "engine/domain/proposal.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTimer>

namespace antibody {

class Engine;
class OpenRecords;

// The incidents and proposals a client of this server sees: those its engine holds, and
// those a shared store holds open that the engine does not. On a standby (its engine
// waits for the lease) that is everything the leader handles; on a new leader, what its
// predecessor left until it is closed. The store is read every `interval`; a stored
// record that changed since the last read is announced once, and an incident that ended
// is read once more, so that clients see how it ended.
class TeamRecords : public QObject
{
    Q_OBJECT
public:
    explicit TeamRecords(const Engine &engine, QObject *parent = nullptr);

    // Where the shared store's open records are read; none (a store of one process):
    // the engine's records alone.
    void watch(OpenRecords *store, Duration interval);
    // Reads the store now (the timer does it every interval).
    void refresh();

    QList<Incident> incidents() const;
    // Each incident's current proposal.
    QList<Proposal> proposals() const;

    // The most open incidents read from the store at once: a console shows no more.
    static constexpr int maxStoredIncidents = 500;

Q_SIGNALS:
    void incidentChanged(const Incident &incident);
    void proposalChanged(const Proposal &proposal);

private:
    const Engine &m_engine;
    OpenRecords *m_store = nullptr;
    QTimer m_poll;
    // The stored records the engine does not hold, as last read (by id), and what was
    // announced of each (its wire form), so that an unchanged record is not sent again.
    QList<Incident> m_incidents;
    QList<Proposal> m_proposals;
    QHash<QString, QJsonObject> m_announced;
};

} // namespace antibody

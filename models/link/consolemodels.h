#pragma once

#include "engine/domain/engineevent.h"
#include "engine/domain/incident.h"
#include "engine/domain/proposal.h"
#include "engine/ports/alert.h"
#include "engine/ports/store.h"
#include "engine/runbook/runbook.h"
#include "models/activitymodel.h"
#include "models/breakermodel.h"
#include "models/eventlogmodel.h"
#include "models/feedhealthmodel.h"
#include "models/incidentmodel.h"
#include "models/link/coalescingtimer.h"
#include "models/mttrmodel.h"
#include "models/present/proposalbook.h"

#include <QHash>
#include <QObject>
#include <QSet>

namespace antibody {

// Everything the console shows, in one place, on the GUI thread. The engine link
// feeds it from the engine's signals; tests and screenshots feed it by hand.
// Events are coalesced (a storm costs one repaint per 250 ms); incidents coalesce
// in their own model; proposals, breakers and feeds apply at once, because a
// button's state must never lag the proposal it acts on.
class ConsoleModels : public QObject
{
    Q_OBJECT
public:
    explicit ConsoleModels(QObject *parent = nullptr);

    IncidentModel *incidents() { return &m_incidents; }
    EventLogModel *events() { return &m_events; }
    ActivityModel *activity() { return &m_activity; }
    BreakerModel *breakers() { return &m_breakers; }
    FeedHealthModel *feeds() { return &m_feeds; }
    ProposalBook *proposals() { return &m_proposals; }
    MttrModel *mttr() { return &m_mttr; }

    void addEvent(const antibody::EngineEvent &event);
    void updateIncident(const antibody::Incident &incident);
    // `notYours`: why this console's person may not approve it (a team server's policy
    // says so per person); empty: they may, as always in-process.
    void updateProposal(const antibody::Proposal &proposal, const QString &notYours = {});
    void updateBreaker(const antibody::BreakerState &breaker);
    void updateFeed(const antibody::FeedHealth &feed);
    void setRunbooks(const QList<antibody::Runbook> &runbooks);
    void setNow(TimePoint now);
    // Who has each incident open on the other consoles of a team server (its `presence`),
    // by incident id; the whole picture each time. Empty in-process: nobody else looks.
    void setViewers(const QHash<QString, QStringList> &viewers);
    // Applies everything still waiting in a coalescing timer.
    void flush();

    TimePoint now() const { return m_now; }
    const QList<Runbook> &runbooks() const { return m_runbooks; }
    const Runbook *runbook(const QString &name) const;
    // The incident's events, oldest first (the latest 1,000).
    QList<EngineEvent> eventsOf(const QString &incidentId) const { return m_byIncident.value(incidentId); }
    // "bob", "carol": who else has this incident open now.
    QStringList viewersOf(const QString &incidentId) const { return m_viewers.value(incidentId); }

Q_SIGNALS:
    // After a flush: these incidents have new events (their timelines and progress moved).
    void incidentEventsAdded(const QStringList &incidentIds);
    void nowChanged();
    void runbooksChanged();
    void viewersChanged();

private:
    void flushEvents();

    IncidentModel m_incidents;
    EventLogModel m_events;
    ActivityModel m_activity;
    BreakerModel m_breakers;
    FeedHealthModel m_feeds;
    ProposalBook m_proposals;
    MttrModel m_mttr;
    QList<EngineEvent> m_pendingEvents;
    QHash<QString, QList<EngineEvent>> m_byIncident;
    QList<Runbook> m_runbooks;
    TimePoint m_now;
    QHash<QString, QStringList> m_viewers;
    CoalescingTimer m_eventCoalescer;
};

} // namespace antibody

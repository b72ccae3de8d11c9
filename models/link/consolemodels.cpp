#include "models/link/consolemodels.h"

namespace antibody {
namespace {
constexpr qsizetype eventsKeptPerIncident = 1'000;
}

ConsoleModels::ConsoleModels(QObject *parent)
    : QObject(parent)
    , m_mttr(&m_incidents)
    , m_eventCoalescer([this] { flushEvents(); }, this)
{
}

void ConsoleModels::addEvent(const EngineEvent &event)
{
    m_pendingEvents << event;
    m_eventCoalescer.poke();
}

void ConsoleModels::flushEvents()
{
    if (m_pendingEvents.isEmpty())
        return;
    const QList<EngineEvent> batch = std::exchange(m_pendingEvents, {});
    QStringList touched;
    for (const EngineEvent &e : batch) {
        if (e.at > m_now)
            m_now = e.at;
        if (e.incidentId.isEmpty())
            continue;
        QList<EngineEvent> &list = m_byIncident[e.incidentId];
        list << e;
        if (list.size() > eventsKeptPerIncident)
            list.remove(0, list.size() - eventsKeptPerIncident);
        if (!touched.contains(e.incidentId))
            touched << e.incidentId;
    }
    // Incidents first: the activity feed reads their level and service.
    m_incidents.flush();
    m_events.append(batch);
    m_activity.append(batch);
    if (!touched.isEmpty())
        Q_EMIT incidentEventsAdded(touched);
}

void ConsoleModels::updateIncident(const Incident &incident)
{
    m_activity.noteIncident(incident);
    m_incidents.upsert(incident);
}

void ConsoleModels::updateProposal(const Proposal &proposal, const QString &notYours)
{
    // The incident list dims an incident whose plan waits for someone else. An older plan
    // retired late says nothing of the incident's current one.
    const bool waits = ProposalBook::waitsForHuman(proposal);
    const auto latest = m_proposals.latestFor(proposal.incidentId);
    if (waits || !latest || latest->id == proposal.id)
        m_incidents.setNotYours(proposal.incidentId, waits ? notYours : QString());
    m_proposals.update(proposal, notYours);
}

void ConsoleModels::updateBreaker(const BreakerState &breaker)
{
    m_breakers.upsert(breaker);
}

void ConsoleModels::updateFeed(const FeedHealth &feed)
{
    m_feeds.upsert(feed);
}

void ConsoleModels::setRunbooks(const QList<Runbook> &runbooks)
{
    m_runbooks = runbooks;
    QHash<QString, BreakerSpec> policies;
    for (const Runbook &r : runbooks)
        policies.insert(r.name, r.breaker);
    m_breakers.setPolicies(policies);
    Q_EMIT runbooksChanged();
}

void ConsoleModels::setViewers(const QHash<QString, QStringList> &viewers)
{
    if (viewers == m_viewers)
        return;
    m_viewers = viewers;
    Q_EMIT viewersChanged();
}

const Runbook *ConsoleModels::runbook(const QString &name) const
{
    for (const Runbook &r : m_runbooks) {
        if (r.name == name)
            return &r;
    }
    return nullptr;
}

void ConsoleModels::setNow(TimePoint now)
{
    m_now = std::max(m_now, now);
    m_incidents.setNow(m_now);
    m_breakers.setNow(m_now);
    Q_EMIT nowChanged();
}

void ConsoleModels::flush()
{
    m_incidents.flush();
    m_eventCoalescer.flushNow();
}

} // namespace antibody

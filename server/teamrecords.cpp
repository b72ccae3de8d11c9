#include "server/teamrecords.h"

#include "engine/pipeline/engine.h"
#include "engine/ports/openrecords.h"
#include "server/wire.h"

using namespace Qt::StringLiterals;

namespace antibody {

TeamRecords::TeamRecords(const Engine &engine, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
{
    connect(&m_poll, &QTimer::timeout, this, &TeamRecords::refresh);
}

void TeamRecords::watch(OpenRecords *store, Duration interval)
{
    m_store = store;
    if (!m_store) {
        m_poll.stop();
        return;
    }
    refresh();
    m_poll.start(std::chrono::milliseconds(interval));
}

void TeamRecords::refresh()
{
    if (!m_store)
        return;
    // The incidents open at the last read are asked for again whatever their state now:
    // one that ended is shown ended, then forgotten.
    QStringList earlier;
    for (const Incident &i : std::as_const(m_incidents)) {
        if (!isFinal(i.state))
            earlier << i.id;
    }
    // What the engine holds is left out of the read: on a leader that is nearly everything,
    // so the read costs little there (no diagnostics bundles of its own incidents).
    QStringList held;
    for (const Incident &i : m_engine.incidents())
        held << i.id;
    const auto view = m_store->openRecords(earlier, held, maxStoredIncidents);
    if (!view)
        return; // the store could not be read: the last view stands until it can
    m_incidents.clear();
    m_proposals.clear();
    for (const Incident &i : view->incidents) {
        if (m_engine.incident(i.id))
            continue; // the engine's own record is newer than the store's
        m_incidents << i;
        const QJsonObject record = wire::incident(i);
        if (m_announced.value(u"incident "_s + i.id) != record) {
            m_announced.insert(u"incident "_s + i.id, record);
            Q_EMIT incidentChanged(i);
        }
    }
    for (const Proposal &p : view->proposals) {
        if (m_engine.proposal(p.id))
            continue;
        m_proposals << p;
        const QJsonObject record = wire::proposal(p);
        if (m_announced.value(u"proposal "_s + p.id) != record) {
            m_announced.insert(u"proposal "_s + p.id, record);
            Q_EMIT proposalChanged(p);
        }
    }
    // What is over now is not read again; its announcement need not be remembered.
    QSet<QString> kept;
    for (const Incident &i : std::as_const(m_incidents)) {
        kept.insert(u"incident "_s + i.id);
        if (!i.proposalId.isEmpty())
            kept.insert(u"proposal "_s + i.proposalId);
    }
    m_announced.removeIf([&](const auto &entry) { return !kept.contains(entry.key()); });
    m_incidents.removeIf([](const Incident &i) { return isFinal(i.state); });
}

QList<Incident> TeamRecords::incidents() const
{
    QList<Incident> out = m_engine.incidents();
    for (const Incident &i : m_incidents) {
        if (!m_engine.incident(i.id))
            out << i;
    }
    return out;
}

QList<Proposal> TeamRecords::proposals() const
{
    QList<Proposal> out;
    for (const Incident &i : m_engine.incidents()) {
        if (const auto p = i.proposalId.isEmpty() ? std::nullopt : m_engine.proposal(i.proposalId))
            out << *p;
    }
    for (const Incident &i : m_incidents) {
        if (m_engine.incident(i.id))
            continue;
        for (const Proposal &p : m_proposals) {
            if (p.id == i.proposalId)
                out << p;
        }
    }
    return out;
}

} // namespace antibody

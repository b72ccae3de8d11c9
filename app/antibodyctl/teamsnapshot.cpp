#include "app/antibodyctl/teamsnapshot.h"

#include "app/antibodyctl/timeline.h"
#include "engine/domain/incident.h"
#include "engine/pipeline/incidentid.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

namespace {

// Incidents and proposals are known by their `id`, breakers by their `type`.
QString idOf(const QJsonObject &record, QStringView key = u"id")
{
    return record.value(key).toString();
}

void replace(QList<QJsonObject> &records, const QJsonObject &record, QStringView key)
{
    for (QJsonObject &r : records) {
        if (idOf(r, key) == idOf(record, key)) {
            r = record;
            return;
        }
    }
    records << record;
}

QList<QJsonObject> objects(const QJsonValue &array, QStringView key = u"id")
{
    QList<QJsonObject> out;
    for (const QJsonValue &v : array.toArray()) {
        if (v.isObject() && !idOf(v.toObject(), key).isEmpty())
            out << v.toObject();
    }
    return out;
}

constexpr QStringView breakerKey = u"type";

} // namespace

TeamSnapshot::TeamSnapshot(const QJsonObject &snapshot)
    : m_incidents(objects(snapshot.value(u"incidents"_s)))
    , m_proposals(objects(snapshot.value(u"proposals"_s)))
    , m_breakers(objects(snapshot.value(u"breakers"_s), breakerKey))
{
}

void TeamSnapshot::apply(const QJsonObject &message)
{
    const QString type = message.value(u"type"_s).toString();
    const QJsonObject record = message.value(type).toObject();
    if (type == u"breaker"_s && !idOf(record, breakerKey).isEmpty())
        replace(m_breakers, record, breakerKey);
    if (idOf(record).isEmpty())
        return;
    if (type == u"incident"_s)
        replace(m_incidents, record, u"id");
    else if (type == u"proposal"_s)
        replace(m_proposals, record, u"id");
}

QList<QJsonObject> TeamSnapshot::openIncidents() const
{
    QList<QJsonObject> out;
    for (const QJsonObject &i : m_incidents) {
        const auto state = incidentStateFromId(i.value(u"state"_s).toString());
        if (!state || !isFinal(*state))
            out << i;
    }
    std::stable_sort(out.begin(), out.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(u"detected_at"_s).toDouble() < b.value(u"detected_at"_s).toDouble();
    });
    return out;
}

QJsonObject TeamSnapshot::proposal(const QString &id) const
{
    for (const QJsonObject &p : m_proposals) {
        if (idOf(p) == id)
            return p;
    }
    return {};
}

QJsonObject TeamSnapshot::incident(const QString &id) const
{
    for (const QJsonObject &i : m_incidents) {
        if (idOf(i) == id)
            return i;
    }
    return {};
}

QJsonObject TeamSnapshot::breaker(const QString &name) const
{
    for (const QJsonObject &b : m_breakers) {
        if (idOf(b, breakerKey) == name)
            return b;
    }
    return {};
}

QJsonObject TeamSnapshot::waitingProposal(const QJsonObject &incident) const
{
    // A pending plan of an incident in another state is the engine's to run or drop.
    if (incident.value(u"state"_s).toString() != incidentStateId(IncidentState::AwaitingApproval))
        return {};
    const QJsonObject p = proposal(incident.value(u"proposal"_s).toString());
    return p.value(u"state"_s).toString() == u"pending"_s ? p : QJsonObject();
}

QString TeamSnapshot::shortProposalId(const QString &proposalId, const QString &incidentId)
{
    if (!proposalId.startsWith(incidentId))
        return proposalId;
    return IncidentId::shortForm(incidentId) + proposalId.mid(incidentId.size());
}

TeamSnapshot::Found TeamSnapshot::find(const QString &id) const
{
    for (const QJsonObject &p : m_proposals) {
        const QString incidentId = p.value(u"incident"_s).toString();
        if (idOf(p) == id || shortProposalId(idOf(p), incidentId) == id)
            return { incident(incidentId), p, {} };
    }
    QList<QJsonObject> matches;
    for (const QJsonObject &i : m_incidents) {
        const QString full = idOf(i);
        if (full == id || IncidentId::shortForm(full) == id) {
            matches = { i };
            break;
        }
        if (id.size() >= 5 && full.startsWith(id))
            matches << i;
    }
    if (matches.isEmpty())
        return { {}, {}, u"no incident or proposal '%1' is open on the server"_s.arg(printable(id.left(100))) };
    if (matches.size() > 1)
        return { {}, {}, u"'%1' starts %2 incidents' ids: give more of it"_s.arg(printable(id)).arg(matches.size()) };
    const QJsonObject &i = matches.first();
    return { i, proposal(i.value(u"proposal"_s).toString()), {} };
}

} // namespace antibody::ctl

#include "client/serverfeed.h"

#include "engine/domain/recordjson.h"
#include "models/link/consolemodels.h"

#include <QCoreApplication>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody {

ServerFeed::ServerFeed(ConsoleModels *models)
    : m_models(models)
{
}

void ServerFeed::snapshot(const QJsonObject &message)
{
    // Incidents before proposals: the proposal book files a proposal under its incident.
    for (const QString &key : { u"incidents"_s, u"proposals"_s, u"breakers"_s, u"feeds"_s }) {
        const QJsonValue list = message.value(key);
        if (!list.isArray()) {
            skip(u"the snapshot's '%1' is not a list"_s.arg(key));
            continue;
        }
        const QString type = key.chopped(1);
        for (const QJsonValue &item : list.toArray())
            apply(type, item.toObject());
    }
    m_models->flush();
}

void ServerFeed::record(const QString &type, const QJsonObject &message)
{
    apply(type, message.value(type).toObject());
}

bool ServerFeed::apply(const QString &type, const QJsonObject &record)
{
    QString error;
    if (type == u"incident"_s) {
        if (const auto i = RecordJson::incidentFrom(record, &error)) {
            m_models->updateIncident(*i);
            return true;
        }
    } else if (type == u"proposal"_s) {
        if (const auto p = RecordJson::proposalFrom(record, &error)) {
            m_models->updateProposal(*p, notYours(record));
            return true;
        }
    } else if (type == u"breaker"_s) {
        if (const auto b = RecordJson::breakerFrom(record, &error)) {
            m_models->updateBreaker(*b);
            return true;
        }
    } else if (type == u"feed"_s) {
        if (const auto f = RecordJson::feedFrom(record, &error)) {
            m_models->updateFeed(*f);
            return true;
        }
    }
    skip(error.isEmpty() ? u"a %1 that is not a record this console knows"_s.arg(type) : error);
    return false;
}

QString ServerFeed::notYours(const QJsonObject &proposal)
{
    // A server that does not say (an older one, no policy) lets everyone approve.
    if (proposal.value(u"may_approve"_s).toBool(true))
        return {};
    const QString why = proposal.value(u"may_approve_reason"_s).toString().simplified().left(500);
    return why.isEmpty()
        ? QCoreApplication::translate("ServerFeed", "the team server's policy does not let you approve it")
        : why;
}

void ServerFeed::event(const QJsonObject &message)
{
    const qint64 seq = message.value(u"seq"_s).toInteger(-1);
    if (seq >= 0 && seq <= m_lastSeq)
        return; // a double: shown once already
    QString error;
    const auto e = RecordJson::eventFrom(message, &error);
    if (seq < 0 || !e) {
        skip(error.isEmpty() ? u"an event with no number"_s : error);
        if (seq > m_lastSeq)
            m_lastSeq = seq; // still seen: asking for it again after a reconnect would not make it readable
        return;
    }
    m_lastSeq = seq;
    ++m_eventsReceived;
    if (e->at > m_lastAt) {
        m_lastAt = e->at;
        m_sinceLastAt.start();
    }
    m_models->addEvent(*e);
}

QHash<QString, QStringList> ServerFeed::viewers(const QJsonObject &message, const QString &self) const
{
    // A card has room for a few names; an incident nobody on this console holds needs none.
    constexpr qsizetype maxNames = 12;
    constexpr qsizetype maxNameLength = 128;
    QHash<QString, QStringList> out;
    const QJsonObject incidents = message.value(u"incidents"_s).toObject();
    for (auto it = incidents.constBegin(); it != incidents.constEnd(); ++it) {
        if (!m_models->incidents()->incident(it.key()))
            continue;
        QStringList names;
        for (const QJsonValue &v : it.value().toArray()) {
            const QString name = v.toString().simplified().left(maxNameLength);
            if (!name.isEmpty() && name != self && !names.contains(name))
                names << name;
        }
        if (names.size() > maxNames)
            names = names.mid(0, maxNames)
                << QCoreApplication::translate("ServerFeed", "%n more", nullptr, int(names.size() - maxNames));
        if (!names.isEmpty())
            out.insert(it.key(), names);
    }
    return out;
}

void ServerFeed::unreadable(const QString &why)
{
    skip(why);
}

void ServerFeed::skip(const QString &why)
{
    ++m_skipped;
    m_lastSkip = why;
    // Once per reason: a server that sends the same bad record a thousand times fills no log.
    if (!m_logged.contains(why) && m_logged.size() < 100) {
        m_logged.insert(why);
        qWarning("antibody: skipped what the team server sent: %s", qPrintable(why));
    }
}

QString ServerFeed::problem() const
{
    if (m_skipped == 0)
        return {};
    return m_skipped == 1 ? u"skipped 1 message: %1"_s.arg(m_lastSkip)
                          : u"skipped %1 messages; the last: %2"_s.arg(m_skipped).arg(m_lastSkip);
}

TimePoint ServerFeed::estimatedNow() const
{
    if (!m_sinceLastAt.isValid())
        return m_lastAt;
    return m_lastAt + Duration { m_sinceLastAt.elapsed() };
}

} // namespace antibody

#include "server/presence.h"

#include <QJsonArray>
#include <QMap>

using namespace Qt::StringLiterals;

namespace antibody {

Presence::Presence(std::function<QSet<QString>()> held, QObject *parent, std::chrono::milliseconds interval)
    : QObject(parent)
    , m_held(std::move(held))
    , m_announced(message())
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(interval);
    connect(&m_settle, &QTimer::timeout, this, &Presence::settle);
}

void Presence::look(const QObject *session, const QString &subject, const QJsonValue &incident)
{
    const QString id = incident.toString();
    // Nobody to name, or nothing a console could have open: the session looks at nothing.
    if (subject.isEmpty() || id.isEmpty() || id.size() > maxIdLength)
        m_looks.remove(session);
    else
        m_looks.insert(session, Look { subject, id });
    if (!m_settle.isActive())
        m_settle.start();
}

void Presence::leave(const QObject *session)
{
    if (m_looks.remove(session) > 0 && !m_settle.isActive())
        m_settle.start();
}

QJsonObject Presence::message() const
{
    QMap<QString, QStringList> viewers; // sorted: the same picture is the same message
    if (!m_looks.isEmpty()) {
        const QSet<QString> held = m_held();
        for (const Look &look : m_looks) {
            QStringList &names = viewers[look.incident];
            if (held.contains(look.incident) && !names.contains(look.subject))
                names << look.subject;
        }
    }
    QJsonObject incidents;
    for (auto it = viewers.begin(); it != viewers.end(); ++it) {
        if (it->isEmpty())
            continue;
        it->sort();
        incidents.insert(it.key(), QJsonArray::fromStringList(*it));
    }
    return QJsonObject { { u"type"_s, u"presence"_s }, { u"incidents"_s, incidents } };
}

void Presence::settle()
{
    const QJsonObject now = message();
    if (now == m_announced)
        return; // back where it was: a console that flicked through incidents tells nobody
    m_announced = now;
    Q_EMIT changed();
}

} // namespace antibody

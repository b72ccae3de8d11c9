#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <functional>

namespace antibody {

// Who has which incident open on this server's consoles, so that each card says "Also
// looking: bob" (docs/team.md, `looking` and `presence`). A console names one incident at
// most, the newest it said; one that closes names none. Consoles are told the whole
// picture, at most once per `interval` and only when it changed: a console that sends a
// thousand `looking` messages costs a thousand map updates and one `presence` message.
class Presence : public QObject
{
    Q_OBJECT
public:
    // `held`: the ids of the incidents this server's clients see; a `looking` at any other
    // counts as looking at nothing, so no console is told of an id the server never held.
    explicit Presence(std::function<QSet<QString>()> held, QObject *parent = nullptr,
        std::chrono::milliseconds interval = std::chrono::milliseconds(250));

    // `looking` from a greeted session: `incident` is the id it has open, or null.
    void look(const QObject *session, const QString &subject, const QJsonValue &incident);
    // The session closed: it looks at nothing any more.
    void leave(const QObject *session);
    // `{"type": "presence", "incidents": {"INC-…": ["alice", "bob"]}}`: every held incident
    // someone has open, each with its viewers once, in name order.
    QJsonObject message() const;

    // An incident id is at most this long; a longer `looking` names nothing.
    static constexpr qsizetype maxIdLength = 128;

Q_SIGNALS:
    // The picture changed since it was last announced: send message() to every client.
    void changed();

private:
    void settle();

    struct Look
    {
        QString subject;
        QString incident;
    };
    std::function<QSet<QString>()> m_held;
    QHash<const QObject *, Look> m_looks;
    QTimer m_settle;
    QJsonObject m_announced;
};

} // namespace antibody

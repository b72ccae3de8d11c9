#pragma once

#include "engine/core/time.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

namespace antibody {

class ConsoleModels;

// What the team server sends, landed in the console's models: the snapshot, each
// record as it changes, and each event once, in order. Records are decoded with
// RecordJson; an object that does not decode (a newer server's state, a hostile
// one's garbage) is skipped, logged once per reason and counted, and the rest is
// shown: one bad record never takes the whole console down.
class ServerFeed
{
public:
    explicit ServerFeed(ConsoleModels *models);

    // `{"type": "snapshot", ...}`: the state now, which replaces what the console held.
    void snapshot(const QJsonObject &message);
    // `incident`, `proposal`, `breaker` or `feed`: one record as it is now.
    void record(const QString &type, const QJsonObject &message);
    // `event`: added unless its number was seen already (the server never sends one twice).
    void event(const QJsonObject &message);
    // `presence`: who has which incident open, without `self` (this console's person), each
    // list bounded, so that a hostile server cannot fill the card with names.
    QHash<QString, QStringList> viewers(const QJsonObject &message, const QString &self) const;
    // A message that is not a protocol message at all.
    void unreadable(const QString &why);

    // The newest event number received: a reconnecting console asks for what came after it.
    qint64 lastSeq() const { return m_lastSeq; }
    int eventsReceived() const { return m_eventsReceived; }
    int skipped() const { return m_skipped; }
    // What was skipped, in one line; empty when nothing was.
    QString problem() const;
    // The server's time now, as well as the console can tell: the newest event's time
    // plus the time since it came (the clocks' ages and the charts line up with it).
    TimePoint estimatedNow() const;

private:
    bool apply(const QString &type, const QJsonObject &record);
    // A proposal's `may_approve`: why this console's person may not approve it; empty: they may.
    static QString notYours(const QJsonObject &proposal);
    void skip(const QString &why);

    ConsoleModels *m_models;
    qint64 m_lastSeq = 0;
    int m_eventsReceived = 0;
    int m_skipped = 0;
    QString m_lastSkip;
    QSet<QString> m_logged;
    TimePoint m_lastAt;
    QElapsedTimer m_sinceLastAt;
};

} // namespace antibody

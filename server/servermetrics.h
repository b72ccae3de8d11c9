#pragma once

#include "engine/ports/store.h"

#include <QByteArray>
#include <QMap>
#include <QObject>
#include <QString>
#include <functional>

namespace antibody {

class Engine;
class EventJournal;

// The server's own figures in the Prometheus text format (version 0.0.4), for
// `/metrics`: whether it leads and under which epoch, what waits for people, what
// ran and how it ended, the feeds' health, the clients, and how far behind the
// stream is. Counters count from the process's start, as Prometheus expects.
class ServerMetrics : public QObject
{
    Q_OBJECT
public:
    struct Live
    {
        bool leader = true;
        qint64 epoch = 0;
        int clients = 0;
    };

    ServerMetrics(Engine &engine, EventJournal &journal, std::function<Live()> live, QObject *parent = nullptr);

    void countWebhook(const QString &result); // "accepted", "malformed"
    QByteArray text() const;

    // A label value as the text format wants it: backslash, quote and newline escaped.
    static QString escaped(const QString &value);

private:
    void count(const AuditLog::StoredEvent &event);

    Engine &m_engine;
    EventJournal &m_journal;
    std::function<Live()> m_live;
    QMap<QString, qint64> m_incidentsEnded; // outcome -> count
    QMap<std::pair<QString, QString>, qint64> m_steps; // (action, outcome) -> count
    QMap<QString, qint64> m_webhooks; // result -> count
    qint64 m_lastEventAtMs = 0; // engine time of the newest event delivered
};

} // namespace antibody

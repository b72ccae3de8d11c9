#pragma once

#include "models/link/enginecommands.h"
#include "models/link/metricreader.h"

#include <QPointer>
#include <QTimer>

namespace antibody {

class Clock;
class ConsoleModels;
class Engine;

// The console's side of the engine, which lives on its own thread. Every call
// into the engine is queued onto that thread; every answer and every engine
// signal comes back queued onto the GUI thread and lands in ConsoleModels. The
// GUI thread never waits for the engine.
//
// Lifetime: the engine thread must stop before this object is destroyed (the
// console declares the thread after the link, so it is torn down first).
class EngineLink : public EngineCommands, public MetricReader
{
    Q_OBJECT
public:
    EngineLink(ConsoleModels *models, QString approver, QObject *parent = nullptr);

    // The engine and its ports, created on the engine thread. Subscribes to the
    // engine's signals, loads a snapshot of its state and starts the clock tick.
    void attach(Engine *engine, Clock *clock, MetricSource *metrics);
    bool isAttached() const { return m_engine != nullptr; }

    void approve(const QString &proposalId, const QString &fingerprint) override;
    void deny(const QString &proposalId, const QString &fingerprint, const QString &reason) override;
    void request(const QString &proposalId, const QString &fingerprint, const QString &reason) override;
    void resetBreaker(const QString &type) override;
    void cancel(const QString &incidentId) override;
    QString approver() const override { return m_approver; }

    void readWindow(const QList<MetricQuery> &queries, Duration span, Duration step, QObject *context,
        std::function<void(const Window &)> done) override;

Q_SIGNALS:
    // The first snapshot of the engine's state has arrived.
    void attached();

private:
    // Runs on the engine's thread, after everything already queued there.
    void onEngine(std::function<void()> work);
    // Runs on this object's (the GUI) thread.
    void onGui(std::function<void()> work);
    void loadSnapshot();
    void tick();

    ConsoleModels *m_models;
    QString m_approver;
    Engine *m_engine = nullptr; // dereferenced on the engine thread only
    Clock *m_clock = nullptr;
    MetricSource *m_metrics = nullptr;
    QTimer m_ticker;
};

} // namespace antibody

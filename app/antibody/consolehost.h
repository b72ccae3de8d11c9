#pragma once

#include "models/link/enginethread.h"

#include <QObject>
#include <QString>

namespace antibody {

class EngineLink;
class RunbookLink;

// Puts the engine the console shows on its own thread and links the window's
// models and the runbook editor to it: the simulated fleet's demo without a
// configuration, the configured sources and executors with one. Everything is
// built on the engine thread; the answer comes back as a signal on the GUI thread.
class ConsoleHost : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString configFile; // empty: the demo on the simulated fleet
        QString dataDir; // empty: the user's data folder
    };

    ConsoleHost(EngineLink *engine, RunbookLink *runbooks, QObject *parent = nullptr);
    ~ConsoleHost() override;

    void start(const Options &options);
    // Stops the engine and destroys everything on its thread (the destructor does it too).
    void stop() { m_thread.stop(); }

Q_SIGNALS:
    // `description` says what the console runs on, for the status bar; `libraryFolder`
    // is the runbook folder the editor opens.
    void started(const QString &description, const QString &libraryFolder);
    void failed(const QString &error);

private:
    void startConfigured(const Options &options);

    EngineLink *m_engine;
    RunbookLink *m_runbooks;
    EngineThread m_thread;
};

} // namespace antibody

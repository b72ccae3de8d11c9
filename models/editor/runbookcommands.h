#pragma once

#include "engine/ports/store.h"
#include "engine/rehearsal/drillreport.h"
#include "engine/rehearsal/dryrunreport.h"
#include "engine/runbook/runbook.h"

#include <QList>
#include <QObject>
#include <QStringList>

namespace antibody {

// What the runbook editor asks of the engine. The editor holds this interface, so
// the real link (the engine on its own thread, drills on a worker) and a test's
// recording double are interchangeable. Calls return at once; answers come back
// as signals on the GUI thread.
class RunbookCommands : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~RunbookCommands() override;

    // Plans the runbook against the environment the console runs on now, executing nothing.
    virtual void dryRun(const Runbook &runbook) = 0;
    // Drills it in a fresh simulator, in virtual time, and stores the result.
    virtual void drill(const Runbook &runbook) = 0;
    // Makes this validated runbook the engine's live version of it (by file, else by name).
    // Incidents already open keep the version they started with.
    virtual void install(const Runbook &runbook) = 0;
    // The last drill of each of these runbooks, for the tree.
    virtual void loadDrillHistory(const QStringList &runbooks) = 0;

Q_SIGNALS:
    void dryRunReady(const antibody::DryRunReport &report);
    void drillFinished(const antibody::DrillReport &report);
    // `live` is false when the engine refused it (another runbook has its name): `message` says why.
    void installed(const QString &runbook, const QByteArray &hash, bool live, const QString &message);
    void drillHistoryLoaded(const QList<antibody::DrillResult> &history);
};

} // namespace antibody

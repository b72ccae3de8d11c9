#pragma once

#include "models/link/connectionstate.h"

#include <QObject>
#include <QString>

namespace antibody {

// What the console asks of the engine. The widgets hold this interface, so the
// real link (to the engine on its own thread) and a test's recording double are
// interchangeable. Calls return at once; answers come back as signals on the GUI thread.
class EngineCommands : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~EngineCommands() override;

    // Approves the plan with this fingerprint: the one on the approver's screen.
    virtual void approve(const QString &proposalId, const QString &fingerprint) = 0;
    virtual void deny(const QString &proposalId, const QString &fingerprint, const QString &reason) = 0;
    // Asks the engine to run a plan it only shows (a level 1 checklist): it then waits for
    // someone else's approval. Answered like an approval.
    virtual void request(const QString &proposalId, const QString &fingerprint, const QString &reason) = 0;
    virtual void resetBreaker(const QString &type) = 0;
    virtual void cancel(const QString &incidentId) = 0;

    // The incident the person has open (empty: none), so that the other consoles of a
    // team server say who else looks at it. Nothing to tell an engine in this process.
    virtual void setOpenIncident(const QString &incidentId) { Q_UNUSED(incidentId); }

    // Who this console approves as: "alice@laptop".
    virtual QString approver() const = 0;
    // Whether the engine can be reached now: always, for the engine in this process.
    virtual ConnectionState connection() const { return {}; }

Q_SIGNALS:
    // The engine's answer to approve(), deny() or request(): accepted, or refused and why
    // ("the plan changed since it was shown", "already executed by bob").
    void answered(const QString &proposalId, bool accepted, const QString &message);
    // The engine became reachable or unreachable (a team server's link), or what it sends went wrong.
    void connectionChanged(const antibody::ConnectionState &state);
};

} // namespace antibody

#pragma once

#include "engine/domain/engineevent.h"
#include "engine/ports/store.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace antibody {

// Everything one drill found: the result the store keeps, and what the editor and
// `antibodyctl drill` show with it.
struct DrillReport
{
    DrillResult result;
    QString file; // the runbook's file
    QString scenarioDescription; // the scenario's one line, or the fault's
    QString story; // what a good run looks like
    QString expectation; // "resolved within 45s", "escalated"
    QList<EngineEvent> timeline; // the drill's events, in virtual time
    QStringList failures; // why it failed; empty when it passed
    QString error; // set when the drill could not run at all (no drill metadata, unknown scenario)
    Duration simulated { 0 }; // virtual time the drill ran

    bool ran() const { return error.isEmpty(); }
};

} // namespace antibody

Q_DECLARE_METATYPE(antibody::DrillReport)

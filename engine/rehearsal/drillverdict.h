#pragma once

#include "engine/core/time.h"
#include "engine/domain/incident.h"
#include "engine/ports/store.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace antibody {

// What passing a drill means: the runbook's `drill:` promise (outcome, max_mttr)
// and the scenario's safety lines (actions it must never run, evidence kept).
struct DrillExpectation
{
    QString outcome = QStringLiteral("resolved"); // resolved | escalated
    std::optional<Duration> maxMttr;
    QStringList neverExecutes;
    bool evidencePreserved = true;

    // "resolved within 45s", "escalated"
    QString text() const;
};

// What happened in the simulator.
struct DrillObservation
{
    std::optional<Incident> incident; // the first incident the runbook opened, as it ended
    QStringList executed; // actions the engine started, in order
    QStringList evidenceDestroyed; // forensic state destroyed, in words
    Duration ran { 0 }; // virtual time the drill ran
};

class DrillVerdict
{
public:
    // The result to store; `failures` gets every reason it failed (empty when it passed).
    static DrillResult judge(const QString &runbook, const QString &scenario, const DrillExpectation &expect,
        const DrillObservation &seen, TimePoint at, QStringList *failures);
};

} // namespace antibody

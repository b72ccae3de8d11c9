#pragma once

#include "engine/core/labels.h"
#include "engine/domain/proposal.h"
#include "engine/rehearsal/triggersubject.h"

#include <QString>

namespace antibody {

// A dry run: the proposal a runbook would make against the world as it is now,
// with its guardrails and mode. Nothing was executed.
struct DryRunReport
{
    QString runbook;
    QByteArray runbookHash;
    QString
        environment; // "the simulated fleet (scenario connection-pool-exhaustion, 2m30s in)", "the console's engine"
    TriggerSubject subject; // the alert it pretended fired, and why those labels
    Proposal proposal;
    TimePoint at;
    QString error; // set when no dry run could be made
};

} // namespace antibody

Q_DECLARE_METATYPE(antibody::DryRunReport)

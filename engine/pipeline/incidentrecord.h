#pragma once

#include "engine/core/clock.h"
#include "engine/domain/incident.h"
#include "engine/domain/proposal.h"
#include "engine/runbook/runbook.h"

#include <QHash>
#include <memory>
#include <optional>

namespace antibody {

class ExecutionRun;

// What the engine keeps about one incident while it works on it: the incident as
// people see it, the runbook version it started with, the current proposal and the
// engine's own bookkeeping (timers, attempts, the page already sent). IncidentBook owns them.
struct IncidentRecord
{
    Incident incident;
    Runbook runbook; // the version the incident started with
    std::optional<Proposal> proposal;
    QHash<QString, Proposal::State> pastProposals; // superseded, expired: approvals of them are refused with why
    std::shared_ptr<ExecutionRun> run;
    QString executionId;
    bool automated = false;
    bool planning = false;
    bool replanQueued = false;
    bool forceNewProposal = false; // the last one expired: even the same plan gets a new id
    QString pagedSeverity; // the most urgent page sent about this incident; empty: none
    std::optional<TimePoint> waitingSince; // since when a human's answer is awaited
    int attempts = 0; // remediation runs of this incident that did not resolve it
    QString problemKey; // the problem it answers, while it is open: one incident per problem
    QString lastBlock; // the block reason last announced, so waiting is said once
    // A person asked the engine to run the shown plan (ApprovalDesk::request): every plan of
    // this incident from then on waits for someone else's approval instead of being shown.
    QString requestedBy;
    QString requestReason;
    int proposalSeq = 0;
    Clock::TimerId retryTimer = 0;
    Clock::TimerId expiryTimer = 0;
    Clock::TimerId refreshTimer = 0;
    std::optional<int> batchLimit;
    QString batchReason;
};

} // namespace antibody

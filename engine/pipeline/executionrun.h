#pragma once

#include "engine/domain/plan.h"
#include "engine/pipeline/executionhost.h"
#include "engine/runbook/runbook.h"

#include <memory>

namespace antibody {

// One execution of an approved (or automatic) plan: a per-step state machine
// (pending, running, succeeded, failed, timed out, skipped, cancelled) with
// conditions evaluated between steps. Mutating steps run in capped passes;
// between passes the run waits for data newer than its last action and checks
// the goal of the verification that follows, stopping as soon as it holds.
// Every pass stores its intent before the side effect and its outcome after.
class ExecutionRun : public std::enable_shared_from_this<ExecutionRun>
{
public:
    struct Options
    {
        QString executionId;
        QString incidentId;
        bool humanApproved = false; // pass 1 must touch exactly the approved targets
        std::optional<int> batchLimit; // level 4 adaptation
        Duration passSettle { 5'000 };
        int maxCycles = 10;
    };

    ExecutionRun(ExecutionHost &host, Runbook runbook, Plan plan, Options options);

    void start();
    void cancel(const QString &who);
    // The engine is going away: stop without calling back into it.
    void detach() { m_detached = m_finished = true; }
    bool isFinished() const { return m_finished; }

private:
    void runStep(int index);
    void finishStep(int index, const StepOutcome &outcome);
    void runPass(int index, int pass);
    void afterPass(int index, int pass);
    void recordLateResult(int index, int pass, const ActionResult &result);
    void waitForFreshGoal(int index, int verifyIndex, int pass, TimePoint deadline);
    void finish(ExecutionOutcome outcome, const QString &reason);
    int verificationAfter(int index) const;
    bool stopped() const { return m_finished || m_cancelled; }

    ExecutionHost &m_host;
    Runbook m_runbook;
    Plan m_plan;
    Options m_options;
    TimePoint m_lastActionAt;
    QHash<int, StepResult> m_outcomes; // plan step index -> how it ended
    QHash<int, QVariantMap> m_stepFacts;
    QHash<int, QStringList> m_affected;
    QHash<int, int> m_passes;
    ExecutionSummary m_summary;
    bool m_cancelled = false;
    bool m_finished = false;
    bool m_detached = false;
    QString m_cancelledBy;
};

} // namespace antibody

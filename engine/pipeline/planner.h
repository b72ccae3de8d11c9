#pragma once

#include "engine/core/clock.h"
#include "engine/domain/incident.h"
#include "engine/domain/plan.h"
#include "engine/ports/actionexecutor.h"
#include "engine/runbook/runbook.h"

#include <QHash>
#include <functional>

namespace antibody {

// Turns a runbook and a diagnosed incident into a Plan: the remaining steps in
// order (branches the diagnosis ruled out are left out and said why), and for
// each mutating step the fleet it would touch, read through the executors.
// Deterministic: the same world gives the same plan and fingerprint.
class Planner
{
public:
    struct Input
    {
        Runbook runbook;
        Incident incident;
        std::optional<int> batchLimit; // level 4 adaptation
        QString batchReason;
        Clock *clock = nullptr;
        std::function<ActionExecutor *(const QString &family)> executorFor;
        Duration fleetTimeout { 30'000 };
    };
    struct Result
    {
        Plan plan;
        QStringList missingExecutors; // families nobody runs
        QStringList fleetErrors; // executors that could not say what they would touch
        QHash<QString, Fleet> fleets; // step -> the fleet as read: target states for the diagnostics bundle
    };

    static void make(Input input, std::function<void(const Result &)> done);

    // How many leading steps are diagnosis: read-only steps before anything that changes or notifies.
    static int diagnosisSteps(const Runbook &runbook);
    // The step's parameters, normalized, as the executor and the fingerprint see them.
    static QVariantMap paramsOf(const Step &step);
};

} // namespace antibody

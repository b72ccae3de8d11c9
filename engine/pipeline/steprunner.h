#pragma once

#include "engine/core/clock.h"
#include "engine/domain/incident.h"
#include "engine/domain/outcome.h"
#include "engine/ports/actionexecutor.h"
#include "engine/ports/metricsource.h"
#include "engine/ports/notifier.h"
#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/runbook.h"

#include <QJsonObject>
#include <functional>

namespace antibody {

// How a step ended, with what it found.
struct StepOutcome
{
    StepResult result = StepResult::Failed;
    QString detail; // one line for the timeline
    QVariantMap facts;
    QJsonObject evidence; // what goes into the diagnostics bundle
    QStringList affected;

    // Named constructors: StepOutcome::failed(u"why"_s) rather than a positional list.
    static StepOutcome of(
        StepResult result, QString detail, QVariantMap facts = {}, QJsonObject evidence = {}, QStringList affected = {})
    {
        return { result, std::move(detail), std::move(facts), std::move(evidence), std::move(affected) };
    }
    static StepOutcome succeeded(
        QString detail, QVariantMap facts = {}, QJsonObject evidence = {}, QStringList affected = {})
    {
        return of(StepResult::Succeeded, std::move(detail), std::move(facts), std::move(evidence), std::move(affected));
    }
    static StepOutcome failed(QString detail, QVariantMap facts = {}, QJsonObject evidence = {})
    {
        return of(StepResult::Failed, std::move(detail), std::move(facts), std::move(evidence));
    }
    static StepOutcome timedOut(QString detail, QVariantMap facts = {}, QJsonObject evidence = {})
    {
        return of(StepResult::TimedOut, std::move(detail), std::move(facts), std::move(evidence));
    }
    static StepOutcome blocked(QString detail) { return of(StepResult::Blocked, std::move(detail)); }
    QString text() const { return stepResultText(result); }
};

// Runs the steps that change nothing: metric reads, diagnostics, verification
// (wait_for_metric), pages and notices. Mutating steps run in passes under the
// execution's control (ExecutionRun), through runPass().
class StepRunner
{
public:
    struct Context
    {
        Clock *clock = nullptr;
        MetricSource *metrics = nullptr;
        std::function<ActionExecutor *(const QString &family)> executorFor;
        QList<Notifier *> notifiers;
        Incident incident; // scope labels, diagnostics bundle for pages
        QString pagedSeverity; // the most urgent page already sent about the incident; empty: none
        TimePoint lastActionAt; // verification reads only data newer than this
        QString executionId;
        Duration pollInterval { 5'000 }; // wait_for_metric's reads; the engine lowers it to its evaluation interval
    };
    using Done = std::function<void(const StepOutcome &)>;

    static void run(const Step &step, const ActionSpec &spec, const Context &context, Done done);

    // One pass of a mutating step on the chosen targets, with the step's timeout. An answer
    // after the timeout goes to `late`, when given: the pass may have acted all the same.
    static void runPass(ActionExecutor *executor, const ActionRequest &request, Clock *clock, Duration timeout,
        std::function<void(const ActionResult &, bool timedOut)> done,
        std::function<void(const ActionResult &)> late = {});

    static Duration timeoutOf(const Step &step, const ActionSpec &spec);

    // The incident's series among a query's answer: the one labelled with its service, else the first.
    static std::optional<Sample> pick(const MetricResult &result, const Incident &incident);
};

} // namespace antibody

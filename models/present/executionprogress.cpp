#include "models/present/executionprogress.h"

#include "engine/domain/outcome.h"

#include <QCoreApplication>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody {

QString StepProgress::statusText(Status status)
{
    switch (status) {
    case Status::Pending:
        return QCoreApplication::translate("StepProgress", "pending");
    case Status::Running:
        return QCoreApplication::translate("StepProgress", "running");
    case Status::Succeeded:
        return QCoreApplication::translate("StepProgress", "succeeded");
    case Status::Failed:
        return QCoreApplication::translate("StepProgress", "failed");
    case Status::TimedOut:
        return QCoreApplication::translate("StepProgress", "timed out");
    case Status::Skipped:
        return QCoreApplication::translate("StepProgress", "skipped");
    case Status::Blocked:
        return QCoreApplication::translate("StepProgress", "blocked");
    case Status::Cancelled:
        return QCoreApplication::translate("StepProgress", "cancelled");
    }
    return {};
}

StepProgress::Status StepProgress::statusFromOutcome(const QString &outcome)
{
    // An outcome we do not know is not a success.
    switch (stepResultFromText(outcome).value_or(StepResult::Failed)) {
    case StepResult::Succeeded:
        return Status::Succeeded;
    case StepResult::TimedOut:
        return Status::TimedOut;
    case StepResult::Skipped:
        return Status::Skipped;
    case StepResult::Blocked:
        return Status::Blocked;
    case StepResult::Cancelled:
        return Status::Cancelled;
    case StepResult::Failed:
    case StepResult::Unknown:
        break;
    }
    return Status::Failed;
}

ExecutionProgress ExecutionProgress::of(const Plan &plan, const QList<EngineEvent> &events)
{
    ExecutionProgress progress;
    for (const PlannedStep &s : plan.steps)
        progress.steps << StepProgress { s.name, s.action, StepProgress::Status::Pending, 0, {}, {}, {}, {} };

    auto find = [&progress](const QString &name) -> StepProgress * {
        for (StepProgress &s : progress.steps) {
            if (s.step == name)
                return &s;
        }
        return nullptr;
    };
    for (const EngineEvent &e : events) {
        if (e.kind != EngineEvent::Kind::StepStarted && e.kind != EngineEvent::Kind::StepFinished
            && e.kind != EngineEvent::Kind::StepSkipped)
            continue;
        // Diagnosis runs before the plan is made; its steps are not the plan's.
        if (e.data.value(u"phase"_s).toString() == u"diagnosis"_s)
            continue;
        StepProgress *s = find(e.data.value(u"step"_s).toString());
        if (!s)
            continue;
        s->detail = e.detail;
        if (e.data.contains(u"pass"_s)) // a pass starting
            s->pass = e.data.value(u"pass"_s).toInt();
        if (e.data.contains(u"passes"_s)) // a capped step finishing: how many passes it took
            s->pass = e.data.value(u"passes"_s).toInt();
        switch (e.kind) {
        case EngineEvent::Kind::StepStarted:
            s->status = StepProgress::Status::Running;
            if (!s->startedAt)
                s->startedAt = e.at;
            break;
        case EngineEvent::Kind::StepFinished:
            s->status = StepProgress::statusFromOutcome(e.data.value(u"outcome"_s).toString());
            s->finishedAt = e.at;
            for (const QJsonValue &v : e.data.value(u"affected"_s).toArray()) {
                if (!s->affected.contains(v.toString()))
                    s->affected << v.toString();
            }
            break;
        default:
            s->status = StepProgress::Status::Skipped;
            s->finishedAt = e.at;
            break;
        }
    }
    return progress;
}

int ExecutionProgress::finishedCount() const
{
    return static_cast<int>(
        std::count_if(steps.cbegin(), steps.cend(), [](const StepProgress &s) { return s.finished(); }));
}

bool ExecutionProgress::started() const
{
    return std::any_of(
        steps.cbegin(), steps.cend(), [](const StepProgress &s) { return s.status != StepProgress::Status::Pending; });
}

const StepProgress *ExecutionProgress::running() const
{
    for (const StepProgress &s : steps) {
        if (s.status == StepProgress::Status::Running)
            return &s;
    }
    return nullptr;
}

QString ExecutionProgress::summary() const
{
    QString text = QCoreApplication::translate("ExecutionProgress", "%1 of %2 steps done")
                       .arg(finishedCount())
                       .arg(steps.size());
    if (const StepProgress *s = running()) {
        text += s->pass > 1
            ? QCoreApplication::translate("ExecutionProgress", " · %1 pass %2 running").arg(s->step).arg(s->pass)
            : QCoreApplication::translate("ExecutionProgress", " · %1 running").arg(s->step);
    }
    return text;
}

} // namespace antibody

#include "engine/rehearsal/drillschedule.h"

#include "engine/runbook/diagnosticcode.h"

using namespace Qt::StringLiterals;

namespace antibody {

DrillSchedule::Status DrillSchedule::status(const std::optional<DrillResult> &last, TimePoint now)
{
    if (!last)
        return Status::Never;
    if (now - last->at > maxAge)
        return Status::Overdue;
    return last->passed ? Status::Fresh : Status::Failed;
}

QString DrillSchedule::age(Duration d)
{
    using namespace std::chrono;
    const auto plural
        = [](qint64 n, const QString &unit) { return u"%1 %2%3"_s.arg(n).arg(unit, n == 1 ? QString() : u"s"_s); };
    if (d < minutes(1))
        return u"just now"_s;
    if (d < hours(1))
        return plural(duration_cast<minutes>(d).count(), u"minute"_s);
    if (d < days(2))
        return plural(duration_cast<hours>(d).count(), u"hour"_s);
    return plural(duration_cast<days>(d).count(), u"day"_s);
}

QString DrillSchedule::summary(const std::optional<DrillResult> &last, TimePoint now)
{
    if (!last)
        return u"never drilled"_s;
    const QString ago = age(now - last->at);
    return u"%1 %2%3"_s.arg(
        last->passed ? u"passed"_s : u"failed"_s, ago, ago == u"just now"_s ? QString() : u" ago"_s);
}

QString DrillSchedule::warning(const std::optional<DrillResult> &last, TimePoint now, const QString &file)
{
    const QString fix = u"drills are due monthly: antibodyctl drill %1"_s.arg(file);
    switch (status(last, now)) {
    case Status::Fresh:
        return {};
    case Status::Never:
        return u"never drilled; %1"_s.arg(fix);
    case Status::Failed:
        return u"the last drill (%1, %2 ago) failed: %3; fix the runbook and drill it again: antibodyctl drill %4"_s
            .arg(formatTime(last->at).left(10), age(now - last->at), last->detail, file);
    case Status::Overdue:
        return u"last drilled %1 ago (%2); %3"_s.arg(age(now - last->at), formatTime(last->at).left(10), fix);
    }
    return {};
}

std::optional<Diagnostic> DrillSchedule::overdue(
    const Runbook &runbook, const std::optional<DrillResult> &last, TimePoint now)
{
    if (!isFlagged(status(last, now)))
        return std::nullopt;
    const SourceLocation at = runbook.drill ? runbook.drill->location : runbook.location;
    Diagnostic d;
    d.file = runbook.file;
    d.line = at.line;
    d.column = at.column;
    d.severity = diagnosticCodeInfo(DiagnosticCode::DrillOverdue).severity;
    d.code = diagnosticCodeInfo(DiagnosticCode::DrillOverdue).name;
    d.message = u"runbook %1: %2"_s.arg(runbook.name, summary(last, now));
    d.hint = warning(last, now, runbook.file);
    if (!runbook.drill)
        d.hint
            += u"; it has no `drill:` section yet: add `drill: { scenario: NAME }` (antibodyctl scenarios lists them)"_s;
    return d;
}

} // namespace antibody

#include "engine/rehearsal/drillverdict.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// Recovery times to the second (to a tenth under 10 s): "21s", "1m40s", "4.2s".
QString mttrText(Duration d)
{
    if (d < std::chrono::seconds(10))
        return QString::number(toSeconds(d), 'f', 1) + u's';
    return formatDuration(std::chrono::round<std::chrono::seconds>(d));
}

} // namespace

QString DrillExpectation::text() const
{
    if (outcome == incidentStateId(IncidentState::Resolved) && maxMttr)
        return u"resolved within %1"_s.arg(formatDuration(*maxMttr));
    return outcome;
}

DrillResult DrillVerdict::judge(const QString &runbook, const QString &scenario, const DrillExpectation &expect,
    const DrillObservation &seen, TimePoint at, QStringList *failures)
{
    DrillResult r;
    r.runbook = runbook;
    r.scenario = scenario;
    r.at = at;
    QStringList why;
    if (!seen.incident) {
        r.outcome = u"not_triggered"_s;
        why << u"the trigger never fired in %1 of %2: nothing was drilled"_s.arg(
            formatDuration(std::chrono::round<std::chrono::seconds>(seen.ran)), scenario);
    } else {
        const Incident &i = *seen.incident;
        const QString reason = i.history.isEmpty() ? QString() : i.history.back().reason;
        if (i.state == IncidentState::Resolved && i.resolvedAt)
            r.mttr = *i.resolvedAt - i.detectedAt;
        r.outcome = isFinal(i.state) ? incidentStateText(i.state) : u"unfinished"_s;
        if (!isFinal(i.state)) {
            why << u"still %1 after %2: neither resolved nor escalated (%3)"_s.arg(
                incidentStateText(i.state), formatDuration(std::chrono::round<std::chrono::seconds>(seen.ran)), reason);
        } else if (r.outcome != expect.outcome) {
            why << u"%1, but the runbook promises %2: %3"_s.arg(r.outcome, expect.outcome, reason);
        } else if (r.mttr && expect.maxMttr && *r.mttr > *expect.maxMttr) {
            why << u"resolved in %1, slower than its max_mttr of %2"_s.arg(
                mttrText(*r.mttr), formatDuration(*expect.maxMttr));
        }
    }
    QStringList forbidden;
    for (const QString &action : seen.executed) {
        if (expect.neverExecutes.contains(action) && !forbidden.contains(action))
            forbidden << action;
    }
    if (!forbidden.isEmpty())
        why << u"ran %1, which %2 must never run"_s.arg(forbidden.join(u", "_s), scenario);
    if (expect.evidencePreserved && !seen.evidenceDestroyed.isEmpty())
        why << u"destroyed evidence: %1"_s.arg(seen.evidenceDestroyed.join(u"; "_s));

    r.passed = why.isEmpty();
    if (r.passed) {
        r.detail = r.mttr ? u"resolved in %1%2"_s.arg(mttrText(*r.mttr),
                       expect.maxMttr ? u" (max %1)"_s.arg(formatDuration(*expect.maxMttr)) : QString())
                          : u"%1 as promised"_s.arg(r.outcome);
    } else {
        r.detail = why.join(u"; "_s);
    }
    if (failures)
        *failures = why;
    return r;
}

} // namespace antibody

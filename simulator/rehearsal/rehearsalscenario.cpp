#include "simulator/rehearsal/rehearsalscenario.h"

#include "engine/core/suggestion.h"

using namespace Qt::StringLiterals;

namespace antibody::sim {

std::optional<Scenario> rehearsalScenario(const Runbook &runbook, const QString &name, QString *error)
{
    QString wanted = name;
    QString fault;
    if (wanted.isEmpty() && runbook.drill) {
        wanted = runbook.drill->scenario;
        fault = runbook.drill->fault;
    }
    if (!wanted.isEmpty()) {
        if (const Scenario *s = findScenario(wanted))
            return *s;
        QStringList names;
        for (const Scenario &s : scenarios())
            names << s.name;
        *error = u"no simulator scenario is named '%1'%2; `antibodyctl scenarios` lists them"_s.arg(
            wanted, didYouMean(wanted, names));
        return std::nullopt;
    }
    if (!fault.isEmpty()) {
        if (const Scenario *s = scenarioForFault(fault))
            return *s;
        *error = u"the simulator injects no fault named '%1'%2; known faults: %3"_s.arg(
            fault, didYouMean(fault, faultNames()), faultNames().join(u", "_s));
        return std::nullopt;
    }
    *error
        = u"runbook %1 has no `drill:` section: add `drill: { scenario: NAME }` (`antibodyctl scenarios` lists them)"_s
              .arg(runbook.name);
    return std::nullopt;
}

Scenario quietFleet()
{
    Scenario s;
    s.name = u"quiet"_s;
    s.description = u"the default fleet, nothing wrong"_s;
    s.seed = 1;
    s.startsAt = u"2026-11-27T14:00:00Z"_s;
    s.horizon = std::chrono::minutes(10);
    s.expect.outcome = u"resolved"_s;
    return s;
}

} // namespace antibody::sim

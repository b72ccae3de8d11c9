#include "app/antibodyctl/command.h"
#include "engine/domain/incident.h"
#include "simulator/scenarios/scenario.h"

using namespace Qt::StringLiterals;

namespace antibody::ctl {

int runScenarios(const QStringList &args, Io &io)
{
    if (args == QStringList { u"--help"_s }) {
        io.out
            << "usage: antibodyctl scenarios\n\n"
            << "Lists the simulated fleet's scenarios: name, what a good run of the shipped runbooks does, and what\n"
            << "goes wrong. Run one with `antibodyctl simulate --scenario NAME`.\n";
        return Ok;
    }
    if (!args.isEmpty()) {
        io.err << "antibodyctl scenarios: takes no arguments (got '" << args.join(u' ') << "')\n";
        return UsageError;
    }
    qsizetype width = 0;
    for (const sim::Scenario &s : sim::scenarios())
        width = std::max(width, s.name.size());
    for (const sim::Scenario &s : sim::scenarios()) {
        const QString expect = s.expect.outcome == incidentStateId(IncidentState::Resolved)
            ? u"resolves < %1"_s.arg(formatDuration(s.expect.maxMttr.value_or(Duration { 0 })))
            : u"escalates"_s;
        io.out << s.name.leftJustified(width + 2) << expect.leftJustified(16) << s.description << '\n';
    }
    return Ok;
}

} // namespace antibody::ctl

#include "app/antibodyctl/command.h"

using namespace Qt::StringLiterals;

namespace antibody::ctl {

const QList<Command> &commands()
{
    static const QList<Command> list {
        { u"catalog"_s, u"Print the action catalog (text, Markdown, JSON) or the runbook JSON Schema."_s, &runCatalog },
        { u"lint"_s, u"Check runbook files and folders against the format and the action catalog."_s, &runLint },
        { u"version"_s, u"Print the version of antibodyctl and of the libraries it runs on."_s, &runVersion },
        { u"scenarios"_s, u"List the simulated fleet's scenarios, one line each."_s, &runScenarios },
        { u"simulate"_s, u"Run a scenario on the simulated fleet through the engine and print its timeline."_s,
            &runSimulate },
        { u"approve"_s,
            u"List the plans waiting for approval, show one, or approve exactly that plan as you (--server: on the team's server)."_s,
            &runApprove },
        { u"deny"_s, u"Deny a plan on the team's server (--server URL) with the reason the next person reads."_s,
            &runDeny },
        { u"cancel"_s,
            u"Cancel an open incident on the team's server (--server URL): no further step, a person takes it."_s,
            &runCancel },
        { u"reset-breaker"_s,
            u"Reset a runbook's circuit breaker on the team's server (--server URL): automation may run it again."_s,
            &runResetBreaker },
        { u"break-glass"_s,
            u"Run a plan now below the approvals it needs, with a reason (--server URL): marked for review, the team told."_s,
            &runBreakGlass },
        { u"request"_s,
            u"Ask the team's server (--server URL) to run a plan it only shows (level 1), with a reason: someone else approves it."_s,
            &runRequest },
        { u"install-runbook"_s,
            u"Install a runbook file on the team's server (--server URL): checked there, run by every server of its store."_s,
            &runInstallRunbook },
        { u"incidents"_s, u"The incidents open on the team's server (--server URL) and the plans waiting for people."_s,
            &runIncidents },
        { u"watch"_s,
            u"Follow the team's server (--server URL): its state, then every event once, across reconnects."_s,
            &runWatch },
        { u"audit"_s,
            u"Verify the audit trail's hash chain (audit verify), export it as CSV or JSON, or list a server's events."_s,
            &runAudit },
        { u"stats"_s, u"Recovery times: to detect, propose, approve and resolve, per runbook and per level."_s,
            &runStats },
        { u"dry-run"_s, u"Show a runbook's plan, blast radius, guardrails and mode in a scenario; executes nothing."_s,
            &runDryRun },
        { u"drill"_s, u"Drill runbooks in the simulator in virtual time; store the results; exit 1 if one fails."_s,
            &runDrill },
        { u"doctor"_s,
            u"Check what a configuration will meet: sources, executors' privileges, and per runbook what is missing."_s,
            &runDoctor },
        { u"run"_s, u"Run the engine headless against the configured feeds and executors; print the timeline."_s,
            &runRun },
        { u"token"_s,
            u"Create, list or revoke the API tokens of a team server's people (--config: the server's configuration)."_s,
            &runToken },
        { u"policy"_s,
            u"Check the team server's access policy (policy lint) or ask who may do what and why (policy can)."_s,
            &runPolicy },
    };
    return list;
}

} // namespace antibody::ctl

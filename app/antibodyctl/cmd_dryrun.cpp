// antibodyctl dry-run RUNBOOK: the plan, blast radius, guardrails and mode, executing nothing.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/optionreader.h"
#include "engine/runbook/runbookloader.h"
#include "simulator/rehearsal/simulateddryrun.h"
#include "simulator/scenarios/scenario.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace antibody::ctl {
namespace {

void printDryRunUsage(QTextStream &out)
{
    out << "usage: antibodyctl dry-run [--scenario NAME] [--json] RUNBOOK\n\n"
        << "Shows what the runbook would do: plays the scenario on a fresh simulated fleet until the\n"
        << "runbook's trigger holds, then prints the plan the engine would make, each step's blast\n"
        << "radius (targets, share of the fleet, cap, cycles), the guardrail checks and the mode it\n"
        << "would run in. Nothing is executed; only the read-only diagnosis steps run.\n\n"
        << "  --scenario NAME  the scenario to plan against (`antibodyctl scenarios`); default: the one\n"
        << "                   the runbook's `drill:` names, else the fleet with nothing wrong\n"
        << "  --json           the same as one JSON object\n\n"
        << "Exit status: 0 a plan was made, 1 the runbook does not validate or no plan could be made,\n"
        << "2 usage or I/O error.\n";
}

QJsonObject toJson(const DryRunReport &r)
{
    const Proposal &p = r.proposal;
    QJsonArray steps;
    for (const PlannedStep &s : p.plan.steps) {
        QJsonObject step {
            { u"name"_s, s.name },
            { u"action"_s, s.action },
            { u"tier"_s, tierText(s.tier) },
            { u"effect"_s, effectText(s.effect) },
            { u"condition"_s, s.condition },
            { u"params"_s, QJsonObject::fromVariantMap(s.params) },
            { u"explanation"_s, s.explanation },
        };
        if (s.blastRadius)
            step.insert(u"blast_radius"_s, s.blastRadius->toJson());
        steps << step;
    }
    QJsonArray guardrails;
    for (const GuardrailResult &g : p.guardrails)
        guardrails << g.toJson();
    QJsonObject labels;
    for (auto it = r.subject.labels.cbegin(); it != r.subject.labels.cend(); ++it)
        labels.insert(it.key(), it.value());
    return QJsonObject {
        { u"runbook"_s, r.runbook },
        { u"version"_s, QString::fromLatin1(r.runbookHash.toHex()) },
        { u"environment"_s, r.environment },
        { u"planned_for"_s,
            QJsonObject { { u"labels"_s, labels }, { u"explanation"_s, r.subject.explanation },
                { u"holds_now"_s, r.subject.holdsNow } } },
        { u"mode"_s, p.blocked() ? u"blocked"_s : modeText(p.decision.mode) },
        { u"reasons"_s, QJsonArray::fromStringList(p.decision.reasons) },
        { u"fingerprint"_s, p.plan.fingerprint },
        { u"steps"_s, steps },
        { u"skipped"_s, QJsonArray::fromStringList(p.plan.skipped) },
        { u"guardrails"_s, guardrails },
        { u"executed"_s, false },
    };
}

QString modeLine(const Proposal &p)
{
    if (p.blocked())
        return u"BLOCKED — nothing would run; a human would be paged"_s;
    switch (p.decision.mode) {
    case Mode::Auto:
        return u"AUTO — would run automatically within guardrails; on-call notified after"_s;
    case Mode::Approve:
        return u"APPROVE — would wait for a human's approval"_s;
    case Mode::Show:
        return u"SHOW — would be shown as a checklist for a human to run"_s;
    case Mode::Blocked:
        break;
    }
    return {};
}

QString mark(GuardrailResult::Verdict v)
{
    return v == GuardrailResult::Verdict::Pass ? u"ok   "_s
        : v == GuardrailResult::Verdict::Block ? u"BLOCK"_s
                                               : u"ASK  "_s;
}

void printText(QTextStream &out, const DryRunReport &r)
{
    const Proposal &p = r.proposal;
    out << "Dry run of " << r.runbook << " (version " << QString::fromLatin1(r.runbookHash.toHex().left(12))
        << ") — nothing is executed\n";
    out << "Against:     " << r.environment << '\n';
    out << "Planned for: " << r.subject.explanation << '\n';
    QStringList labels;
    for (auto it = r.subject.labels.cbegin(); it != r.subject.labels.cend(); ++it)
        labels << u"%1=\"%2\""_s.arg(it.key(), it.value());
    out << "             {" << labels.join(u", "_s) << "}\n\n";
    out << "Mode: " << modeLine(p) << '\n';
    for (const QString &reason : p.decision.reasons)
        out << "  - " << reason << '\n';
    out << "\nPlan " << p.plan.shortFingerprint() << ":\n";
    int width = 0;
    for (const PlannedStep &s : p.plan.steps)
        width = std::max(width, static_cast<int>(s.name.size()));
    int n = 0;
    for (const PlannedStep &s : p.plan.steps) {
        out << "  " << ++n << ". " << s.name.leftJustified(width) << "  " << s.action.leftJustified(22) << ' '
            << tierText(s.tier) << ", " << effectText(s.effect);
        if (!s.condition.isEmpty())
            out << ", only if " << s.condition;
        out << '\n';
        if (s.blastRadius) {
            const BlastRadius &b = *s.blastRadius;
            out << "       blast radius: " << b.summary() << '\n';
            if (!b.chosen.isEmpty())
                out << "       this cycle:   " << b.chosen.join(u", "_s) << '\n';
        }
    }
    for (const QString &skipped : p.plan.skipped)
        out << "  skipped: " << skipped << '\n';
    out << "\nGuardrails:\n";
    for (const GuardrailResult &g : p.guardrails)
        out << "  " << mark(g.verdict) << ' ' << g.name.leftJustified(16) << ' ' << g.reason << '\n';
}

} // namespace

int runDryRun(const QStringList &args, Io &io)
{
    bool json = false;
    QString scenario;
    QStringList paths;
    OptionReader options(args, u"dry-run"_s);
    while (options.next()) {
        if (options.flag(u"--help") || options.flag(u"-h")) {
            printDryRunUsage(io.out);
            return Ok;
        }
        if (options.flag(u"--json")) {
            json = true;
        } else if (options.is(u"--scenario")) {
            const std::optional<QString> value = options.take();
            if (!value) {
                io.err << "antibodyctl dry-run: --scenario needs a name (`antibodyctl scenarios` lists them)\n";
                return UsageError;
            }
            scenario = *value;
        } else if (options.isOption()) {
            io.err << "antibodyctl dry-run: unknown option '" << options.argument() << "'\n\n";
            printDryRunUsage(io.err);
            return UsageError;
        } else {
            paths << options.argument();
        }
    }
    if (paths.size() != 1) {
        io.err << "antibodyctl dry-run: name exactly one runbook file\n\n";
        printDryRunUsage(io.err);
        return UsageError;
    }
    if (!scenario.isEmpty() && !sim::findScenario(scenario)) {
        io.err << "antibodyctl dry-run: no simulator scenario is named '" << scenario
               << "'; `antibodyctl scenarios` lists them\n";
        return UsageError;
    }
    const LoadResult loaded = loadRunbookFile(paths.front());
    if (!loaded.runbook) {
        const bool ioError = std::any_of(loaded.diagnostics.begin(), loaded.diagnostics.end(),
            [](const Diagnostic &d) { return d.code == u"io-error"_s; });
        for (const Diagnostic &d : loaded.diagnostics)
            io.err << d.toString() << '\n';
        io.err << "antibodyctl dry-run: " << paths.front()
               << (ioError ? " cannot be read\n" : " does not validate; a dry run plans only a valid runbook\n");
        return ioError ? UsageError : Failed;
    }
    const DryRunReport report = sim::SimulatedDryRun::run(*loaded.runbook, scenario);
    if (!report.error.isEmpty()) {
        io.err << "antibodyctl dry-run: " << report.error << '\n';
        return Failed;
    }
    if (json)
        io.out << QJsonDocument(toJson(report)).toJson(QJsonDocument::Indented);
    else
        printText(io.out, report);
    return Ok;
}

} // namespace antibody::ctl

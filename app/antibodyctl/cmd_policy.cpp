// antibodyctl policy lint|can: the team server's access policy, checked before it is
// deployed and asked why it decides as it does (docs/team.md, "Policy").
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/diagnosticoutput.h"
#include "app/antibodyctl/optionreader.h"
#include "engine/core/suggestion.h"
#include "engine/policy/policy.h"
#include "engine/runbook/diagnosticcode.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace antibody::ctl {
namespace {

const char policyUsage[]
    = "usage: antibodyctl policy lint [--json] FILE...\n"
      "       antibodyctl policy can USER VERB --policy FILE [--service S] [--runbook R] [--tier T]\n"
      "                              [--groups a,b] [--json]\n"
      "\n"
      "lint  checks policy files: one `file:line:col: error|warning[code]: message` line and its hint\n"
      "      per problem, then a summary (--json, or --format json: a JSON array of {file, line, column,\n"
      "      severity, code, message, hint}). Exit status: 0 no errors (warnings allowed), 1 errors,\n"
      "      2 usage or a file that cannot be read.\n"
      "can   says whether the policy in FILE lets USER do VERB, and which rule decides: the first deny\n"
      "      that matches, else the first allow, else the default (deny). --service, --runbook and\n"
      "      --tier (safe, approve, never) name the object; --groups the groups USER's token carries.\n"
      "      Exit status: 0 allowed, 1 denied, 2 usage error or a policy that does not lint.\n"
      "\n"
      "Verbs: view, approve, deny, cancel, reset_breaker, install_runbook, break_glass, request, admin.\n";

int policyUsageError(Io &io, const QString &message)
{
    io.err << "antibodyctl policy: " << message << '\n' << policyUsage;
    return UsageError;
}

// A value that is not allowed: the reason alone, without the whole usage.
int policyValueError(Io &io, const QString &message)
{
    io.err << "antibodyctl policy can: " << message << '\n';
    return UsageError;
}

bool isUnreadable(const Diagnostic &d)
{
    return d.code == diagnosticCodeInfo(DiagnosticCode::IoError).name;
}

int lintPolicies(const QStringList &files, bool json, Io &io)
{
    QList<Diagnostic> diagnostics;
    qsizetype errors = 0;
    qsizetype warnings = 0;
    qsizetype filesWithProblems = 0;
    bool ioFailed = false;
    QStringList clean;
    for (const QString &file : files) {
        const PolicyLoad loaded = Policy::load(file);
        diagnostics << loaded.diagnostics;
        for (const Diagnostic &d : loaded.diagnostics) {
            (d.isError() ? errors : warnings) += 1;
            ioFailed = ioFailed || isUnreadable(d);
        }
        filesWithProblems += loaded.diagnostics.isEmpty() ? 0 : 1;
        if (loaded.policy && loaded.diagnostics.isEmpty())
            clean << u"policy lint: %1: %2, %3: no problems"_s.arg(file,
                plural(loaded.policy->groupNames().size(), u"group"_s),
                plural(loaded.policy->rules().size(), u"rule"_s));
    }
    if (json) {
        printDiagnosticsJson(diagnostics, io.out);
    } else {
        printDiagnostics(diagnostics, io.out);
        for (const QString &line : std::as_const(clean))
            io.out << line << '\n';
        if (!diagnostics.isEmpty())
            io.out << "policy lint: " << plural(errors, u"error"_s) << ", " << plural(warnings, u"warning"_s) << " in "
                   << filesWithProblems << " of " << plural(files.size(), u"file"_s) << '\n';
    }
    if (ioFailed)
        return UsageError;
    return errors > 0 ? Failed : Ok;
}

struct PolicyQuestion
{
    QString subject;
    QString verb;
    QString policyFile;
    PolicyObject object;
    QStringList tokenGroups;
    bool json = false;
};

int answerCan(const PolicyQuestion &q, Io &io)
{
    const std::optional<PolicyVerb> verb = policyVerbFromName(q.verb);
    if (!verb)
        return policyValueError(io,
            u"unknown verb '%1'%2; the verbs are: %3"_s.arg(
                q.verb.left(40), didYouMean(q.verb, policyVerbNames()), policyVerbNames().join(u", "_s)));
    if (!q.object.tier.isEmpty() && !policyTierNames().contains(q.object.tier))
        return policyValueError(io, u"--tier '%1': say safe, approve or never"_s.arg(q.object.tier.left(40)));
    const PolicyLoad loaded = Policy::load(q.policyFile);
    // Warnings go to stderr too: "grants nothing" explains a refusal.
    printDiagnostics(loaded.diagnostics, io.err);
    if (!loaded.policy) {
        io.err << "antibodyctl policy can: nothing is decided on a policy that does not lint; fix " << q.policyFile
               << " (antibodyctl policy lint " << q.policyFile << ")\n";
        return UsageError;
    }
    const Policy &policy = *loaded.policy;
    const PolicyDecision decision = policy.decide(q.subject, *verb, q.object, q.tokenGroups);
    QStringList groups = policy.groupsOf(q.subject);
    for (const QString &g : q.tokenGroups) {
        if (!groups.contains(g))
            groups << g;
    }
    const bool asksApprovals = !q.object.tier.isEmpty() && q.object.tier != u"never"_s;
    if (q.json) {
        QJsonObject out { { u"allowed"_s, decision.allowed }, { u"rule"_s, decision.rule },
            { u"explanation"_s, decision.explanation }, { u"subject"_s, q.subject },
            { u"groups"_s, QJsonArray::fromStringList(groups) }, { u"verb"_s, q.verb },
            { u"service"_s, q.object.service }, { u"runbook"_s, q.object.runbook }, { u"tier"_s, q.object.tier } };
        if (asksApprovals)
            out.insert(u"approvals"_s, policy.approvalsFor(q.object.tier));
        io.out << QJsonDocument(out).toJson(QJsonDocument::Indented);
    } else {
        io.out << (decision.allowed ? "allowed: " : "denied: ") << decision.explanation << '\n';
        if (decision.allowed && asksApprovals && *verb == PolicyVerb::Approve) {
            const int people = policy.approvalsFor(q.object.tier);
            io.out << "approvals: "
                   << (people == 1 ? u"one person approves"_s : u"%1 distinct people approve"_s.arg(people))
                   << " an action of tier " << q.object.tier << " (a runbook's `approvals:` may ask more)\n";
        }
    }
    return decision.allowed ? Ok : Failed;
}

} // namespace

int runPolicy(const QStringList &args, Io &io)
{
    QString action;
    QStringList positional;
    PolicyQuestion q;
    QString error;
    OptionReader options(args, u"policy"_s);
    while (options.next()) {
        if (options.flag(u"--help") || options.flag(u"-h")) {
            io.out << policyUsage;
            return Ok;
        }
        QString value;
        if (options.is(u"--policy") || options.is(u"--service") || options.is(u"--runbook") || options.is(u"--tier")
            || options.is(u"--groups") || options.is(u"--format")) {
            if (!options.take(&value, &error))
                return policyUsageError(io, error);
            if (options.is(u"--policy"))
                q.policyFile = value;
            else if (options.is(u"--service"))
                q.object.service = value;
            else if (options.is(u"--runbook"))
                q.object.runbook = value;
            else if (options.is(u"--tier"))
                q.object.tier = value;
            else if (options.is(u"--groups"))
                q.tokenGroups = value.split(u',', Qt::SkipEmptyParts);
            else if (value == u"json"_s || value == u"text"_s)
                q.json = value == u"json"_s;
            else
                return policyUsageError(io, u"unknown format '%1': use text or json"_s.arg(value.left(40)));
        } else if (options.flag(u"--json")) {
            q.json = true;
        } else if (options.argument().startsWith(u"--"_s)) { // a file may start with one '-'
            return policyUsageError(io, options.unknown());
        } else if (action.isEmpty()) {
            action = options.argument();
        } else {
            positional << options.argument();
        }
    }
    if (action == u"lint"_s) {
        if (!q.policyFile.isEmpty() || !q.object.service.isEmpty() || !q.object.runbook.isEmpty()
            || !q.object.tier.isEmpty() || !q.tokenGroups.isEmpty())
            return policyUsageError(io, u"policy lint takes files only: antibodyctl policy lint FILE..."_s);
        if (positional.isEmpty())
            return policyUsageError(io, u"name at least one policy file"_s);
        return lintPolicies(positional, q.json, io);
    }
    if (action == u"can"_s) {
        if (positional.size() != 2)
            return policyUsageError(io, u"say who and what: antibodyctl policy can USER VERB --policy FILE"_s);
        if (q.policyFile.isEmpty())
            return policyUsageError(io, u"--policy FILE is required: the policy the server reads (server.policy)"_s);
        q.subject = positional.at(0);
        q.verb = positional.at(1);
        if (q.subject.isEmpty())
            return policyUsageError(io, u"USER is empty: name the subject as its token does"_s);
        return answerCan(q, io);
    }
    return policyUsageError(
        io, action.isEmpty() ? u"say lint or can"_s : u"unknown action '%1': say lint or can"_s.arg(action.left(40)));
}

} // namespace antibody::ctl

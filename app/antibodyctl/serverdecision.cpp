#include "app/antibodyctl/serverdecision.h"

#include "app/antibodyctl/optionreader.h"
#include "app/antibodyctl/serveroptions.h"
#include "app/antibodyctl/serverplan.h"
#include "app/antibodyctl/teamsnapshot.h"
#include "app/antibodyctl/timeline.h"
#include "engine/domain/incident.h"
#include "engine/pipeline/incidentid.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <array>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

namespace {

// How each decision is named and explained; everything else is the one flow below.
struct Wording
{
    const char *name; // the antibodyctl command
    const char *type; // the client API's command
    const char *done; // "not approved", "Exit 0: approved"
    const char *usage;
    const char *about; // --help: what it does
    const char *options; // --help: the command's own options
    const char *refused; // --help: why exit 1
    const char *lookAt; // where to see what became of it, `%1` the URL
};

constexpr std::array<Wording, 7> wordings { {
    { "approve", "approve", "approved",
        "usage: antibodyctl approve INCIDENT|PROPOSAL --server URL [--fingerprint SHA256] [--name NAME] "
        "[--ca-file PEM] [--json]\n",
        "Without --fingerprint: the plan the server holds, step by step, with its blast radius and guardrails,\n"
        "and a question on the terminal (no terminal: nothing is approved). With --fingerprint: an approval of\n"
        "exactly the plan with that sha256, refused by the server if the plan changed since.\n",
        "  --fingerprint SHA256  the plan you read, as the plan display shows it (required with --json)\n",
        "the server refused (a stale plan, expired, already decided; it stands by),\n        the plan is not waiting, "
        "or you said no",
        "`antibodyctl incidents --server %1` shows the plan's state" },
    { "deny", "deny", "denied",
        "usage: antibodyctl deny INCIDENT|PROPOSAL --server URL --reason TEXT [--fingerprint SHA256] [--name NAME] "
        "[--ca-file PEM] [--json]\n",
        "Denies the incident's current plan (or the one --fingerprint names) with a reason the next person reads.\n",
        "  --fingerprint SHA256  the plan you read, as the plan display shows it\n"
        "  --reason TEXT      why (required)\n",
        "the server refused (a stale plan, already decided; it stands by), or the plan is not waiting",
        "`antibodyctl incidents --server %1` shows the plan's state" },
    { "cancel", "cancel", "cancelled",
        "usage: antibodyctl cancel INCIDENT --server URL [--name NAME] [--ca-file PEM] [--json]\n",
        "Cancels an open incident: the engine runs no further step for it (a plan that waits, a run between\n"
        "its steps) and hands it to a person. The audit trail records who cancelled (--name); the server's\n"
        "client API carries no reason for a cancellation.\n",
        "", "the server refused (it stands by), no such incident is open, or it is over already",
        "`antibodyctl incidents --server %1` shows the incident's state" },
    { "reset-breaker", "reset_breaker", "reset",
        "usage: antibodyctl reset-breaker NAME --server URL [--name NAME] [--ca-file PEM] [--json]\n",
        "Closes a runbook's circuit breaker again, so that its runbook may run automatically again; the audit\n"
        "trail records who reset it (--name). `antibodyctl watch --server URL` names the breakers that are open.\n",
        "", "the server refused (it stands by), or it has no breaker of that name",
        "`antibodyctl watch --server %1` names the breakers that are open" },
    { "install-runbook", "install_runbook", "installed",
        "usage: antibodyctl install-runbook FILE --server URL [--token-file FILE] [--name NAME] [--ca-file PEM] "
        "[--json]\n",
        "Sends a runbook file to the team's server. The server reads it as `antibodyctl lint` does, asks its\n"
        "policy (install_runbook, on the runbook's name and its highest tier), keeps it in its store and loads\n"
        "it: its engine, and every server on the same store, runs it from then on, in place of a configured\n"
        "runbook of the same name. Lint and drill it first: antibodyctl lint FILE; antibodyctl drill FILE.\n",
        "", "the server refused (the runbook does not load there, its policy, it stands by)",
        "the server at %1 reads it as `antibodyctl lint FILE` does" },
    { "break-glass", "break_glass", "run by break-glass",
        "usage: antibodyctl break-glass INCIDENT|PROPOSAL --server URL --reason TEXT [--fingerprint SHA256] "
        "[--name NAME] [--ca-file PEM] [--json]\n",
        "Runs the plan now with your approval alone, below the number of people it needs: for when the others\n"
        "cannot be reached and waiting costs more. The incident is marked for review, the audit trail says\n"
        "BREAK-GLASS with your reason, and the team's notifiers hear it at once. The policy decides who may\n"
        "(break_glass). Without --fingerprint: the plan, then a question on the terminal.\n",
        "  --fingerprint SHA256  the plan you read, as the plan display shows it (required with --json)\n"
        "  --reason TEXT      why it cannot wait (required): the people who review it read it\n",
        "the server refused (its policy, a stale plan, already decided; it stands by), the plan is not\n"
        "        waiting, or you said no",
        "`antibodyctl incidents --server %1` shows the plan's state" },
    { "request", "request", "requested",
        "usage: antibodyctl request INCIDENT|PROPOSAL --server URL --reason TEXT [--fingerprint SHA256] "
        "[--name NAME] [--ca-file PEM] [--json]\n",
        "Asks the engine to run a plan it only shows (a level 1 runbook's checklist) instead of running its\n"
        "steps by hand. The plan then waits for approval by someone else: you requested it, so your own\n"
        "approval never counts, and every later plan of the incident waits the same way. The policy decides\n"
        "who may (request). Without --fingerprint: the plan, then a question on the terminal.\n",
        "  --fingerprint SHA256  the plan you read, as the plan display shows it (required with --json)\n"
        "  --reason TEXT      why the engine should run it (required): whoever approves it reads it\n",
        "the server refused (its policy, a stale plan, a plan that is not only shown; it stands by),\n"
        "        or you said no",
        "`antibodyctl incidents --server %1` shows the plan's state" },
} };

// The largest runbook sent: the client API closes a connection on a message over 64 KiB.
constexpr qint64 maxRunbookBytes = 48 * 1024;

struct Decision
{
    explicit Decision(ServerDecision k)
        : kind(k)
        , w(wordings.at(static_cast<std::size_t>(k)))
    {
    }

    ServerDecision kind;
    const Wording &w;
    ServerOptions server;
    QString id; // an incident or a proposal; a breaker's name
    QString fingerprint;
    QString reason;

    bool is(ServerDecision k) const { return kind == k; }
    bool onPlan() const
    {
        return is(ServerDecision::Approve) || is(ServerDecision::Deny) || is(ServerDecision::BreakGlass)
            || is(ServerDecision::Request);
    }
    bool needsReason() const
    {
        return is(ServerDecision::Deny) || is(ServerDecision::BreakGlass) || is(ServerDecision::Request);
    }
    // A plan that runs (or, requested, may): read with --fingerprint, or shown and confirmed on a terminal.
    bool runsPlan() const
    {
        return is(ServerDecision::Approve) || is(ServerDecision::BreakGlass) || is(ServerDecision::Request);
    }
    QString url() const { return server.connection.url.toString(); }
};

QString readArguments(Decision &d, const QStringList &args)
{
    return d.server.read(args, QString::fromLatin1(d.w.name), [&](OptionReader &o, QString *problem) {
        if (d.is(ServerDecision::Cancel) && o.is(u"--reason")) {
            *problem = u"cancel takes no --reason: the server records who cancelled (--name), and its client API "
                       u"carries no reason for a cancellation"_s;
            return true;
        }
        if ((d.onPlan() && o.is(u"--fingerprint")) || (d.needsReason() && o.is(u"--reason"))) {
            QString value;
            if (o.take(&value, problem))
                (o.is(u"--reason") ? d.reason : d.fingerprint) = value.trimmed();
            return true;
        }
        if (o.isOption() || !d.id.isEmpty())
            return false;
        d.id = o.argument();
        return true;
    });
}

// What is wrong with the arguments before anything is sent; empty when nothing.
QString checkArguments(const Decision &d)
{
    if (d.id.isEmpty() && d.is(ServerDecision::InstallRunbook))
        return u"say which runbook file to install: antibodyctl install-runbook FILE --server %1"_s.arg(d.url());
    if (d.id.isEmpty())
        return d.is(ServerDecision::ResetBreaker)
            ? u"say which circuit breaker: `antibodyctl watch --server %1` names those that are open"_s.arg(d.url())
            : u"say which incident%1: `antibodyctl incidents --server %2` lists them"_s.arg(
                d.onPlan() ? u" or proposal"_s : QString(), d.url());
    static const QRegularExpression sha256(u"^[0-9a-f]{64}$"_s);
    if (!d.fingerprint.isEmpty() && !sha256.match(d.fingerprint).hasMatch())
        return u"--fingerprint wants the plan's 64-digit sha256 as `antibodyctl approve ID --server URL` shows it, "
               u"not '%1'"_s.arg(printable(d.fingerprint.left(100)));
    if (d.is(ServerDecision::Deny) && d.reason.isEmpty())
        return u"--reason TEXT is required: the next person reads why the plan was denied"_s;
    if (d.is(ServerDecision::BreakGlass) && d.reason.isEmpty())
        return u"--reason TEXT is required: the people who review a break-glass read why it could not wait"_s;
    if (d.is(ServerDecision::Request) && d.reason.isEmpty())
        return u"--reason TEXT is required: whoever approves the request reads why the engine should run it"_s;
    if (d.runsPlan() && d.server.json && d.fingerprint.isEmpty())
        return u"--json is for scripts, and a script approves only with --fingerprint, the plan someone read: "
               u"`antibodyctl approve %1 --server %2` shows it"_s.arg(printable(d.id.left(100)), d.url());
    return {};
}

// What became of a decision: the server's answer, or why antibodyctl sent nothing.
struct Outcome
{
    bool ok = false;
    bool byServer = false; // the server's reply, not antibodyctl's reading of the server's state
    QString reason; // why not
    QString hint; // what to do about it (text only)
    QJsonObject sent; // the command, once sent
    QJsonObject reply;
    std::optional<QString> leader; // the server stands by: who leads ("": not known yet)
};

Outcome refusal(const QString &reason, const QString &hint = {})
{
    return Outcome { false, false, reason, hint, {}, {}, std::nullopt };
}

// A standby refuses every decision, and its snapshot holds nothing to decide on: said
// before anything is looked up, with the leader the server named.
Outcome standingBy(const Decision &d, const ServerConnection::Welcome &w)
{
    Outcome o = refusal(u"%1 stands by; the leader is %2"_s.arg(
                            d.url(), w.leader.isEmpty() ? u"not known yet"_s : printable(w.leader.left(200))),
        u"send it to the leader: --server with the leader's URL; or try again here once this server leads: a "
        u"standby takes over when the leader's lease lapses"_s);
    o.leader = w.leader;
    return o;
}

// What the id names on the server, and the command that decides on it; or why not.
struct Target
{
    QJsonObject command; // empty: `refused` says why
    Outcome refused;
    TeamSnapshot::Found found; // approve, deny, cancel
    QJsonObject breaker; // reset-breaker

    static Target notSent(const QString &reason, const QString &hint = {})
    {
        Target t;
        t.refused = refusal(reason, hint);
        return t;
    }
};

QString breakerList(const TeamSnapshot &team)
{
    QStringList names;
    for (const QJsonObject &b : team.breakers())
        names << printable(b.value(u"type"_s).toString() + u' ' + b.value(u"state"_s).toString());
    return names.isEmpty() ? u"it has none yet: a runbook's breaker appears once the engine has planned or run it"_s
                           : u"its breakers: %1"_s.arg(names.join(u", "_s));
}

Target resolve(const Decision &d, const TeamSnapshot &team)
{
    const QString url = d.url();
    const QString type = QString::fromLatin1(d.w.type);
    if (d.is(ServerDecision::InstallRunbook)) {
        QFile file(d.id);
        if (!file.open(QIODevice::ReadOnly))
            return Target::notSent(u"cannot read %1: %2"_s.arg(printable(d.id), file.errorString()));
        const QByteArray yaml = file.read(maxRunbookBytes + 1);
        if (yaml.size() > maxRunbookBytes)
            return Target::notSent(
                u"%1 is larger than %2 KiB, more than the client API carries in one message"_s.arg(printable(d.id))
                    .arg(maxRunbookBytes / 1024));
        Target t;
        t.command = QJsonObject { { u"type"_s, type }, { u"yaml"_s, QString::fromUtf8(yaml) },
            { u"file"_s, QFileInfo(d.id).fileName() } };
        return t;
    }
    if (d.is(ServerDecision::ResetBreaker)) {
        const QJsonObject b = team.breaker(d.id);
        if (b.isEmpty())
            return Target::notSent(
                u"%1 has no circuit breaker '%2'"_s.arg(url, printable(d.id.left(100))), breakerList(team));
        Target t;
        t.command = QJsonObject { { u"type"_s, type }, { u"breaker"_s, d.id } };
        t.breaker = b;
        return t;
    }
    const TeamSnapshot::Found found = team.find(d.id);
    const QString lists
        = u"`antibodyctl incidents --server %1` lists what %2"_s.arg(url, d.onPlan() ? u"waits"_s : u"is open"_s);
    if (!found.error.isEmpty())
        return Target::notSent(found.error, lists);
    Target t;
    t.found = found;
    if (d.is(ServerDecision::Cancel)) {
        const QString incidentId = found.incident.value(u"id"_s).toString();
        const QString state = found.incident.value(u"state"_s).toString();
        if (const auto s = incidentStateFromId(state); s && isFinal(*s))
            return Target::notSent(u"%1 is %2 on %3: nothing is left to cancel"_s.arg(
                IncidentId::shortForm(incidentId), printable(state), url));
        t.command = QJsonObject { { u"type"_s, type }, { u"incident"_s, incidentId } };
        return t;
    }
    const QString state = found.proposal.value(u"state"_s).toString();
    if (state != u"pending"_s)
        return Target::notSent(
            u"the plan of %1 is %2, not waiting for a decision, on %3"_s.arg(
                printable(d.id.left(100)), state.isEmpty() ? u"not made yet"_s : printable(state), url),
            lists);
    t.command = QJsonObject { { u"type"_s, type }, { u"proposal"_s, found.proposal.value(u"id"_s).toString() },
        { u"fingerprint"_s, d.fingerprint } };
    if (d.is(ServerDecision::BreakGlass) || d.is(ServerDecision::Request))
        t.command.insert(u"reason"_s, d.reason);
    if (d.is(ServerDecision::Deny)) {
        // A denial runs nothing: it may name the plan as the server holds it now.
        if (d.fingerprint.isEmpty())
            t.command.insert(u"fingerprint"_s, found.proposal.value(u"fingerprint"_s).toString());
        t.command.insert(u"reason"_s, d.reason);
    }
    return t;
}

// The sentence that says it took, and what happens now.
QString doneText(const Decision &d, const Target &t, const QJsonObject &reply)
{
    const QString url = d.url();
    const QString who = printable(d.server.connection.name);
    const QString incident = IncidentId::shortForm(t.found.incident.value(u"id"_s).toString());
    const QString plan = t.command.value(u"fingerprint"_s).toString().left(12);
    switch (d.kind) {
    case ServerDecision::Approve:
        return u"Approved plan %1 of %2 as %3 on %4: %5."_s.arg(plan, incident, who, url,
            reply.value(u"status"_s).toString() == u"executing"_s
                ? u"it runs now (`antibodyctl watch --server %1` follows it)"_s.arg(url)
                : u"recorded; it runs once %1 people have approved it"_s.arg(
                    t.found.proposal.value(u"approvals_required"_s).toInt()));
    case ServerDecision::Deny:
        return u"Denied plan %1 of %2 as %3 on %4: %5"_s.arg(plan, incident, who, url, printable(d.reason));
    case ServerDecision::Cancel:
        return u"Cancelled %1 as %2 on %3: the engine runs no further step for it and hands it to a person "
               u"(`antibodyctl watch --server %3` follows it)."_s.arg(incident, who, url);
    case ServerDecision::ResetBreaker:
        return u"Reset the circuit breaker %1 (it was %2) as %3 on %4: its runbook may run automatically again."_s.arg(
            printable(d.id), printable(t.breaker.value(u"state"_s).toString()), who, url);
    case ServerDecision::BreakGlass:
        return u"BREAK-GLASS: plan %1 of %2 runs now on %3 with %4's approval, below the %5 it needs; the incident is "
               u"marked for review and the team's notifiers were told (`antibodyctl watch --server %3` follows it)."_s
                   .arg(plan, incident, url, who)
                   .arg(t.found.proposal.value(u"approvals_required"_s).toInt());
    case ServerDecision::Request:
        return u"Requested plan %1 of %2 as %3 on %4: it waits for %5 approval(s) by someone other than you "
               u"(`antibodyctl watch --server %4` follows it)."_s.arg(plan, incident, who, url)
                   .arg(t.found.proposal.value(u"approvals_required"_s).toInt(1));
    case ServerDecision::InstallRunbook:
        return u"Installed the runbook %1 (level %2, sha256 %3) as %4 on %5: its engine runs it from now on."_s
            .arg(printable(reply.value(u"runbook"_s).toString()))
            .arg(reply.value(u"level"_s).toInt())
            .arg(reply.value(u"sha256"_s).toString().left(12), printable(reply.value(u"by"_s).toString(who)), url);
    }
    return {};
}

// Prints what became of the decision: a sentence (a refusal on stderr), and with --json
// one object on stdout whatever the outcome, so that a script reads it in one place.
int report(const Decision &d, const Outcome &o, const QString &done, Io &io)
{
    if (d.server.json) {
        QJsonObject out { { u"server"_s, d.url() }, { u"command"_s, QString::fromLatin1(d.w.name) },
            { u"ok"_s, o.ok } };
        if (!o.ok)
            out.insert(u"reason"_s, o.reason);
        for (const QString &key : { u"status"_s, u"runbook"_s, u"level"_s, u"sha256"_s, u"problems"_s }) {
            if (o.reply.contains(key))
                out.insert(key, o.reply.value(key));
        }
        if (!o.sent.isEmpty()) {
            QJsonObject sent = o.sent;
            sent.remove(u"request"_s);
            if (sent.contains(u"yaml"_s)) // the file, not again: its size says which was sent
                sent.insert(
                    u"yaml"_s, QJsonObject { { u"bytes"_s, sent.value(u"yaml"_s).toString().toUtf8().size() } });
            out.insert(u"sent"_s, sent);
        }
        if (o.leader) {
            out.insert(u"leading"_s, false);
            out.insert(u"leader"_s, *o.leader);
        }
        io.out << QJsonDocument(out).toJson(QJsonDocument::Indented);
    }
    if (!o.ok) {
        io.err << "antibodyctl " << d.w.name << ": not " << d.w.done << (o.byServer ? u" by "_s + d.url() : QString())
               << ": " << printable(o.reason) << (o.hint.isEmpty() ? QString() : u" ("_s + o.hint + u')') << '\n';
        // A runbook that does not load: every problem, located, as lint prints them.
        const QJsonArray problems = o.reply.value(u"problems"_s).toArray();
        for (qsizetype i = 1; i < problems.size() && !d.server.json; ++i)
            io.err << "  " << printable(problems.at(i).toString()) << '\n';
        return Failed;
    }
    if (!d.server.json)
        io.out << done << '\n';
    return Ok;
}

void printHelp(const Decision &d, Io &io)
{
    io.out << d.w.usage << '\n'
           << d.w.about << '\n'
           << ServerOptions::helpText << d.w.options
           << "\nWith --json: one object on stdout, whatever the outcome: ok, reason (when not), status (approve,\n"
              "deny), sent (the command as sent), leading and leader (a server that stands by).\n\n"
           << "Exit 0: " << d.w.done << ".\nExit 1: not " << d.w.done << ": " << d.w.refused
           << ".\nExit 2: a usage error, or the server could not be asked or did not answer.\n";
}

} // namespace

int decideOnServer(ServerDecision decision, const QStringList &args, Io &io)
{
    Decision d(decision);
    const QString argError = readArguments(d, args);
    if (d.server.help) {
        printHelp(d, io);
        return Ok;
    }
    const QString problem = argError.isEmpty() ? checkArguments(d) : argError;
    if (!problem.isEmpty()) {
        io.err << "antibodyctl " << d.w.name << ": " << problem << '\n' << d.w.usage;
        return UsageError;
    }
    const QString url = d.url();
    ServerConnection connection(d.server.connection);
    QString error;
    const auto welcome = connection.open(std::nullopt, &error);
    if (!welcome) {
        io.err << "antibodyctl " << d.w.name << ": " << error << '\n';
        return UsageError;
    }
    if (!welcome->leading)
        return report(d, standingBy(d, *welcome), {}, io);
    TeamSnapshot team(welcome->snapshot);
    QObject::connect(&connection, &ServerConnection::record, &connection,
        [&team](const QJsonObject &message) { team.apply(message); });
    Target target = resolve(d, team);
    if (target.command.isEmpty())
        return report(d, target.refused, {}, io);
    if (d.runsPlan() && d.fingerprint.isEmpty()) {
        showServerPlan(target.found, url, io);
        const bool glass = d.is(ServerDecision::BreakGlass);
        if (!::isatty(STDIN_FILENO)) {
            io.err << "antibodyctl " << d.w.name << ": no terminal to confirm on, so nothing was " << d.w.done
                   << ": read the plan above and name exactly it with --fingerprint\n";
            return UsageError;
        }
        const QString who = d.server.connection.name;
        const QString question = glass
            ? u"BREAK-GLASS: run exactly this plan now as %1, below the approvals it needs?"_s.arg(who)
            : d.is(ServerDecision::Request)
            ? u"Ask the engine to run exactly this plan as %1 (someone else approves it)?"_s.arg(who)
            : u"Approve exactly this plan as %1?"_s.arg(who);
        if (!confirmedOnTerminal(question, io)) {
            io.out << (glass                        ? "Nothing was run.\n"
                    : d.is(ServerDecision::Request) ? "Not requested.\n"
                                                    : "Not approved.\n");
            return Failed;
        }
        // The plan shown, even if the server made a new one while the person read: the
        // server refuses a fingerprint that is no longer current, and says so.
        target.command.insert(u"fingerprint"_s, target.found.proposal.value(u"fingerprint"_s).toString());
    }
    const auto reply = connection.request(target.command, &error);
    if (!reply) {
        io.err << "antibodyctl " << d.w.name << ": " << error
               << " (whether the server recorded it is unknown: " << QString::fromLatin1(d.w.lookAt).arg(url) << ")\n";
        return UsageError;
    }
    Outcome outcome { reply->value(u"ok"_s).toBool(), true, reply->value(u"reason"_s).toString(), {}, target.command,
        *reply, std::nullopt };
    if (!outcome.ok && d.onPlan() && reply->value(u"status"_s).toString() != u"already_claimed"_s)
        outcome.hint
            = u"see the plan as it is now: antibodyctl approve %1 --server %2"_s.arg(printable(d.id.left(100)), url);
    else if (!outcome.ok)
        outcome.hint = QString::fromLatin1(d.w.lookAt).arg(url);
    return report(d, outcome, doneText(d, target, *reply), io);
}

} // namespace antibody::ctl

#include "app/antibodyctl/serverdecision.h"

#include "app/antibodyctl/optionreader.h"
#include "app/antibodyctl/serveroptions.h"
#include "app/antibodyctl/teamsnapshot.h"
#include "app/antibodyctl/timeline.h"
#include "engine/core/time.h"
#include "engine/pipeline/incidentid.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

namespace {

const char serverApproveUsage[] = "usage: antibodyctl approve INCIDENT|PROPOSAL --server URL [--fingerprint SHA256] "
                                  "[--name NAME] [--ca-file PEM]\n";
const char serverDenyUsage[]
    = "usage: antibodyctl deny INCIDENT|PROPOSAL --server URL --reason TEXT [--fingerprint SHA256] [--name NAME]\n";

struct Decision
{
    bool approve = true;
    ServerOptions server;
    QString id;
    QString fingerprint;
    QString reason;

    const char *name() const { return approve ? "approve" : "deny"; }
    const char *usage() const { return approve ? serverApproveUsage : serverDenyUsage; }
};

QString readArguments(Decision &d, const QStringList &args)
{
    return d.server.read(args, QString::fromLatin1(d.name()), [&](OptionReader &o, QString *problem) {
        if (o.is(u"--fingerprint") || (!d.approve && o.is(u"--reason"))) {
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
    if (d.id.isEmpty())
        return u"say which incident or proposal: `antibodyctl incidents --server %1` lists them"_s.arg(
            d.server.connection.url.toString());
    static const QRegularExpression sha256(u"^[0-9a-f]{64}$"_s);
    if (!d.fingerprint.isEmpty() && !sha256.match(d.fingerprint).hasMatch())
        return u"--fingerprint wants the plan's 64-digit sha256 as `antibodyctl approve ID --server URL` shows it, "
               u"not '%1'"_s.arg(printable(d.fingerprint.left(100)));
    if (!d.approve && d.reason.isEmpty())
        return u"--reason TEXT is required: the next person reads why the plan was denied"_s;
    return {};
}

QString millisText(const QJsonValue &ms)
{
    return formatTime(fromMillis(static_cast<qint64>(ms.toDouble())));
}

void showPlan(const TeamSnapshot::Found &f, const QString &url, Io &io)
{
    const QJsonObject &p = f.proposal;
    const QString incidentId = f.incident.value(u"id"_s).toString();
    const QString shortId = TeamSnapshot::shortProposalId(p.value(u"id"_s).toString(), incidentId);
    io.out << IncidentId::shortForm(incidentId) << "  " << printable(f.incident.value(u"title"_s).toString()) << '\n'
           << "  service " << printable(f.incident.value(u"service"_s).toString()) << ", runbook "
           << printable(p.value(u"runbook"_s).toString()) << ", proposal " << printable(shortId) << " ("
           << printable(p.value(u"mode"_s).toString()) << ")\n";
    for (const QJsonValue &why : p.value(u"reasons"_s).toArray())
        io.out << "  waits: " << printable(why.toString()) << '\n';
    io.out << "  plan " << printable(p.value(u"fingerprint"_s).toString()) << '\n';
    int n = 0;
    for (const QJsonValue &v : p.value(u"steps"_s).toArray()) {
        const QJsonObject s = v.toObject();
        io.out << "    " << ++n << ". " << printable(s.value(u"name"_s).toString()) << ": "
               << printable(s.value(u"action"_s).toString()) << " (" << printable(s.value(u"tier"_s).toString())
               << ")\n";
        for (const QJsonValue &r : p.value(u"blast_radius"_s).toArray()) {
            const QJsonObject b = r.toObject();
            if (b.value(u"step"_s).toString() != s.value(u"name"_s).toString())
                continue;
            QStringList chosen;
            for (const QJsonValue &t : b.value(u"chosen"_s).toArray())
                chosen << printable(t.toString());
            io.out << "       " << printable(b.value(u"summary"_s).toString())
                   << "\n       targets: " << (chosen.isEmpty() ? u"none yet"_s : chosen.join(u", "_s)) << '\n';
        }
    }
    for (const QJsonValue &v : p.value(u"guardrails"_s).toArray()) {
        const QJsonObject g = v.toObject();
        io.out << "  guardrail " << printable(g.value(u"name"_s).toString()) << ": "
               << printable(g.value(u"verdict"_s).toString()) << " - " << printable(g.value(u"reason"_s).toString())
               << '\n';
    }
    QStringList approvers;
    for (const QJsonValue &a : p.value(u"approvals"_s).toArray())
        approvers << printable(a.toObject().value(u"approver"_s).toString());
    io.out << "  " << approvers.size() << " of " << p.value(u"approvals_required"_s).toInt() << " approvals"
           << (approvers.isEmpty() ? QString() : u" ("_s + approvers.join(u", "_s) + u')')
           << "; the approval window closes at " << millisText(p.value(u"expires_at"_s)) << '\n'
           << "To approve exactly this plan from a script:\n  antibodyctl approve " << printable(shortId)
           << " --server " << url << " --fingerprint " << printable(p.value(u"fingerprint"_s).toString()) << '\n';
    io.out.flush();
}

// Asks on the terminal; true on "yes". Blocks: nothing else is going on while a person reads.
bool confirmed(const QString &question, Io &io)
{
    io.out << question << " [y/N] ";
    io.out.flush();
    char line[64] = {};
    if (!std::fgets(line, sizeof line, stdin))
        return false;
    const QString answer = QString::fromLocal8Bit(line).trimmed().toLower();
    return answer == u"y"_s || answer == u"yes"_s;
}

int decide(Decision &d, const QStringList &args, Io &io)
{
    const QString argError = readArguments(d, args);
    if (d.server.help) {
        io.out << d.usage()
               << (d.approve ? "\nWithout --fingerprint: the plan the server holds, step by step, with its blast "
                               "radius and guardrails,\nand a question on the terminal (no terminal: nothing is "
                               "approved). With --fingerprint: an approval of\nexactly the plan with that sha256, "
                               "refused by the server if the plan changed since.\n\n"
                             : "\nDenies the incident's current plan (or the one --fingerprint names) with a reason "
                               "the next person reads.\n\n")
               << ServerOptions::helpText << "  --fingerprint SHA256  the plan you read, as the plan display shows it\n"
               << (d.approve ? "" : "  --reason TEXT      why (required)\n")
               << "Exit 0: " << (d.approve ? "approved" : "denied")
               << "; 1: the server refused (stale plan, expired, already decided) or you said no;\n2: usage error, or "
                  "the server could not be asked.\n";
        return Ok;
    }
    const QString problem = argError.isEmpty() ? checkArguments(d) : argError;
    if (!problem.isEmpty()) {
        io.err << "antibodyctl " << d.name() << ": " << problem << '\n' << d.usage();
        return UsageError;
    }
    const QString url = d.server.connection.url.toString();
    ServerConnection connection(d.server.connection);
    QString error;
    const auto welcome = connection.open(std::nullopt, &error);
    if (!welcome) {
        io.err << "antibodyctl " << d.name() << ": " << error << '\n';
        return UsageError;
    }
    TeamSnapshot team(welcome->snapshot);
    QObject::connect(&connection, &ServerConnection::record, &connection,
        [&team](const QJsonObject &message) { team.apply(message); });
    const TeamSnapshot::Found found = team.find(d.id);
    const QString state = found.proposal.value(u"state"_s).toString();
    if (!found.error.isEmpty() || state != u"pending"_s) {
        io.err << "antibodyctl " << d.name() << ": "
               << (found.error.isEmpty() ? u"the plan of %1 is %2, not waiting for a decision"_s.arg(
                       printable(d.id.left(100)), state.isEmpty() ? u"not made yet"_s : state)
                                         : found.error)
               << " on " << url << " (`antibodyctl incidents --server " << url << "` lists what waits)\n";
        return Failed;
    }
    const QString proposalId = found.proposal.value(u"id"_s).toString();
    QString fingerprint = d.fingerprint;
    if (fingerprint.isEmpty() && !d.approve) {
        // A denial runs nothing: it may name the plan as the server holds it now.
        fingerprint = found.proposal.value(u"fingerprint"_s).toString();
    }
    if (fingerprint.isEmpty()) {
        showPlan(found, url, io);
        if (!::isatty(STDIN_FILENO)) {
            io.err << "antibodyctl approve: no terminal to confirm on, so nothing was approved: read the plan above "
                      "and approve exactly it with --fingerprint\n";
            return UsageError;
        }
        if (!confirmed(u"Approve exactly this plan as %1?"_s.arg(d.server.connection.name), io)) {
            io.out << "Not approved.\n";
            return Failed;
        }
        // The plan shown, even if the server made a new one while the person read: the
        // server refuses a fingerprint that is no longer current, and says so.
        fingerprint = found.proposal.value(u"fingerprint"_s).toString();
    }
    QJsonObject command { { u"type"_s, QString::fromLatin1(d.name()) }, { u"proposal"_s, proposalId },
        { u"fingerprint"_s, fingerprint } };
    if (!d.approve)
        command.insert(u"reason"_s, d.reason);
    const auto reply = connection.request(command, &error);
    if (!reply) {
        io.err << "antibodyctl " << d.name() << ": " << error
               << " (whether the server recorded it is unknown: `antibodyctl incidents --server " << url
               << "` shows the plan's state)\n";
        return UsageError;
    }
    const QString status = reply->value(u"status"_s).toString();
    if (!reply->value(u"ok"_s).toBool()) {
        io.err << "antibodyctl " << d.name() << ": not " << (d.approve ? "approved" : "denied") << " by " << url << ": "
               << printable(reply->value(u"reason"_s).toString())
               << (status == u"already_claimed"_s
                          ? QString()
                          : u" (see the plan as it is now: antibodyctl approve %1 --server %2)"_s.arg(
                              printable(d.id.left(100)), url))
               << '\n';
        return Failed;
    }
    const QString who = d.server.connection.name;
    const QString incident = IncidentId::shortForm(found.incident.value(u"id"_s).toString());
    if (!d.approve) {
        io.out << "Denied plan " << fingerprint.left(12) << " of " << incident << " as " << printable(who) << " on "
               << url << ": " << printable(d.reason) << '\n';
        return Ok;
    }
    io.out << "Approved plan " << fingerprint.left(12) << " of " << incident << " as " << printable(who) << " on "
           << url << ": "
           << (status == u"executing"_s ? u"it runs now (`antibodyctl watch --server %1` follows it)"_s.arg(url)
                                        : u"recorded; it runs once %1 people have approved it"_s.arg(
                                            found.proposal.value(u"approvals_required"_s).toInt()))
           << ".\n";
    return Ok;
}

} // namespace

int approveOnServer(const QStringList &args, Io &io)
{
    Decision d;
    d.approve = true;
    return decide(d, args, io);
}

int denyOnServer(const QStringList &args, Io &io)
{
    Decision d;
    d.approve = false;
    return decide(d, args, io);
}

} // namespace antibody::ctl

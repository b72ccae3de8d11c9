// antibodyctl incidents --server URL: the incidents the team's server holds open, and
// for each the plan that waits for people, as a table or one JSON object.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/optionreader.h"
#include "app/antibodyctl/serveroptions.h"
#include "app/antibodyctl/teamsnapshot.h"
#include "app/antibodyctl/timeline.h"
#include "engine/pipeline/incidentid.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

namespace {

const char incidentsUsage[] = "usage: antibodyctl incidents --server URL [--ca-file PEM] [--json]\n";

void printTable(const TeamSnapshot &team, const QString &url, Io &io)
{
    const QList<QJsonObject> open = team.openIncidents();
    if (open.isEmpty()) {
        io.out << "No incident is open on " << url << ".\n";
        return;
    }
    const auto row = [&](const QString &id, const QString &state, const QString &service, const QString &runbook,
                         const QString &waiting, const QString &plan) {
        io.out << id.leftJustified(4 + IncidentId::shortDigits) << "  " << state.leftJustified(17) << "  "
               << service.leftJustified(14) << "  " << runbook.leftJustified(26) << "  " << waiting.leftJustified(16)
               << "  " << plan << '\n';
    };
    row(u"ID"_s, u"STATE"_s, u"SERVICE"_s, u"RUNBOOK"_s, u"WAITING"_s, u"PLAN"_s);
    int waiting = 0;
    for (const QJsonObject &i : open) {
        const QString id = i.value(u"id"_s).toString();
        const QJsonObject p = team.waitingProposal(i);
        waiting += p.isEmpty() ? 0 : 1;
        row(printable(IncidentId::shortForm(id)), printable(i.value(u"state"_s).toString()),
            printable(i.value(u"service"_s).toString()), printable(i.value(u"runbook"_s).toString()),
            p.isEmpty() ? u"-"_s : printable(TeamSnapshot::shortProposalId(p.value(u"id"_s).toString(), id)),
            p.isEmpty() ? u"-"_s : printable(p.value(u"fingerprint"_s).toString().left(12)));
    }
    io.out << open.size() << (open.size() == 1 ? " incident" : " incidents") << " open on " << url << ", " << waiting
           << " waiting for approval";
    if (waiting > 0)
        io.out << " (see a plan: antibodyctl approve ID --server " << url << ')';
    io.out << ".\n";
}

} // namespace

int runIncidents(const QStringList &args, Io &io)
{
    ServerOptions server;
    const QString error = server.read(args, u"incidents"_s, [](OptionReader &, QString *) { return false; });
    if (server.help) {
        io.out << incidentsUsage
               << "\nThe incidents the server holds open: state, service, runbook, and the plan "
                  "that waits for approval\n(its proposal and the first 12 digits of its "
                  "fingerprint).\n\n"
               << ServerOptions::helpText << "Exit 0: listed; 2: usage error, or the server could not be asked.\n";
        return Ok;
    }
    if (!error.isEmpty()) {
        io.err << "antibodyctl incidents: " << error << '\n' << incidentsUsage;
        return UsageError;
    }
    ServerConnection connection(server.connection);
    QString failure;
    const auto welcome = connection.open(std::nullopt, &failure);
    if (!welcome) {
        io.err << "antibodyctl incidents: " << failure << '\n';
        return UsageError;
    }
    const TeamSnapshot team(welcome->snapshot);
    const QString url = server.connection.url.toString();
    if (!server.json) {
        printTable(team, url, io);
        return Ok;
    }
    QJsonArray incidents;
    for (QJsonObject i : team.openIncidents()) {
        i.insert(u"waiting_proposal"_s, team.waitingProposal(i).isEmpty() ? QJsonValue() : team.waitingProposal(i));
        incidents.append(i);
    }
    io.out << QJsonDocument(
        QJsonObject { { u"server"_s, url }, { u"seq"_s, welcome->seq }, { u"incidents"_s, incidents } })
                  .toJson(QJsonDocument::Indented);
    return Ok;
}

} // namespace antibody::ctl

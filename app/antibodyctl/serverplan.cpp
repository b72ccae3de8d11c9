#include "app/antibodyctl/serverplan.h"

#include "app/antibodyctl/timeline.h"
#include "engine/core/time.h"
#include "engine/pipeline/incidentid.h"

#include <QJsonArray>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

namespace {

QString millisText(const QJsonValue &ms)
{
    return formatTime(fromMillis(static_cast<qint64>(ms.toDouble())));
}

} // namespace

void showServerPlan(const TeamSnapshot::Found &f, const QString &url, Io &io)
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

bool confirmedOnTerminal(const QString &question, Io &io)
{
    io.out << question << " [y/N] ";
    io.out.flush();
    char line[64] = {};
    if (!std::fgets(line, sizeof line, stdin))
        return false;
    const QString answer = QString::fromLocal8Bit(line).trimmed().toLower();
    return answer == u"y"_s || answer == u"yes"_s;
}

} // namespace antibody::ctl

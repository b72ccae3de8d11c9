// antibodyctl approve: the plans waiting for people, one plan shown whole, and an
// approval of exactly that plan recorded in the store, where the engine holding the
// incident (a console, `antibodyctl run`) reads it at its next look. So `approvals: 2`
// can be met by two people at two machines' worth of distance from one console.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/optionreader.h"
#include "app/antibodyctl/serverdecision.h"
#include "app/antibodyctl/serveroptions.h"
#include "app/antibodyctl/timeline.h"
#include "engine/core/time.h"
#include "engine/domain/proposal.h"
#include "engine/pipeline/incidentid.h"
#include "engine/store/identity.h"
#include "engine/store/pendingapprovals.h"
#include "engine/store/readonlystore.h"
#include "engine/store/sqlitestore.h"
#include "engine/store/storeerror.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

namespace {

const char approveUsage[] = "usage: antibodyctl approve [INCIDENT|PROPOSAL [--fingerprint SHA256]] [--data-dir DIR]\n";

TimePoint wallClock()
{
    return fromMillis(QDateTime::currentMSecsSinceEpoch());
}

QString approvalCount(const PendingApproval &p)
{
    return u"%1 of %2 approval%3%4"_s.arg(p.approvers.size())
        .arg(p.approvalsRequired)
        .arg(p.approvalsRequired == 1 ? QString() : u"s"_s)
        .arg(p.approvers.isEmpty() ? QString() : u" (%1)"_s.arg(p.approvers.join(u", "_s)));
}

QString approvalWindow(const PendingApproval &p, TimePoint at)
{
    const Duration left = std::chrono::round<std::chrono::seconds>(p.expiresAt - at);
    return u"the approval window closes at %1 (in %2)"_s.arg(formatTime(p.expiresAt), formatDuration(left));
}

void listPending(const QList<PendingApproval> &pending, const QString &file, TimePoint at, Io &io)
{
    if (pending.isEmpty()) {
        io.out << "No plan waits for approval in " << file << ".\n";
        return;
    }
    io.out << pending.size() << (pending.size() == 1 ? " plan waits" : " plans wait") << " for approval in " << file
           << ":\n";
    for (const PendingApproval &p : pending) {
        const QString id = IncidentId::shortForm(p.incidentId);
        io.out << "  " << id << "  " << printable(p.service) << "  " << printable(p.title) << '\n'
               << "      plan " << p.fingerprint.left(12) << " of " << printable(p.runbook) << ", " << approvalCount(p)
               << "; " << approvalWindow(p, at) << '\n'
               << "      see it: antibodyctl approve " << id << '\n';
    }
}

void showPending(const PendingApproval &p, TimePoint at, Io &io)
{
    io.out << IncidentId::shortForm(p.incidentId) << "  " << printable(p.title) << '\n'
           << "  service " << printable(p.service) << ", runbook " << printable(p.runbook) << ", proposal "
           << p.proposalId << '\n';
    for (const QString &why : p.reasons)
        io.out << "  waits: " << printable(why) << '\n';
    io.out << "  plan " << p.fingerprint << '\n';
    int n = 0;
    for (const QJsonValue &v : p.plan.value(u"steps"_s).toArray()) {
        const QJsonObject s = v.toObject();
        io.out << "    " << ++n << ". " << printable(s.value(u"name"_s).toString()) << ": "
               << printable(s.value(u"action"_s).toString()) << " (" << s.value(u"tier"_s).toString() << ", "
               << s.value(u"effect"_s).toString() << ')';
        const QJsonObject b = s.value(u"blast_radius"_s).toObject();
        if (!b.isEmpty()) {
            QStringList chosen;
            for (const QJsonValue &t : b.value(u"chosen"_s).toArray())
                chosen << printable(t.toString());
            io.out << "\n       " << printable(b.value(u"summary"_s).toString())
                   << "\n       targets: " << (chosen.isEmpty() ? u"none yet"_s : chosen.join(u", "_s));
        }
        io.out << '\n';
    }
    io.out << "  " << approvalCount(p) << "; " << approvalWindow(p, at) << '\n'
           << "To approve exactly this plan as " << Identity::approver() << ":\n"
           << "  antibodyctl approve " << IncidentId::shortForm(p.incidentId) << " --fingerprint " << p.fingerprint
           << '\n';
}

} // namespace

int runApprove(const QStringList &arguments, Io &io)
{
    if (ServerOptions::requested(arguments))
        return decideOnServer(ServerDecision::Approve, arguments, io);
    QStringList args = arguments;
    QString optionError;
    const QString dataDir = OptionReader::takeDataDir(args, &optionError);
    if (!optionError.isEmpty()) {
        io.err << "antibodyctl approve: " << optionError << '\n' << approveUsage;
        return UsageError;
    }
    QString id;
    QString fingerprint;
    OptionReader options(args, u"approve"_s);
    while (options.next()) {
        if (options.flag(u"--help") || options.flag(u"-h")) {
            io.out
                << approveUsage
                << "\nWithout an id: the plans waiting for approval. With one: that plan, step by step, and the\n"
                   "command that approves it. With --fingerprint: an approval of exactly the plan with that sha256,\n"
                   "as the user running this command, recorded in the store; the engine holding the incident runs\n"
                   "the plan at its next look once it has as many distinct approvals as its runbook asks.\n"
                   "Exit 0: listed, shown or approved; 1: the approval was refused; 2: usage or I/O error.\n"
                   "On the team's antibody-server instead: antibodyctl approve --server URL --help.\n";
            return Ok;
        }
        if (options.is(u"--fingerprint")) {
            if (const std::optional<QString> value = options.take()) {
                fingerprint = *value;
                continue;
            }
        } else if (!options.isOption() && id.isEmpty()) {
            id = options.argument();
            continue;
        }
        io.err << "antibodyctl approve: unknown or incomplete argument '" << printable(options.argument().left(100))
               << "'\n"
               << approveUsage;
        return UsageError;
    }
    static const QRegularExpression sha256(u"^[0-9a-f]{64}$"_s);
    if (!fingerprint.isEmpty() && !sha256.match(fingerprint).hasMatch()) {
        io.err << "antibodyctl approve: --fingerprint wants the plan's 64-digit sha256 as `antibodyctl approve "
                  "INCIDENT` prints it, not '"
               << printable(fingerprint.left(100)) << "'\n";
        return UsageError;
    }
    if (!fingerprint.isEmpty() && id.isEmpty()) {
        io.err << "antibodyctl approve: --fingerprint needs the incident or proposal it approves\n" << approveUsage;
        return UsageError;
    }
    QString error;
    auto store = ReadOnlyStore::open(dataDir, &error);
    if (!store) {
        io.err << "antibodyctl approve: " << error << '\n';
        return UsageError;
    }
    const TimePoint at = wallClock();
    QList<PendingApproval> pending;
    try {
        pending = PendingApproval::read(store->database(), at, id);
    } catch (const StoreError &e) {
        io.err << "antibodyctl approve: " << e.message() << '\n';
        return UsageError;
    }
    if (id.isEmpty()) {
        listPending(pending, store->file(), at, io);
        return Ok;
    }
    if (pending.isEmpty()) {
        io.err << "antibodyctl approve: no plan of '" << printable(id.left(100)) << "' waits for approval in "
               << store->file()
               << " (it may have run, been denied or expired: `antibodyctl approve` lists what waits)\n";
        return Failed;
    }
    if (pending.size() > 1) {
        io.err << "antibodyctl approve: '" << printable(id) << "' names " << pending.size()
               << " plans; use the proposal id:";
        for (const PendingApproval &p : std::as_const(pending))
            io.err << ' ' << p.proposalId;
        io.err << '\n';
        return UsageError;
    }
    const PendingApproval &p = pending.front();
    if (fingerprint.isEmpty()) {
        showPending(p, at, io);
        return Ok;
    }
    const QString file = store->file();
    store.reset();
    auto writable = SqliteStore::open(file, &error);
    if (!writable) {
        io.err << "antibodyctl approve: " << error << '\n';
        return UsageError;
    }
    const QString me = Identity::approver();
    const ApprovalOutcome outcome = writable->recordApproval({ p.proposalId, fingerprint, me, wallClock(), true, {} });
    if (!outcome.accepted) {
        io.err << "antibodyctl approve: not approved: " << printable(outcome.reason) << '\n';
        return Failed;
    }
    const qsizetype have = outcome.approvers.size();
    io.out << "Approved plan " << fingerprint.left(12) << " of " << IncidentId::shortForm(p.incidentId) << " as " << me
           << ": " << have << " of " << p.approvalsRequired << " distinct approvals ("
           << outcome.approvers.join(u", "_s) << ").\n"
           << (have >= p.approvalsRequired
                      ? "The engine holding the incident runs it at its next look (within its evaluation interval).\n"
                      : "One more person must approve it before it runs.\n");
    return Ok;
}

} // namespace antibody::ctl

#include "app/antibodyctl/serveraudit.h"

#include "app/antibodyctl/optionreader.h"
#include "app/antibodyctl/serveroptions.h"
#include "app/antibodyctl/timeline.h"
#include "engine/core/time.h"
#include "engine/pipeline/incidentid.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <limits>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

namespace {

const char serverAuditUsage[]
    = "usage: antibodyctl audit --server URL [--after N] [--limit N] [--json] [--ca-file PEM]\n";

constexpr qint64 page = 500; // the most the server sends for one `list`
constexpr qint64 mostEvents = 100'000;

} // namespace

int auditOnServer(const QStringList &args, Io &io)
{
    ServerOptions server;
    qint64 after = 0;
    qint64 limit = 100;
    const QString error = server.read(args, u"audit"_s, [&](OptionReader &o, QString *problem) {
        if (o.is(u"--after"))
            ServerOptions::takeNumber(o, 0, std::numeric_limits<qint64>::max(), u"an event number"_s, &after, problem);
        else if (o.is(u"--limit"))
            ServerOptions::takeNumber(o, 1, mostEvents, u"a number of events"_s, &limit, problem);
        else
            return false;
        return true;
    });
    if (server.help) {
        io.out << serverAuditUsage
               << "\nThe events of the server's audit trail after number N (default 0), at most --limit (default "
                  "100), by number.\nNumbers have gaps (the trail's seal rows are not events) but never repeat; the "
                  "last line says how to\nread on. `antibodyctl audit verify` checks a local store's chain.\n\n"
               << ServerOptions::helpText << "Exit 0: listed; 2: usage error, or the server could not be asked.\n";
        return Ok;
    }
    if (!error.isEmpty()) {
        io.err << "antibodyctl audit: " << error << '\n' << serverAuditUsage;
        return UsageError;
    }
    const QString url = server.connection.url.toString();
    ServerConnection connection(server.connection);
    QString failure;
    if (!connection.open(std::nullopt, &failure)) {
        io.err << "antibodyctl audit: " << failure << '\n';
        return UsageError;
    }
    QJsonArray events;
    qint64 last = after;
    while (events.size() < limit) {
        const qint64 want = std::min(page, limit - events.size());
        const auto reply = connection.request(QJsonObject { { u"type"_s, u"list"_s }, { u"what"_s, u"events"_s },
                                                  { u"after"_s, last }, { u"limit"_s, want } },
            &failure);
        if (!reply || !reply->value(u"ok"_s).toBool() || !reply->value(u"items"_s).isArray()) {
            io.err << "antibodyctl audit: "
                   << (reply ? u"%1 did not list its events: %2"_s.arg(
                           url, printable(reply->value(u"reason"_s).toString(u"no items in its reply"_s)))
                             : failure)
                   << '\n';
            return UsageError;
        }
        const QJsonArray items = reply->value(u"items"_s).toArray();
        for (const QJsonValue &v : items) {
            const qint64 seq = v.toObject().value(u"seq"_s).toInteger();
            if (seq <= last) {
                io.err << "antibodyctl audit: " << url << " listed event #" << seq << " after #" << last
                       << ": numbers must grow; not the antibody protocol\n";
                return UsageError;
            }
            last = seq;
            events.append(v);
        }
        if (items.size() < want)
            break;
    }
    if (server.json) {
        io.out << QJsonDocument(QJsonObject { { u"server"_s, url }, { u"after"_s, after }, { u"events"_s, events },
                                    { u"next_after"_s, last } })
                      .toJson(QJsonDocument::Indented);
        return Ok;
    }
    for (const QJsonValue &v : std::as_const(events)) {
        const QJsonObject e = v.toObject();
        io.out << u"#%1"_s.arg(e.value(u"seq"_s).toInteger()).leftJustified(8) << "  "
               << formatTime(fromMillis(static_cast<qint64>(e.value(u"at"_s).toDouble()))) << "  "
               << printable(e.value(u"kind"_s).toString()).leftJustified(18) << "  "
               << printable(IncidentId::shortForm(e.value(u"incident"_s).toString()))
                      .leftJustified(4 + IncidentId::shortDigits)
               << "  " << printable(e.value(u"detail"_s).toString()) << '\n';
    }
    io.out << events.size() << (events.size() == 1 ? " event" : " events") << " after #" << after << " on " << url;
    if (events.size() == limit)
        io.out << "; more: antibodyctl audit --server " << url << " --after " << last;
    io.out << '\n';
    return Ok;
}

} // namespace antibody::ctl

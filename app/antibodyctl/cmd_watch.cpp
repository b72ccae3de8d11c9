// antibodyctl watch --server URL: the team server's state, then every event as it
// happens, until Ctrl-C, SIGTERM or --max-seconds. A dropped connection is resumed
// from the last event number printed, so that across any number of reconnects each
// event is printed once and none is skipped (the server numbers them by the audit trail).
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/optionreader.h"
#include "app/antibodyctl/serveroptions.h"
#include "app/antibodyctl/teamsnapshot.h"
#include "app/antibodyctl/timeline.h"
#include "app/process/stopsignals.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <limits>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

namespace {

const char watchUsage[]
    = "usage: antibodyctl watch --server URL [--after N] [--max-seconds N] [--json] [--ca-file PEM]\n";

constexpr int firstRetryMs = 500;
constexpr int lastRetryMs = 15'000;

struct Watch
{
    ServerOptions server;
    std::optional<qint64> after; // the last event number printed (or --after)
    double originAt = -1; // the first event's time: the timeline's +0:00
    QDeadlineTimer deadline { QDeadlineTimer::Forever };
    QString stoppedBy; // a stop signal's name once one came
    Io &io;

    void printSnapshot(const ServerConnection::Welcome &w, bool again)
    {
        const QString url = server.connection.url.toString();
        if (server.json) {
            QJsonObject line = w.snapshot;
            line.insert(u"server"_s, url);
            line.insert(u"seq"_s, w.seq);
            line.insert(u"reconnected"_s, again);
            io.out << QJsonDocument(line).toJson(QJsonDocument::Compact) << '\n';
            io.out.flush();
            return;
        }
        if (again)
            return; // the person already has the picture; stderr said we are back
        const TeamSnapshot team(w.snapshot);
        const QList<QJsonObject> open = team.openIncidents();
        const auto waiting = std::count_if(
            open.cbegin(), open.cend(), [&](const QJsonObject &i) { return !team.waitingProposal(i).isEmpty(); });
        QStringList breakers;
        for (const QJsonValue &b : w.snapshot.value(u"breakers"_s).toArray()) {
            if (b.toObject().value(u"state"_s).toString() != u"closed"_s)
                breakers << printable(
                    b.toObject().value(u"type"_s).toString() + u' ' + b.toObject().value(u"state"_s).toString());
        }
        QStringList feeds;
        for (const QJsonValue &f : w.snapshot.value(u"feeds"_s).toArray())
            feeds << printable(
                f.toObject().value(u"feed"_s).toString() + u' ' + f.toObject().value(u"state"_s).toString());
        io.out << "Watching " << url << ": " << open.size() << " open incident" << (open.size() == 1 ? "" : "s") << ", "
               << waiting
               << " waiting for approval; breakers: " << (breakers.isEmpty() ? u"all closed"_s : breakers.join(u", "_s))
               << "; feeds: " << (feeds.isEmpty() ? u"none yet"_s : feeds.join(u", "_s)) << ".\n";
        for (const QJsonObject &i : open)
            io.out << "  " << printable(i.value(u"id"_s).toString().left(12)) << "  "
                   << printable(i.value(u"state"_s).toString()) << "  " << printable(i.value(u"title"_s).toString())
                   << '\n';
        io.out << "Events after #" << *after << " as they happen (Ctrl-C stops):\n";
        io.out.flush();
    }

    void print(const QJsonObject &event)
    {
        const qint64 seq = event.value(u"seq"_s).toInteger();
        // The server sends each number once per connection; this guards the seam of a reconnect.
        if (after && seq <= *after)
            return;
        after = seq;
        if (server.json) {
            io.out << QJsonDocument(event).toJson(QJsonDocument::Compact) << '\n';
        } else {
            const double at = event.value(u"at"_s).toDouble();
            if (originAt < 0)
                originAt = at;
            io.out << timelineLine((at - originAt) / 1000.0, event.value(u"kind"_s).toString(),
                event.value(u"incident"_s).toString(), event.value(u"detail"_s).toString());
        }
        io.out.flush();
    }

    QEventLoop *waiting = nullptr; // the loop a stop signal or the deadline ends
    ServerConnection *connecting = nullptr; // the connection a stop signal closes

    void stop(int signal)
    {
        stoppedBy = StopSignals::name(signal);
        if (waiting)
            waiting->quit();
        if (connecting)
            connecting->close();
    }

    // Runs `loop` until it is quit, a stop signal comes, or the deadline passes.
    void runUntil(QEventLoop &loop)
    {
        if (finished())
            return;
        QTimer end;
        end.setSingleShot(true);
        QObject::connect(&end, &QTimer::timeout, &loop, &QEventLoop::quit);
        if (!deadline.isForever())
            end.start(std::chrono::milliseconds(std::max<qint64>(0, deadline.remainingTime())));
        waiting = &loop;
        loop.exec();
        waiting = nullptr;
    }

    bool finished() const { return !stoppedBy.isEmpty() || deadline.hasExpired(); }

    int run(StopSignals &signals)
    {
        QObject::connect(&signals, &StopSignals::received, &signals, [this](int s) { stop(s); });
        const QString url = server.connection.url.toString();
        bool connectedOnce = false;
        int retryMs = firstRetryMs;
        while (!finished()) {
            ServerConnection connection(server.connection);
            QString error;
            connecting = &connection;
            const auto welcome = connection.open(after, &error);
            connecting = nullptr;
            if (!welcome && finished())
                break;
            if (!welcome) {
                // A certificate that does not verify or a foreign protocol will not get better by trying.
                if (!connectedOnce || !connection.failureIsTransient()) {
                    io.err << "antibodyctl watch: " << error << '\n';
                    return UsageError;
                }
                io.err << "antibodyctl watch: " << error << "; reconnecting in " << retryMs / 1000.0 << " s…\n";
                io.err.flush();
                QEventLoop pause;
                QTimer::singleShot(retryMs, &pause, &QEventLoop::quit);
                runUntil(pause);
                retryMs = std::min(retryMs * 2, lastRetryMs);
                continue;
            }
            if (connectedOnce)
                io.err << "antibodyctl watch: reconnected to " << url << ", events after #" << *after << Qt::endl;
            retryMs = firstRetryMs;
            if (!after)
                after = welcome->seq;
            printSnapshot(*welcome, connectedOnce);
            connectedOnce = true;
            for (const QJsonObject &e : welcome->events)
                print(e);
            QEventLoop live;
            QString lost;
            QObject::connect(&connection, &ServerConnection::event, &live, [this](const QJsonObject &e) { print(e); });
            QObject::connect(&connection, &ServerConnection::lost, &live, [&](const QString &why) {
                lost = why;
                live.quit();
            });
            connecting = &connection;
            runUntil(live);
            connecting = nullptr;
            if (!lost.isEmpty() && !finished()) {
                io.err << "antibodyctl watch: " << lost << "; reconnecting…\n";
                io.err.flush();
            }
        }
        if (!stoppedBy.isEmpty())
            io.err << "antibodyctl watch: stopped by " << stoppedBy << " after event #" << after.value_or(0)
                   << Qt::endl;
        return Ok;
    }
};

} // namespace

int runWatch(const QStringList &args, Io &io)
{
    Watch watch { {}, std::nullopt, -1, QDeadlineTimer(QDeadlineTimer::Forever), {}, io };
    const QString error = watch.server.read(args, u"watch"_s, [&](OptionReader &o, QString *problem) {
        qint64 n = 0;
        if (o.is(u"--after")) {
            if (ServerOptions::takeNumber(o, 0, std::numeric_limits<qint64>::max(), u"an event number"_s, &n, problem))
                watch.after = n;
        } else if (o.is(u"--max-seconds")) {
            if (ServerOptions::takeNumber(o, 1, 366LL * 24 * 3600, u"seconds"_s, &n, problem))
                watch.deadline = QDeadlineTimer(std::chrono::seconds(n));
        } else {
            return false;
        }
        return true;
    });
    if (watch.server.help) {
        io.out
            << watchUsage
            << "\nThe server's open incidents, then every event as it happens, in the timeline's columns or as JSON\n"
               "lines (the snapshot first, then one object per event with its number `seq`). A dropped connection\n"
               "is resumed after the last event printed: each event once, none skipped. --after N starts after\n"
               "event N instead of now.\n\n"
            << ServerOptions::helpText
            << "  --max-seconds N    stop after N seconds (default: until Ctrl-C or SIGTERM)\n"
               "Exit 0: stopped by a signal or --max-seconds; 2: usage error, or the server could not be reached\n"
               "(a server that goes away later is waited for).\n";
        return Ok;
    }
    if (!error.isEmpty()) {
        io.err << "antibodyctl watch: " << error << '\n' << watchUsage;
        return UsageError;
    }
    StopSignals signals;
    if (!signals.ok()) {
        io.err << "antibodyctl watch: " << signals.error() << '\n';
        return UsageError;
    }
    return watch.run(signals);
}

} // namespace antibody::ctl

// antibody-server: the engine headless for a whole team, with the client API that
// consoles and `antibodyctl --server` use, and the ecosystem's HTTP endpoints.
#include "app/antibody-server/serverhost.h"
#include "app/antibody-server/serverusage.h"
#include "app/process/stopsignals.h"
#include "engine/core/printable.h"
#include "engine/domain/recordjson.h"
#include "engine/store/redaction.h"
#include "server/eventjournal.h"

#include <QCoreApplication>
#include <QTextStream>
#include <QTimer>
#include <csignal>

using namespace Qt::StringLiterals;
using namespace antibody;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"antibody-server"_s);
    QTextStream err(stderr);
    ServerUsage usage;
    if (const QString error = ServerUsage::parse(QCoreApplication::arguments(), &usage); !error.isEmpty()) {
        err << "antibody-server: " << error << '\n';
        return 2;
    }
    if (usage.help) {
        QTextStream(stdout) << ServerUsage::text();
        return 0;
    }

    ServerHost::Built built = ServerHost::build(usage.config, usage.dataDir, err);
    if (!built.host) {
        err << "antibody-server: " << built.error << '\n';
        return 1;
    }
    ServerHost &host = *built.host;
    StopSignals signals;
    if (!signals.ok()) {
        err << "antibody-server: " << signals.error() << '\n';
        return 1;
    }

    // What the engine does, one line an event, for the journal (the stream's numbers included,
    // so a line in the log and an event on a console can be matched).
    QObject::connect(&host.server().journal(), &EventJournal::appended, &app, [&](const AuditLog::StoredEvent &e) {
        if (RecordJson::kindFromName(e.kind) == EngineEvent::Kind::StateChanged)
            return; // the kinds around it say the same in more words
        err << "event " << e.seq << ' ' << e.kind << (e.incidentId.isEmpty() ? QString() : u" "_s + e.incidentId)
            << ": " << printable(Redaction::text(e.detail)) << '\n';
        err.flush();
    });
    int status = 0;
    auto stopWith = [&](int code, const QString &why) {
        err << "antibody-server: " << why << '\n';
        err.flush();
        status = code;
        QTimer::singleShot(0, &app, &QCoreApplication::quit);
    };
    QObject::connect(&host, &ServerHost::storeFailed, &app,
        [&](const QString &message) { stopWith(1, u"the database failed, stopping: "_s + message); });
    QObject::connect(&host, &ServerHost::lostLease, &app, [&](const QString &reason) {
        stopWith(
            1, u"lost the leader lease (%1): stopping, so that this replica comes back as a standby"_s.arg(reason));
    });
    QObject::connect(&signals, &StopSignals::received, &app, [&](int signal) {
        if (signal == SIGHUP) {
            const ConfiguredEngine::Reload reload = host.engine().reloadRunbooks();
            err << "antibody-server: SIGHUP: " << reload.text << '\n';
            err << "antibody-server: SIGHUP: " << host.reloadPolicy() << '\n';
            err.flush();
            return;
        }
        stopWith(0, StopSignals::name(signal) + u": stopping"_s);
    });

    QString error;
    if (!host.start(&error)) {
        err << "antibody-server: " << error << '\n';
        return 1;
    }
    const TeamServer &server = host.server();
    err << "antibody-server: clients " << host.server().api().url() << ", HTTP port " << server.httpPort()
        << " (/metrics /healthz /readyz /v1/alertmanager); "
        << (server.role().leading ? u"leading"_s : u"standing by until the leader lease is free"_s) << '\n';
    for (const QString &line : host.engine().describe())
        err << "  " << line << '\n';
    err << "  " << host.policyDescription() << '\n';
    err.flush();
    app.exec();
    host.stop();
    return status;
}

// antibody-server: the engine headless for a whole team, with the client API that
// consoles and `antibodyctl --server` use, and the ecosystem's HTTP endpoints.
#include "app/antibody-server/serverusage.h"
#include "app/process/stopsignals.h"
#include "connectors/environment/configuredengine.h"
#include "engine/core/printable.h"
#include "engine/core/systemclock.h"
#include "engine/store/identity.h"
#include "engine/store/redaction.h"
#include "engine/store/sqlitestore.h"
#include "server/eventjournal.h"
#include "server/teamserver.h"

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

    SystemClock clock;
    ConfiguredEngine::Options options;
    options.configFile = usage.config;
    options.dataDir = usage.dataDir;
    options.identity = u"antibody-server "_s + Identity::process();
    ConfiguredEngine::Built built = ConfiguredEngine::build(options, clock);
    if (!built.engine) {
        err << "antibody-server: " << built.error << '\n';
        return 1;
    }
    ConfiguredEngine &host = *built.engine;
    const Configuration &config = host.environment().configuration();
    if (!config.server) {
        err << "antibody-server: " << config.file
            << ": no server: section: say where the client API listens (server.listen) and its TLS certificate "
               "(docs/team.md)\n";
        return 1;
    }
    TeamServer::Options serverOptions;
    serverOptions.api.address = QHostAddress(config.server->listen.host);
    serverOptions.api.port = config.server->listen.port;
    serverOptions.api.heartbeat = config.server->heartbeat;
    serverOptions.httpAddress = QHostAddress(config.server->httpListen.host);
    serverOptions.httpPort = config.server->httpListen.port;
    if (config.server->tls) {
        QString tlsError;
        serverOptions.api.tls
            = ClientApi::tlsFromFiles(config.server->certificate, config.server->privateKey, &tlsError);
        if (!serverOptions.api.tls) {
            err << "antibody-server: server.certificate/private_key: " << tlsError << '\n';
            return 1;
        }
    }

    StopSignals signals;
    if (!signals.ok()) {
        err << "antibody-server: " << signals.error() << '\n';
        return 1;
    }
    TeamServer server(host.engine(), host.store(), host.alertSources());
    QString error;
    if (!server.start(serverOptions, &error)) {
        err << "antibody-server: " << error << '\n';
        return 1;
    }
    for (const QString &w : host.warnings())
        err << "warning: " << w << '\n';
    err << "antibody-server: clients " << server.api().url() << ", HTTP http://" << config.server->httpListen.host
        << ':' << server.httpPort() << " (/metrics /healthz /readyz /v1/alertmanager)\n";
    for (const QString &line : host.describe())
        err << "  " << line << '\n';
    err.flush();

    // What the engine does, one line an event, for the journal (the stream's numbers included,
    // so a line in the log and an event on a console can be matched).
    QObject::connect(&server.journal(), &EventJournal::appended, &app, [&](const AuditLog::StoredEvent &e) {
        if (e.kind == u"state_changed"_s)
            return; // the kinds around it say the same in more words
        err << "event " << e.seq << ' ' << e.kind << (e.incidentId.isEmpty() ? QString() : u" "_s + e.incidentId)
            << ": " << printable(Redaction::text(e.detail)) << '\n';
        err.flush();
    });

    int status = 0;
    QObject::connect(&signals, &StopSignals::received, &app, [&](int signal) {
        if (signal == SIGHUP) {
            const ConfiguredEngine::Reload reload = host.reloadRunbooks();
            err << "antibody-server: SIGHUP: " << reload.text << '\n';
            err.flush();
            return;
        }
        err << "antibody-server: " << StopSignals::name(signal) << ": stopping\n";
        err.flush();
        app.quit();
    });
    // Without its database the engine cannot record an intent before acting: stop.
    host.store().setFailureHandler([&](const QString &message) {
        err << "antibody-server: the database failed, stopping: " << message << '\n';
        err.flush();
        status = 1;
        QTimer::singleShot(0, &app, &QCoreApplication::quit);
    });
    host.engine().start();
    app.exec();
    host.stop();
    host.store().setFailureHandler([&](const QString &message) { err << "antibody-server: " << message << '\n'; });
    return status;
}

// The console: wires the engine, its connectors and the widgets together; with
// --server, the widgets to a team server instead, and no engine at all.
#include "consolehost.h"
#include "consoleshutdown.h"
#include "engine/store/identity.h"
#include "models/editor/runbooklink.h"
#include "models/link/consolemodels.h"
#include "models/link/enginelink.h"
#include "remoteconsole.h"
#include "simulator/rehearsal/simulateddrill.h"
#include "ui/editor/editorview.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        u"Antibody: the incident-response console for on-call engineers.\n"
        u"With no --config it runs a demo on a simulated fleet; with --server it shows a team server's engine."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({ u"data-dir"_s, u"Keep the database in DIR instead of the user's data folder."_s, u"DIR"_s });
    parser.addOption(
        { u"config"_s, u"Read sources and executors from FILE (default: the simulated fleet)."_s, u"FILE"_s });
    parser.addOption(
        { u"open"_s, u"Open INCIDENT once the engine has started: the id a page names."_s, u"INCIDENT"_s });
    parser.addOption({ u"server"_s,
        u"Show the team server at URL (wss://host:8443) instead of running an engine here (docs/team.md)."_s,
        u"URL"_s });
    parser.addOption({ u"ca-file"_s,
        u"With --server: also trust the CA certificates in PEM (a private CA, or a self-signed server)."_s, u"PEM"_s });
    parser.addOption({ u"name"_s,
        u"With --server: who you are to a server that takes no API token (default: your login name). With a token "
        u"the server knows you by the token's subject; the token comes from the desktop keyring, else ANTIBODY_TOKEN, "
        u"else the sign-in dialog."_s,
        u"NAME"_s });
}

// A wrong command line for the team server's console: said on stderr before any window, exit 2.
int refuse(const QString &why)
{
    std::fprintf(stderr, "antibody: %s\n", qPrintable(why));
    return 2;
}

// `antibody --server URL`: the window shows the team server's engine through a
// ServerLink; nothing runs here, so there is no engine thread, no demo and no editor.
int runRemote(const QCommandLineParser &parser, antibody::ConsoleModels &models)
{
    for (const QString &local : { u"config"_s, u"data-dir"_s }) {
        if (parser.isSet(local))
            return refuse(u"--%1 is for an engine in this console; with --server the team server's configuration and "
                          u"data are used: leave --%1 out"_s.arg(local));
    }
    QString error;
    const auto address = antibody::ServerAddress::parse(parser.value(u"server"_s), parser.value(u"ca-file"_s), &error);
    if (!address)
        return refuse(error);
    antibody::RemoteConsole::Options options;
    options.link.address = *address;
    options.link.name = antibody::Identity::approver(parser.value(u"name"_s));
    // Used as the process got it, never written anywhere; the keyring's token comes first.
    options.environmentToken = qEnvironmentVariable("ANTIBODY_TOKEN");
    antibody::RemoteConsole console(&models, options);
    antibody::MainWindow &window = *console.window();
    window.restoreWindowState();
    window.show();
    antibody::ConsoleShutdown shutdown(&window);
    if (!shutdown.ok())
        qWarning("antibody: %s", qPrintable(shutdown.error()));
    if (const QString incident = parser.value(u"open"_s); !incident.isEmpty()) {
        QObject::connect(
            console.link(), &antibody::ServerLink::attached, &window,
            [&window, incident] { window.openIncident(incident); }, Qt::SingleShotConnection);
    }
    console.start();
    const int code = QApplication::exec();
    console.stop();
    return code;
}

// --help and --version only print: packaging scripts and headless machines run them
// where QApplication would abort for want of a display. (--help-all lists Qt's GUI
// options, which only a QApplication knows: it stays on the GUI path.)
bool asksOnlyForText(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--") == 0)
            return false;
        for (const char *text : { "-h", "--help", "-v", "--version" }) {
            if (std::strcmp(argv[i], text) == 0)
                return true;
        }
    }
    return false;
}

// Prints the help or the version and exits 0. With an option it does not know, it
// returns: QApplication's own (-platform, -style) are not errors, and a real error
// is reported by the GUI path's parser as it always was.
void printText(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    addOptions(parser);
    if (!parser.parse(QCoreApplication::arguments()))
        return;
    if (parser.isSet(u"version"_s))
        parser.showVersion();
    parser.showHelp();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(u"antibody"_s);
    QCoreApplication::setOrganizationName(u"antibody"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(ANTIBODY_VERSION));
    if (asksOnlyForText(argc, argv))
        printText(argc, argv);

    QApplication app(argc, argv);
    QApplication::setDesktopFileName(u"io.antibody.Console"_s);
    QCommandLineParser parser;
    addOptions(parser);
    parser.process(app);

    antibody::Theme::rememberSystemPalette();
    antibody::ConsoleModels models;
    if (parser.isSet(u"server"_s))
        return runRemote(parser, models);
    for (const QString &remoteOnly : { u"ca-file"_s, u"name"_s }) {
        if (parser.isSet(remoteOnly))
            return refuse(
                u"--%1 goes with --server URL (a console on a team server); without it this console runs its own "
                u"engine"_s.arg(remoteOnly));
    }
    antibody::EngineLink link(&models, antibody::Identity::approver());
    antibody::RunbookLink runbooks([](const antibody::Runbook &runbook, antibody::TimePoint at) {
        return antibody::sim::SimulatedDrill::run(runbook, at);
    });
    antibody::MainWindow window(&models, &link, &link, &runbooks);
    window.restoreWindowState();
    window.setEngineStatus(QApplication::translate("main", "Starting the engine…"));
    window.show();
    // Declared before the host, so a second signal while the engine stops is still caught.
    antibody::ConsoleShutdown shutdown(&window);
    if (!shutdown.ok())
        qWarning("antibody: %s", qPrintable(shutdown.error()));

    // Declared after the links and the window, so the engine thread stops first.
    antibody::ConsoleHost host(&link, &runbooks);
    QObject::connect(
        &host, &antibody::ConsoleHost::started, &window, [&window](const QString &description, const QString &folder) {
            window.setEngineStatus(description);
            if (window.editor() && !folder.isEmpty())
                window.editor()->setLibraryFolder(folder);
        });
    QObject::connect(&host, &antibody::ConsoleHost::failed, &window, [&window](const QString &error) {
        window.setEngineStatus(QApplication::translate("main", "The engine did not start: %1").arg(error));
        QMessageBox::critical(&window, QApplication::translate("main", "Antibody"), error);
    });
    if (const QString incident = parser.value(u"open"_s); !incident.isEmpty()) {
        QObject::connect(
            &link, &antibody::EngineLink::attached, &window, [&window, incident] { window.openIncident(incident); },
            Qt::SingleShotConnection);
    }
    host.start({ parser.value(u"config"_s), parser.value(u"data-dir"_s) });
    return QApplication::exec();
}

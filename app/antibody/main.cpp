// The console: wires the engine, its connectors and the widgets together.
#include "consolehost.h"
#include "consoleshutdown.h"
#include "engine/store/identity.h"
#include "models/editor/runbooklink.h"
#include "models/link/consolemodels.h"
#include "models/link/enginelink.h"
#include "simulator/rehearsal/simulateddrill.h"
#include "ui/editor/editorview.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(u"Antibody: the incident-response console for on-call engineers.\n"
                                     u"With no --config it runs a demo on a simulated fleet."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({ u"data-dir"_s, u"Keep the database in DIR instead of the user's data folder."_s, u"DIR"_s });
    parser.addOption(
        { u"config"_s, u"Read sources and executors from FILE (default: the simulated fleet)."_s, u"FILE"_s });
    parser.addOption(
        { u"open"_s, u"Open INCIDENT once the engine has started: the id a page names."_s, u"INCIDENT"_s });
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

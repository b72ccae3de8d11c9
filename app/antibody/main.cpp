// The console: wires the engine, its connectors and the widgets together.
#include "consolehost.h"

#include "connectors/rehearsal/simulateddrill.h"
#include "engine/store/identity.h"
#include "models/consolemodels.h"
#include "models/editor/runbooklink.h"
#include "models/enginelink.h"
#include "ui/editor/editorview.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"antibody"_s);
    QApplication::setOrganizationName(u"antibody"_s);
    QApplication::setApplicationVersion(QStringLiteral(ANTIBODY_VERSION));
    QApplication::setDesktopFileName(u"io.antibody.Console"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Antibody: the incident-response console for on-call engineers.\n"
                                     u"With no --config it runs a demo on a simulated fleet."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({ u"data-dir"_s, u"Keep the database in DIR instead of the user's data folder."_s, u"DIR"_s });
    parser.addOption(
        { u"config"_s, u"Read sources and executors from FILE (default: the simulated fleet)."_s, u"FILE"_s });
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

    // Declared after the links and the window, so the engine thread stops first.
    antibody::ConsoleHost host(&link, &runbooks);
    QObject::connect(&host, &antibody::ConsoleHost::started, &window,
        [&window](const QString &description, const QString &folder) {
            window.setEngineStatus(description);
            if (window.editor() && !folder.isEmpty())
                window.editor()->setLibraryFolder(folder);
        });
    QObject::connect(&host, &antibody::ConsoleHost::failed, &window, [&window](const QString &error) {
        window.setEngineStatus(QApplication::translate("main", "The engine did not start: %1").arg(error));
        QMessageBox::critical(&window, QApplication::translate("main", "Antibody"), error);
    });
    host.start({ parser.value(u"config"_s), parser.value(u"data-dir"_s) });
    return QApplication::exec();
}

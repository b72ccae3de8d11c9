// The console: wires the engine, its connectors and the widgets together.
#include "connectors/libraryversions.h"
#include "models/consolemodels.h"
#include "models/enginelink.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSysInfo>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"antibody"_s);
    QApplication::setOrganizationName(u"antibody"_s);
    QApplication::setApplicationVersion(QStringLiteral(ANTIBODY_VERSION));
    QApplication::setDesktopFileName(u"io.antibody.Console"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Antibody: the incident-response console for on-call engineers."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({ u"data-dir"_s, u"Keep the database in DIR instead of the user's data folder."_s, u"DIR"_s });
    parser.addOption(
        { u"config"_s, u"Read sources and executors from FILE (default: the simulated fleet)."_s, u"FILE"_s });
    parser.process(app);

    antibody::Theme::rememberSystemPalette();
    antibody::ConsoleModels models;
    const QString approver = qEnvironmentVariable("USER", u"someone"_s) + u'@' + QSysInfo::machineHostName();
    antibody::EngineLink link(&models, approver);
    antibody::MainWindow window(&models, &link, &link);
    window.restoreWindowState();
    window.setEngineStatus(QApplication::translate("main", "No environment is wired to the engine yet."));
    window.show();
    return QApplication::exec();
}

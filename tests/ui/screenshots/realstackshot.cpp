// antibody_realstack_screenshot --config FILE OUTFILE: the console as `antibody
// --config FILE` shows it, started by the same ConsoleHost, saved as OUTFILE once
// a proposal waits for approval (its incident open, charts read from the source).
// `scripts/screenshots --realstack` runs it against scripts/realstack with the
// pool exhausted, for docs/screenshots/realstack-proposal.png.
#include "app/antibody/consolehost.h"
#include "models/editor/runbooklink.h"
#include "models/link/consolemodels.h"
#include "models/link/enginelink.h"
#include "simulator/rehearsal/simulateddrill.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QImage>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    using namespace antibody;
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"antibody-screenshots"_s);
    QApplication::setOrganizationName(u"antibody"_s);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({ u"config"_s, u"The configuration `antibody --config` would read."_s, u"FILE"_s });
    parser.addOption(
        { u"timeout"_s, u"Give up after SECONDS without a waiting proposal (default 120)."_s, u"SECONDS"_s, u"120"_s });
    parser.addPositionalArgument(u"outfile"_s, u"Where to write the PNG."_s);
    parser.process(app);
    if (!parser.isSet(u"config"_s) || parser.positionalArguments().size() != 1) {
        err << "usage: antibody_realstack_screenshot --config FILE OUTFILE\n";
        return 2;
    }
    const QString outfile = parser.positionalArguments().constFirst();
    bool secondsOk = false;
    const int timeoutSeconds = parser.value(u"timeout"_s).toInt(&secondsOk);
    if (!secondsOk || timeoutSeconds <= 0) {
        err << "antibody_realstack_screenshot: --timeout wants a positive number of seconds\n";
        return 2;
    }
    QTemporaryDir data; // a throwaway database: the picture must not depend on earlier runs
    if (!data.isValid()) {
        err << "antibody_realstack_screenshot: cannot create a temporary data folder\n";
        return 1;
    }

    Theme::rememberSystemPalette();
    Theme::apply(Theme::Choice::Light);
    ConsoleModels models;
    EngineLink link(&models, u"alice"_s);
    RunbookLink runbooks([](const Runbook &r, TimePoint at) { return sim::SimulatedDrill::run(r, at); });
    MainWindow window(&models, &link, &link, &runbooks);
    window.resize(1440, 900);
    window.show();
    ConsoleHost host(&link, &runbooks);
    QObject::connect(&host, &ConsoleHost::started, &window,
        [&window](const QString &description, const QString &) { window.setEngineStatus(description); });
    QObject::connect(&host, &ConsoleHost::failed, &app, [&err](const QString &error) {
        err << "antibody_realstack_screenshot: the engine did not start: " << error << '\n';
        QApplication::exit(1);
    });

    QElapsedTimer waited;
    waited.start();
    QString shown; // the incident whose proposal is open
    QTimer poll;
    poll.setInterval(200);
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        if (shown.isEmpty()) {
            const QList<Proposal> waiting = models.proposals()->waiting();
            if (!waiting.isEmpty()) {
                shown = waiting.constFirst().incidentId;
                window.openIncident(shown);
                waited.restart(); // the charts' first read, and a few live updates
            } else if (waited.elapsed() > timeoutSeconds * 1000) {
                err << "antibody_realstack_screenshot: no proposal waited for approval within " << timeoutSeconds
                    << " s. Is the stack up and the pool exhausted (scripts/realstack up; scripts/realstack "
                       "exhaust)?\n";
                QApplication::exit(1);
            }
            return;
        }
        if (waited.elapsed() < 4000)
            return;
        poll.stop();
        const QImage image = window.grab().toImage();
        if (!image.save(outfile)) {
            err << "antibody_realstack_screenshot: cannot write " << outfile << '\n';
            QApplication::exit(1);
            return;
        }
        QTextStream(stdout) << outfile << '\n';
        QApplication::exit(0);
    });
    poll.start();
    host.start({ parser.value(u"config"_s), data.path() });
    const int rc = QApplication::exec();
    host.stop();
    return rc;
}

#pragma once

// The console as `antibody --config FILE` builds it (app/antibody/main.cpp): the models,
// the engine link, the runbook editor's link, the real main window (shown, offscreen) and
// the ConsoleHost that starts the configured engine. For the suites that drive it on the
// real stack (tst_realstackconsole, tst_readmepath).
#include "app/antibody/consolehost.h"
#include "models/editor/runbooklink.h"
#include "models/link/consolemodels.h"
#include "models/link/enginelink.h"
#include "simulator/rehearsal/simulateddrill.h"
#include "ui/mainwindow.h"

#include <QSignalSpy>
#include <QTest>

namespace antibody::test {

using namespace Qt::StringLiterals;

class ConfiguredConsole
{
public:
    explicit ConfiguredConsole(const QString &user)
        : link(&models, user)
        , runbooks([](const Runbook &r, TimePoint at) { return sim::SimulatedDrill::run(r, at); })
        , window(&models, &link, &link, &runbooks)
        , host(&link, &runbooks)
    {
        window.resize(1400, 900);
        window.show();
    }
    ~ConfiguredConsole() { host.stop(); } // the engine thread first, then what it links to
    ConfiguredConsole(const ConfiguredConsole &) = delete;
    ConfiguredConsole &operator=(const ConfiguredConsole &) = delete;

    // Starts the engine on `config`, its database in `dataDir`: the runbook folder it
    // loaded, or empty with the reason in `error` (at most 30 s).
    QString start(const QString &config, const QString &dataDir, QString *error)
    {
        QSignalSpy started(&host, &ConsoleHost::started);
        QSignalSpy failed(&host, &ConsoleHost::failed);
        host.start({ config, dataDir });
        if (!QTest::qWaitFor([&] { return !started.isEmpty() || !failed.isEmpty(); }, 30'000)) {
            *error = u"the console did not start within 30 s"_s;
            return {};
        }
        if (!failed.isEmpty()) {
            *error = failed.constFirst().value(0).toString();
            return {};
        }
        return started.constFirst().value(1).toString();
    }

    ConsoleModels models;
    EngineLink link;
    RunbookLink runbooks;
    MainWindow window;
    ConsoleHost host;
};

} // namespace antibody::test

// A child process for tst_enginecrash: one engine on the SQLite store and the test
// doubles, in virtual time, facing the seed's pool exhaustion at level 3 (kill idle
// connections, 15% a pass, then verify). With `hang`, the moment a remediation pass
// reaches the pool it prints "effect <virtual ms> <step> <pass>" (flushed) and stays
// inside that pass, so the parent can kill it mid-execution; with `heal` the pass
// terminates the connections and the run goes on. A life runs its virtual minutes and
// prints "end <virtual ms>".
//
//   engineworker DB START_MS MINUTES auto|none hang|heal
#include "engine/store/sqlitestore.h"
#include "tests/engine/doubles/enginerig.h"
#include "tests/engine/doubles/poolworld.h"
#include "tests/support/childoutput.h"

#include <QCoreApplication>
#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace antibody::test;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 6) {
        std::fprintf(stderr, "usage: engineworker DB START_MS MINUTES auto|none hang|heal\n");
        return 2;
    }
    QString error;
    auto store = SqliteStore::open(args.at(1), &error);
    if (!store) {
        std::fprintf(stderr, "engineworker: %s\n", qPrintable(error));
        return 2;
    }
    Engine::Settings settings;
    settings.identity = u"engineworker (pid %1)"_s.arg(::getpid());
    settings.autoApprove = args.at(4) == u"auto"_s;
    EngineRig rig(settings, store.get());
    rig.clock.advanceTo(fromMillis(args.at(2).toLongLong()));
    PoolWorld pool(rig.metrics, rig.database);
    if (args.at(5) == u"hang"_s) {
        rig.database.onExecute([&rig](const ActionRequest &r) -> ActionResult {
            say(u"effect %1 %2 %3"_s.arg(toMillis(rig.clock.now())).arg(r.step).arg(r.pass));
            for (;;)
                ::pause(); // the connections are being terminated: the parent kills us here
        });
    }
    rig.start({ PoolWorld::runbook(3) });
    rig.alerts.fire(u"DbConnectionPoolExhausted"_s,
        { { u"service"_s, u"orders-db"_s }, { u"severity"_s, u"critical"_s } }, rig.clock.now() - Duration { 20'000 });
    rig.run(Duration { args.at(3).toLongLong() * 60'000 });
    store->flush();
    say(u"end %1"_s.arg(toMillis(rig.clock.now())));
    return 0;
}

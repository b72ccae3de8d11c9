#include "consolehost.h"

#include "connectors/environment/configuredengine.h"
#include "demoworld.h"
#include "engine/core/pacedclock.h"
#include "engine/core/systemclock.h"
#include "engine/runbook/shippedlibrary.h"
#include "engine/store/datadirectory.h"
#include "engine/store/identity.h"
#include "engine/store/sqlitestore.h"
#include "models/editor/runbooklink.h"
#include "models/link/enginelink.h"

#include <QFileInfo>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// The configured engine and the wall clock it runs on, kept together on the engine thread.
class LiveWorld : public QObject
{
public:
    explicit LiveWorld(QObject *parent)
        : QObject(parent)
    {
    }
    ~LiveWorld() override
    {
        if (engine)
            engine->stop();
    }
    SystemClock clock;
    std::unique_ptr<ConfiguredEngine> engine; // destroyed before the clock
};

// The folder the editor opens: the first runbook folder the configuration names.
QString libraryFolderOf(const QStringList &paths)
{
    for (const QString &p : paths) {
        const QFileInfo info(p);
        if (info.isDir())
            return info.absoluteFilePath();
        if (info.isFile())
            return info.absolutePath();
    }
    return {};
}

} // namespace

ConsoleHost::ConsoleHost(EngineLink *engine, RunbookLink *runbooks, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_runbooks(runbooks)
{
}

ConsoleHost::~ConsoleHost() = default;

void ConsoleHost::start(const Options &options)
{
    if (!options.configFile.isEmpty()) {
        startConfigured(options);
        return;
    }
    // The demo's simulated incidents, breakers and cooldowns stay apart from the database
    // a real engine (`--config`, `antibodyctl run`) uses: a folder of their own.
    const QString base = options.dataDir.isEmpty() ? DataDirectory::defaultPath() : options.dataDir;
    const DataDirectory dir = DataDirectory::resolve(base + u"/demo"_s, DataDirectory::Use::ReadWrite);
    if (!dir.ok()) {
        Q_EMIT failed(dir.error());
        return;
    }
    const QString database = dir.databaseFile();
    QPointer<ConsoleHost> self(this);
    QObject *anchor = m_thread.anchor();
    m_thread.post([self, anchor, database] {
        const DemoWorld::Built built = DemoWorld::build(database, Identity::process(), anchor);
        QMetaObject::invokeMethod(self, [self, built] {
            if (!self)
                return;
            if (!built.world) {
                Q_EMIT self->failed(built.error);
                return;
            }
            DemoWorld *w = built.world;
            self->m_engine->attach(&w->engine(), &w->clock(), w->metrics());
            self->m_runbooks->attach(&w->engine(), &w->clock(), w->metrics(), &w->store(), tr("the simulated fleet"));
            Q_EMIT self->started(w->description(), shippedRunbookFolder());
        });
    });
}

void ConsoleHost::startConfigured(const Options &options)
{
    QPointer<ConsoleHost> self(this);
    QObject *anchor = m_thread.anchor();
    m_thread.post([self, anchor, options] {
        auto *world = new LiveWorld(anchor);
        ConfiguredEngine::Options o;
        o.configFile = options.configFile;
        o.dataDir = options.dataDir;
        o.identity = Identity::process();
        ConfiguredEngine::Built built = ConfiguredEngine::build(o, world->clock);
        if (!built.engine) {
            delete world;
            const QString error = built.error;
            QMetaObject::invokeMethod(self, [self, error] {
                if (self)
                    Q_EMIT self->failed(error);
            });
            return;
        }
        world->engine = std::move(built.engine);
        ConfiguredEngine &live = *world->engine;
        Store *store = &live.store();
        MetricSource *metrics = live.environment().ports(&world->clock, store).metrics;
        QString description = tr("Live: %1").arg(live.environment().describe().join(u"; "_s));
        if (!live.warnings().isEmpty()) // loud but allowed: TLS verification off and the like
            description += tr(" — warning: %1").arg(live.warnings().join(u"; "_s));
        const QString folder = libraryFolderOf(live.environment().runbookPaths());
        for (const QString &w : live.warnings())
            qWarning("antibody: %s", qPrintable(w));
        live.engine().start();
        Engine *engine = &live.engine();
        Clock *clock = &world->clock;
        QMetaObject::invokeMethod(self, [self, engine, clock, metrics, store, description, folder] {
            if (!self)
                return;
            self->m_engine->attach(engine, clock, metrics);
            self->m_runbooks->attach(engine, clock, metrics, store, tr("the configured environment"));
            Q_EMIT self->started(description, folder);
        });
    });
}

} // namespace antibody

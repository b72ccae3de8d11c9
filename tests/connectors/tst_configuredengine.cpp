// ConfiguredEngine: a configuration file to an engine ready to start, and every way
// that can fail, in words (no server needed: nothing connects until the engine starts).
#include "connectors/environment/configuredengine.h"
#include "engine/core/virtualclock.h"
#include "engine/store/sqlitestore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

const QByteArray sources
    = "sources:\n  prometheus: { url: \"http://127.0.0.1:1\" }\n  alertmanager: { url: \"http://127.0.0.1:2\" }\n"
      "executors:\n  postgres: { dsn: \"host=127.0.0.1 port=3 dbname=postgres user=postgres\" }\n";

const QByteArray goodRunbook
    = "name: pool\nlevel: 2\ntrigger: { alert: DbConnectionPoolExhausted, confidence: high }\n"
      "steps:\n  - name: kill_idle\n    action: terminate_connections\n"
      "    params: { state: idle, older_than: 1s }\n    blast_radius: { max_connections: \"15%\" }\n";

} // namespace

class TestConfiguredEngine : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    VirtualClock m_clock;

    QString write(const QString &name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(name);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write(text);
        return path;
    }

    ConfiguredEngine::Built build(const QString &config, const QString &dataDir = {})
    {
        ConfiguredEngine::Options o;
        o.configFile = config;
        o.dataDir = dataDir.isEmpty() ? m_dir.filePath(u"data"_s) : dataDir;
        o.identity = u"tester"_s;
        return ConfiguredEngine::build(o, m_clock);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        write(u"good/pool.yaml"_s, goodRunbook);
    }

    void buildsTheEngineWithItsRunbooksAndStore()
    {
        const QString config = write(u"antibody.yaml"_s, sources + "runbooks: [ good/ ]\nengine: { identity: ci }\n");
        const ConfiguredEngine::Built built = build(config);
        QVERIFY2(built.engine, qPrintable(built.error));
        ConfiguredEngine &host = *built.engine;
        QCOMPARE(host.engine().runbooks().size(), 1);
        QCOMPARE(host.engine().runbooks().first().name, u"pool"_s);
        QCOMPARE(host.databaseFile(), m_dir.filePath(u"data/antibody.db"_s));
        QVERIFY(QFileInfo::exists(host.databaseFile()));
        QVERIFY(host.warnings().isEmpty());
        const QString described = host.describe().join(u'\n');
        QVERIFY2(described.contains(u"metrics:   prometheus http://127.0.0.1:1"_s), qPrintable(described));
        QVERIFY2(described.contains(u"runbooks:  1 from "_s + m_dir.filePath(u"good"_s)), qPrintable(described));
        QVERIFY2(described.contains(u"store:     "_s + host.databaseFile()), qPrintable(described));
        host.stop();
        host.stop(); // idempotent
    }

    void dataDirOptionWinsOverTheConfiguration()
    {
        const QString config = write(u"withdata.yaml"_s, sources + "runbooks: [ good/ ]\ndata_dir: configured\n");
        const ConfiguredEngine::Built built = build(config, m_dir.filePath(u"given"_s));
        QVERIFY2(built.engine, qPrintable(built.error));
        QCOMPARE(built.engine->databaseFile(), m_dir.filePath(u"given/antibody.db"_s));
    }

    void configurationErrorsNameTheKey()
    {
        const QString config = write(u"bad.yaml"_s, "sources:\n  prometheus: { ulr: \"http://127.0.0.1:1\" }\n");
        const ConfiguredEngine::Built built = build(config);
        QVERIFY(!built.engine);
        QVERIFY2(built.error.contains(config + u":2:"_s), qPrintable(built.error));
        QVERIFY2(built.error.contains(u"sources.prometheus.ulr"_s), qPrintable(built.error));
    }

    void aMissingFileSaysSo()
    {
        const ConfiguredEngine::Built built = build(m_dir.filePath(u"absent.yaml"_s));
        QVERIFY(!built.engine);
        QVERIFY2(built.error.contains(u"cannot read the configuration"_s), qPrintable(built.error));
    }

    void noSourceIsAnError()
    {
        const QString config = write(u"nosource.yaml"_s, "runbooks: [ good/ ]\n");
        const ConfiguredEngine::Built built = build(config);
        QVERIFY(!built.engine);
        QVERIFY2(built.error.contains(u"sources.alertmanager"_s), qPrintable(built.error));
    }

    void runbookErrorsStopTheStart()
    {
        write(u"broken/pool.yaml"_s,
            "name: pool\nlevel: 2\ntrigger: { alert: X }\nsteps:\n  - name: a\n    acton: page_oncall\n");
        const QString config = write(u"broken.yaml"_s, sources + "runbooks: [ broken/ ]\n");
        const ConfiguredEngine::Built built = build(config);
        QVERIFY(!built.engine);
        QVERIFY2(built.error.contains(m_dir.filePath(u"broken/pool.yaml"_s) + u":6:"_s), qPrintable(built.error));
    }

    void noRunbooksIsAWarning()
    {
        const QString config = write(u"norunbooks.yaml"_s, sources);
        const ConfiguredEngine::Built built = build(config);
        QVERIFY2(built.engine, qPrintable(built.error));
        QVERIFY2(built.engine->warnings().join(u'\n').contains(u"runbooks: none configured"_s),
            qPrintable(built.engine->warnings().join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestConfiguredEngine)
#include "tst_configuredengine.moc"

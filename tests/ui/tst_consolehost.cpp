#include "app/antibody/consolehost.h"
#include "models/editor/runbooklink.h"
#include "models/link/consolemodels.h"
#include "models/link/enginelink.h"
#include "simulator/rehearsal/simulateddrill.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

QString sourcePath(const QString &relative)
{
    return qEnvironmentVariable("ANTIBODY_SOURCE_DIR") + u'/' + relative; // ctest sets it
}

// What `antibody` builds around the host, without the window.
struct Console
{
    ConsoleModels models;
    EngineLink link { &models, u"alice"_s };
    RunbookLink runbooks { [](const Runbook &r, TimePoint at) { return sim::SimulatedDrill::run(r, at); } };
    ConsoleHost host { &link, &runbooks };
    QSignalSpy started { &host, &ConsoleHost::started };
    QSignalSpy failed { &host, &ConsoleHost::failed };

    // The first answer from the engine thread: started or failed, never both.
    bool answered()
    {
        if (!QTest::qWaitFor([this] { return started.size() + failed.size() > 0; }, 20'000))
            return false;
        QTest::qWait(50); // a second answer would be a defect
        return started.size() + failed.size() == 1;
    }
    QString error() const { return failed.isEmpty() ? QString() : failed.constFirst().constFirst().toString(); }
};

} // namespace

// How the console starts its engine (what `antibody [--config FILE]` shows in the
// status bar, or in an error box when the configuration is bad).
class TestConsoleHost : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void badConfigurationsSayWhereAndWhat_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QStringList>("says");
        QTest::addRow("not YAML") << QByteArray("sources: { prometheus: [\n")
                                  << QStringList { u"antibody.yaml:2:"_s, u"YAML"_s };
        QTest::addRow("wrong scheme") << QByteArray("sources:\n  prometheus: { url: \"ftp://127.0.0.1:1\" }\n")
                                      << QStringList { u"antibody.yaml:2:"_s, u"sources.prometheus.url"_s };
        QTest::addRow("inline secret") << QByteArray("notifiers:\n  pagerduty: { routing_key: hunter2 }\n")
                                       << QStringList { u"notifiers.pagerduty.routing_key"_s,
                                              u"never go in the configuration"_s };
        QTest::addRow("missing runbooks")
            << QByteArray("runbooks: [ nowhere/ ]\n") << QStringList { u"runbooks[0]"_s, u"does not exist"_s };
        QTest::addRow("binary") << QByteArray("\x00\xff\xfe sources: \x01", 14) << QStringList { u"antibody.yaml"_s };
    }
    void badConfigurationsSayWhereAndWhat()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QStringList, says);
        const QString file = m_dir.filePath(u"antibody.yaml"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(yaml);
        f.close();
        Console c;
        c.host.start({ file, m_dir.filePath(u"data"_s) });
        QVERIFY(c.answered());
        QCOMPARE(c.started.size(), 0);
        for (const QString &s : std::as_const(says))
            QVERIFY2(c.error().contains(s), qPrintable(c.error()));
        QVERIFY2(!c.error().contains(u"hunter2"_s), qPrintable(c.error())); // a secret is never repeated back
    }

    void aMissingConfigurationSaysWhichFile()
    {
        Console c;
        const QString file = m_dir.filePath(u"absent.yaml"_s);
        c.host.start({ file, m_dir.filePath(u"data"_s) });
        QVERIFY(c.answered());
        QVERIFY2(c.error().contains(file) && c.error().contains(u"cannot read"_s), qPrintable(c.error()));
    }

    void aGoodConfigurationStartsLiveWithItsRunbookFolder()
    {
        // Prometheus on a port nobody listens on: the engine starts and the feed
        // shows as degraded, it does not refuse to start.
        const QString file = m_dir.filePath(u"live.yaml"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("sources:\n  prometheus: { url: \"http://127.0.0.1:9\" }\nrunbooks: [ \""
            + sourcePath(u"runbooks"_s).toUtf8() + "\" ]\n");
        f.close();
        Console c;
        c.host.start({ file, m_dir.filePath(u"live-data"_s) });
        QVERIFY(c.answered());
        QVERIFY2(c.failed.isEmpty(), qPrintable(c.error()));
        const QString description = c.started.constFirst().at(0).toString();
        QVERIFY2(
            description.startsWith(u"Live: "_s) && description.contains(u"127.0.0.1:9"_s), qPrintable(description));
        QCOMPARE(c.started.constFirst().at(1).toString(), sourcePath(u"runbooks"_s));
        c.host.stop();
    }

    void noConfigurationStartsTheDemo()
    {
        Console c;
        c.host.start({ {}, m_dir.filePath(u"demo-data"_s) });
        QVERIFY(c.answered());
        QVERIFY2(c.failed.isEmpty(), qPrintable(c.error()));
        // Review finding 14: the demo's simulated incidents, breakers and cooldowns live
        // apart from the database `--config` uses, so a real engine never inherits them.
        QVERIFY(QFile::exists(m_dir.filePath(u"demo-data/demo/antibody.db"_s)));
        QVERIFY(!QFile::exists(m_dir.filePath(u"demo-data/antibody.db"_s)));
        c.host.stop();
    }

    void anUnusableDataFolderIsAnError()
    {
        const QString blocker = m_dir.filePath(u"a-file"_s);
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        Console c;
        c.host.start({ {}, blocker + u"/data"_s }); // a folder under a file cannot exist
        QVERIFY(c.answered());
        QVERIFY2(c.error().contains(blocker), qPrintable(c.error()));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestConsoleHost)
#include "tst_consolehost.moc"
